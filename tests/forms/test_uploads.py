"""Uploaded materials: accepted formats cleaned, hostile files refused, private storage."""

import hashlib
import io
import re
import stat
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from forms import private_storage as storage
from forms import uploads
from forms.uploads import CleanUpload, MaterialFileField, accept_attribute, clean_upload
from tests.forms import files

METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment"}


def reopen(result):
    image = Image.open(io.BytesIO(result.content))
    image.load()
    return image


def refusal(upload):
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload)
    return caught.value


def assert_no_metadata(result):
    image = reopen(result)
    assert not METADATA_KEYS & set(image.info), image.info.keys()
    assert not image.getexif()
    for secret in (b"Exif", b"GPS", files.CAMERA_MODEL.encode(), b"secret-", b"ICC_PROFILE"):
        assert secret not in result.content


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


# --- accepted formats ---------------------------------------------------------------------


def test_jpeg_is_turned_upright_and_loses_exif_gps_xmp_icc_and_comment():
    upload = files.jpeg_upload()
    original = Image.open(io.BytesIO(upload.read()))
    assert original.size == (20, 10)
    assert original.getexif()[ExifTags.Base.Orientation] == 6
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"xmp", "icc_profile", "comment"} <= set(original.info)

    result = clean_upload(upload)

    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    assert (result.width, result.height, result.pages) == (10, 20, None)
    image = reopen(result)
    assert (image.format, image.size) == ("JPEG", (10, 20))
    # Orientation 6 turns the picture 90° clockwise: the red left half ends up on top.
    assert near(image.getpixel((5, 2)), files.RED)
    assert near(image.getpixel((5, 17)), files.BLUE)
    assert_no_metadata(result)


def test_clean_upload_fields_describe_the_content():
    result = clean_upload(files.jpeg_upload(name="身份证正面.jpg"))
    assert isinstance(result, CleanUpload)
    assert result.original_name == "身份证正面.jpg"
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    with pytest.raises(AttributeError):
        result.size = 1  # frozen
    assert "content=" not in repr(result)


def test_anything_after_the_end_of_a_jpeg_is_dropped():
    upload = files.jpeg_with_payload_upload()
    assert b"<script>" in upload.read()
    result = clean_upload(upload)
    assert b"<script>" not in result.content
    assert b"PK\x03\x04" not in result.content


def test_cmyk_jpeg_becomes_rgb():
    result = clean_upload(files.cmyk_jpeg_upload())
    image = reopen(result)
    assert image.mode == "RGB"
    assert near(image.getpixel((2, 5)), files.RED, tolerance=60)


def test_png_with_transparency_stays_png_keeps_alpha_and_loses_metadata():
    upload = files.png_upload()
    original = Image.open(io.BytesIO(upload.read()))
    assert "exif" in original.info and "Comment" in original.info
    result = clean_upload(upload)
    assert (result.content_type, result.extension) == ("image/png", "png")
    image = reopen(result)
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((3, 3)) == (*files.RED, 255)
    assert_no_metadata(result)


def test_palette_png_stays_png():
    result = clean_upload(files.palette_png_upload())
    assert result.content_type == "image/png"
    assert reopen(result).getpixel((15, 5))[:3] == files.BLUE


def test_opaque_png_photo_becomes_jpeg():
    result = clean_upload(files.png_upload(transparent=False))
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    assert_no_metadata(result)


def test_16_bit_grey_png_is_scaled_to_8_bit_not_clipped():
    result = clean_upload(files.gray16_png_upload())
    image = reopen(result)
    assert (result.content_type, image.mode) == ("image/png", "L")
    assert image.getpixel((2, 5)) == 255
    assert 120 <= image.getpixel((15, 5)) <= 135  # 32768 / 256 = 128, not clipped to 255


def test_opaque_webp_becomes_upright_jpeg():
    result = clean_upload(files.webp_upload())
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (10, 20)
    assert_no_metadata(result)


def test_webp_with_transparency_becomes_png():
    result = clean_upload(files.webp_upload(alpha=True))
    assert result.content_type == "image/png"
    assert reopen(result).mode == "RGBA"
    assert_no_metadata(result)


@pytest.mark.skipif(not uploads.HEIC_AVAILABLE, reason="pillow_heif is not installed")
def test_heic_from_an_iphone_becomes_upright_jpeg_without_exif():
    upload = files.heic_upload()
    assert upload.read()[4:12] == b"ftypheic"
    result = clean_upload(upload)
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    image = reopen(result)
    assert image.size == (10, 20)
    assert near(image.getpixel((5, 2)), files.RED)
    assert_no_metadata(result)


def test_pdf_is_kept_byte_for_byte_with_its_page_count():
    upload = files.pdf_upload(pages=3)
    original = upload.read()
    result = clean_upload(upload)
    assert (result.content_type, result.extension) == ("application/pdf", "pdf")
    assert result.content == original
    assert (result.pages, result.width, result.height) == (3, None, None)


def test_pdf_from_a_scanner_app_is_accepted():
    result = clean_upload(files.scanned_pdf_upload(pages=2))
    assert result.pages == 2


def test_large_photo_is_downscaled_not_refused(settings):
    settings.APPLICATIONS_UPLOAD_MAX_SIDE = 50
    result = clean_upload(files.jpeg_upload(size=(400, 200), orientation=1))
    assert (result.width, result.height) == (50, 25)
    assert reopen(result).size == (50, 25)


def test_large_photo_is_downscaled_after_turning_it_upright(settings):
    settings.APPLICATIONS_UPLOAD_MAX_SIDE = 50
    result = clean_upload(files.jpeg_upload(size=(400, 200), orientation=6))
    assert (result.width, result.height) == (25, 50)


def test_large_png_is_downscaled(settings):
    settings.APPLICATIONS_UPLOAD_MAX_SIDE = 8
    result = clean_upload(files.png_upload(size=(32, 16)))
    assert (result.width, result.height) == (8, 4)


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (files.empty_upload, "empty"),
        (files.html_as_jpeg_upload, "wrong_type"),
        (files.exe_as_pdf_upload, "wrong_type"),
        (files.svg_upload, "wrong_type"),
        (files.gif_upload, "wrong_type"),
        (files.corrupt_jpeg_upload, "corrupt"),
        (files.corrupt_png_upload, "corrupt"),
        (files.corrupt_pdf_upload, "corrupt"),
        (files.truncated_jpeg_upload, "truncated"),
        (files.truncated_png_upload, "truncated"),
        (files.truncated_pdf_upload, "truncated"),
        (files.bomb_png_upload, "too_many_pixels"),
        (files.encrypted_pdf_upload, "pdf_encrypted"),
        (files.javascript_pdf_upload, "pdf_active_content"),
        (files.escaped_javascript_pdf_upload, "pdf_active_content"),
        (files.launch_pdf_upload, "pdf_active_content"),
        (files.embedded_file_pdf_upload, "pdf_active_content"),
        (files.object_stream_javascript_pdf_upload, "pdf_active_content"),
    ],
)
def test_hostile_file_is_refused_with_a_chinese_message(make, code):
    error = refusal(make())
    assert error.code == code
    message = error.messages[0]
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert "%(" not in message


def test_too_large_file_is_refused(settings):
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    error = refusal(files.oversized_upload(2 * 1024 * 1024 + 1))
    assert error.code == "too_large"
    assert "2 MB" in error.messages[0]


def test_file_exactly_at_the_limit_is_read_and_checked(settings):
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 4096
    upload = files.oversized_upload(4096)
    assert upload.size == 4096
    assert clean_upload(upload).content_type == "image/jpeg"


class UnsizedStream:
    """A file-like object with no size that counts what is read from it."""

    def __init__(self, total, name="stream.jpg"):
        self.total = total
        self.name = name
        self.read_bytes = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.total
        size = min(size, self.total - self.read_bytes)
        self.read_bytes += size
        return b"\xff" * size


def test_at_most_the_limit_plus_one_byte_is_read(settings):
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 100_000
    stream = UnsizedStream(50 * 1024 * 1024)
    assert refusal(stream).code == "too_large"
    assert stream.read_bytes == 100_001


def test_declared_size_over_the_limit_is_refused_before_reading(settings):
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 1000
    stream = UnsizedStream(10)
    stream.size = 5000
    assert refusal(stream).code == "too_large"
    assert stream.read_bytes == 0


def test_wrong_type_is_found_by_content_not_by_name_or_content_type():
    upload = files.html_as_jpeg_upload(name="photo.jpg")
    assert upload.content_type == "image/jpeg"
    assert refusal(upload).code == "wrong_type"
    # And a real photo with a wrong name is fine.
    result = clean_upload(files.jpeg_upload(name="证明.pdf"))
    assert result.content_type == "image/jpeg"


def test_image_over_the_pixel_limit_is_refused_before_decoding(settings, monkeypatch):
    settings.APPLICATIONS_UPLOAD_MAX_PIXELS = 199
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    error = refusal(files.jpeg_upload(size=(20, 10)))
    assert error.code == "too_many_pixels"


def test_image_at_the_pixel_limit_is_accepted(settings):
    settings.APPLICATIONS_UPLOAD_MAX_PIXELS = 200
    assert clean_upload(files.jpeg_upload(size=(20, 10))).width == 10


def test_pillow_bomb_warning_is_an_error_even_under_a_high_limit(settings):
    # 100 million pixels: over Pillow's warning threshold (89 million), under its hard limit.
    settings.APPLICATIONS_UPLOAD_MAX_PIXELS = 150_000_000
    assert Image.MAX_IMAGE_PIXELS < 100_000_000
    assert refusal(files.png_header_upload(10_000, 10_000)).code == "too_many_pixels"


def test_crafted_header_over_the_limit_is_refused():
    assert refusal(files.png_header_upload(12000, 8000)).code == "too_many_pixels"


def test_pdf_with_too_many_pages_is_refused(settings):
    settings.APPLICATIONS_UPLOAD_MAX_PDF_PAGES = 2
    assert clean_upload(files.pdf_upload(pages=2)).pages == 2
    error = refusal(files.pdf_upload(pages=3))
    assert error.code == "pdf_too_many_pages"
    assert "3" in error.messages[0] and "2" in error.messages[0]


def test_pdf_without_user_password_but_encrypted_is_refused():
    assert refusal(files.encrypted_pdf_upload(user_password="")).code == "pdf_encrypted"


def test_script_hidden_in_an_object_stream_is_found_by_parsing():
    data = files.object_stream_javascript_pdf_upload().read()
    assert not uploads._raw_active_content(data)  # invisible to the raw scan
    assert refusal(files.object_stream_javascript_pdf_upload()).code == "pdf_active_content"


def test_pdf_too_complex_to_walk_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "PDF_MAX_OBJECTS", 3)
    assert refusal(files.pdf_upload(pages=5)).code == "pdf_too_complex"


def test_names_that_only_look_like_scripts_are_accepted():
    data = files.pdf_bytes(catalog_extra=b"/JSVersion 1 /Launcher (x) /PageLabels << >> ")
    result = clean_upload(SimpleUploadedFile("ok.pdf", data, "application/pdf"))
    assert result.pages == 1


def test_truncated_images_stay_errors_if_pillow_was_relaxed(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError):
        clean_upload(files.truncated_jpeg_upload())


# --- names and the accept attribute --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("身份证.jpg", "身份证.jpg"),
        ("C:\\fakepath\\户口簿.png", "户口簿.png"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\x1f\x7fc.pdf", "abc.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("  证明.pdf  ", "证明.pdf"),
        ("", "文件"),
        ("..", "文件"),
        ("dir/", "文件"),
        (None, "文件"),
    ],
)
def test_client_file_name_is_sanitised(name, expected):
    assert uploads.clean_file_name(name) == expected


def test_long_file_name_is_cut_to_100_characters_keeping_the_extension():
    name = uploads.clean_file_name("很" * 300 + ".jpeg")
    assert len(name) == 100
    assert name.endswith(".jpeg")
    assert len(uploads.clean_file_name("x" * 300)) == 100


def test_sanitised_name_is_in_the_result():
    result = clean_upload(files.jpeg_upload(name="C:\\Users\\张三\\身份证\x07.jpg"))
    assert result.original_name == "身份证.jpg"


def test_accept_attribute_lists_types_and_extensions():
    accept = accept_attribute().split(",")
    for value in ("image/jpeg", "image/png", "image/webp", "application/pdf", ".jpg", ".pdf"):
        assert value in accept
    assert "image/gif" not in accept and "image/svg+xml" not in accept
    assert ("image/heic" in accept) == uploads.HEIC_AVAILABLE


# --- the form field -------------------------------------------------------------------------


class MaterialForm(forms.Form):
    file = MaterialFileField(label="身份证")


class OptionalMaterialForm(forms.Form):
    file = MaterialFileField(label="其他材料", required=False)


def test_field_returns_a_clean_upload():
    form = MaterialForm(data={}, files={"file": files.jpeg_upload()})
    assert form.is_valid(), form.errors
    value = form.cleaned_data["file"]
    assert isinstance(value, CleanUpload)
    assert (value.content_type, value.width, value.height) == ("image/jpeg", 10, 20)


def test_field_renders_the_accept_attribute():
    html = str(MaterialForm()["file"])
    assert 'type="file"' in html
    assert f'accept="{accept_attribute()}"' in html


def test_field_required_message_is_chinese():
    form = MaterialForm(data={}, files={})
    assert not form.is_valid()
    assert form.errors["file"] == ["请上传这份材料。"]


def test_field_empty_file_message_is_chinese():
    form = MaterialForm(data={}, files={"file": files.empty_upload()})
    assert not form.is_valid()
    assert form.errors["file"] == ["文件是空的，请重新选择文件。"]


def test_field_refusal_keeps_its_code():
    form = MaterialForm(data={}, files={"file": files.svg_upload()})
    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == "wrong_type"


def test_optional_field_without_a_file_is_none():
    form = OptionalMaterialForm(data={}, files={})
    assert form.is_valid()
    assert form.cleaned_data["file"] is None


def test_field_passes_through_an_initial_clean_upload():
    initial = clean_upload(files.pdf_upload())
    form = MaterialForm(data={}, files={}, initial={"file": initial})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] is initial


def test_field_does_not_clean_an_already_stored_file_again():
    upload = files.jpeg_upload()
    upload.stored = marker = object()
    form = MaterialForm(data={}, files={"file": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] is marker


# --- private storage ------------------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def test_saved_under_a_random_name_outside_media_root(private_root, settings):
    upload = files.jpeg_upload(name="张三身份证.jpg")
    result = clean_upload(upload)
    name = storage.save_private(result, "applications")
    assert re.fullmatch(r"applications/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert "张三" not in name
    path = private_root / name
    assert path.read_bytes() == result.content
    media_root = Path(settings.MEDIA_ROOT)
    assert media_root not in path.parents
    assert not media_root.exists() or not any(media_root.rglob("*"))
    assert storage.save_private(result, "applications") != name


def test_saved_files_and_directories_are_not_world_readable(private_root):
    name = storage.save_private(clean_upload(files.pdf_upload()), "drafts")
    path = private_root / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750
    assert name.endswith(".pdf")


def test_private_files_have_no_url(private_root, settings):
    settings.MEDIA_URL = "/media/"
    name = storage.save_private(clean_upload(files.pdf_upload()), "applications")
    with pytest.raises(ValueError):
        storage.private_storage().url(name)


def test_open_and_delete(private_root):
    result = clean_upload(files.png_upload())
    name = storage.save_private(result, "applications")
    with storage.open_private(name) as f:
        assert f.read() == result.content
    storage.delete_private(name)
    assert not (private_root / name).exists()
    storage.delete_private(name)  # already gone: no error
    storage.delete_private("")
    with pytest.raises(FileNotFoundError):
        storage.open_private(name)


def test_names_outside_the_private_root_are_refused(private_root):
    with pytest.raises(SuspiciousFileOperation):
        storage.open_private("../../etc/passwd")


@pytest.mark.parametrize("prefix", ["", "../x", "a//b", "/abs", "Apps", "a/../b"])
def test_bad_prefix_is_refused(private_root, prefix):
    with pytest.raises(ValueError):
        storage.save_private(clean_upload(files.pdf_upload()), prefix)


def test_unexpected_extension_is_refused(private_root):
    forged = CleanUpload(
        content=b"<html>",
        content_type="text/html",
        extension="html",
        original_name="x",
        size=6,
        sha256="0" * 64,
    )
    with pytest.raises(ValueError):
        storage.save_private(forged, "applications")


def test_storage_is_cached_per_location(private_root, settings, tmp_path):
    assert storage.private_storage() is storage.private_storage()
    assert Path(storage.private_storage().location) == private_root.resolve()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "other"
    assert Path(storage.private_storage().location) == (tmp_path / "other").resolve()


def test_default_location_is_data_dir_private(settings, tmp_path):
    if hasattr(settings, "PRIVATE_MEDIA_ROOT"):
        del settings.PRIVATE_MEDIA_ROOT
    settings.DATA_DIR = tmp_path
    assert Path(storage.private_storage().location) == (tmp_path / "private").resolve()


def test_private_root_inside_media_root_is_refused(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT) / "private"
    with pytest.raises(ImproperlyConfigured):
        storage.private_storage()
