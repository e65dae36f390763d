"""Citizens' uploaded materials: photos and PDFs only, recognised by content, cleaned before use.

``clean_upload(file)`` reads at most ``APPLICATIONS_UPLOAD_MAX_BYTES + 1`` bytes, recognises
the type from the first bytes (``filetype``; the file name and the browser's content type are
not trusted) and then:

- images (JPEG, PNG, WebP, HEIC): refuses too many pixels before decoding, verifies, decodes
  fully (a truncated file is an error), applies the EXIF orientation, downscales to
  ``APPLICATIONS_UPLOAD_MAX_SIDE`` and re-encodes into a fresh image, so nothing of the original
  file survives: no EXIF (GPS), XMP, ICC profile or comment, and no trailing payload;
- PDFs: checks the header and the end marker, parses with pypdf, refuses encrypted files, files
  with too many pages and files with scripts, launch actions or attachments. The bytes are kept
  as they are.

Anything else raises ``ValidationError`` with a message in Chinese and a ``code``. See
docs/uploads.md.
"""

import contextlib
import functools
import hashlib
import importlib.util
import io
import math
import re
import struct
import unicodedata
import warnings
from dataclasses import dataclass, field

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 80_000_000
DEFAULT_MAX_SIDE = 4000
DEFAULT_MAX_PDF_PAGES = 50

JPEG_QUALITY = 85
# How many bytes ``filetype`` looks at.
SIGNATURE_BYTES = 8192
# Where a PDF must show its end marker (a cut-off upload has none).
PDF_TAIL_BYTES = 1024
# Objects walked in a PDF looking for active content; more than this is refused.
PDF_MAX_OBJECTS = 100_000
FALLBACK_NAME = "文件"
MAX_NAME_LENGTH = 100


def max_bytes():
    return getattr(settings, "APPLICATIONS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "APPLICATIONS_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_side():
    return getattr(settings, "APPLICATIONS_UPLOAD_MAX_SIDE", DEFAULT_MAX_SIDE)


def max_pdf_pages():
    return getattr(settings, "APPLICATIONS_UPLOAD_MAX_PDF_PAGES", DEFAULT_MAX_PDF_PAGES)


@dataclass(frozen=True)
class UploadFormat:
    label: str  # shown to citizens
    mime: str  # as ``filetype`` reports it
    pillow: str | None  # Pillow's format name; None for PDF
    mimes: tuple[str, ...]  # for the accept attribute
    extensions: tuple[str, ...]


JPEG = UploadFormat("JPEG", "image/jpeg", "JPEG", ("image/jpeg",), (".jpg", ".jpeg"))
PNG = UploadFormat("PNG", "image/png", "PNG", ("image/png",), (".png",))
WEBP = UploadFormat("WebP", "image/webp", "WEBP", ("image/webp",), (".webp",))
HEIC = UploadFormat("HEIC", "image/heic", "HEIF", ("image/heic", "image/heif"), (".heic", ".heif"))
PDF = UploadFormat("PDF", "application/pdf", None, ("application/pdf",), (".pdf",))

# HEIC (iPhone photos) needs pillow_heif, which Wagtail installs (Willow[heif]).
HEIC_AVAILABLE = importlib.util.find_spec("pillow_heif") is not None
ACCEPTED = (JPEG, PNG, WEBP, *((HEIC,) if HEIC_AVAILABLE else ()), PDF)
_BY_MIME = {fmt.mime: fmt for fmt in ACCEPTED}


@dataclass(frozen=True)
class CleanUpload:
    """A cleaned material, ready to store: re-encoded image or checked PDF."""

    content: bytes = field(repr=False)
    content_type: str  # image/jpeg, image/png or application/pdf
    extension: str  # jpg, png or pdf
    original_name: str  # the client's name, sanitised; for display only, never for storage
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None


def accept_attribute():
    """The ``accept`` attribute for file inputs: MIME types, then extensions."""
    mimes = [mime for fmt in ACCEPTED for mime in fmt.mimes]
    extensions = [ext for fmt in ACCEPTED for ext in fmt.extensions]
    return ",".join(mimes + extensions)


def clean_file_name(name):
    """The client's file name for display: basename only (``/`` and ``\\``), no control or
    formatting characters (such as the right-to-left override), at most 100 characters (the
    extension kept); "文件" if nothing is left."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    name = name.strip()
    if not name.strip("."):
        return FALLBACK_NAME
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def _format_bytes(count):
    if count >= 1024 * 1024:
        return f"{round(count / (1024 * 1024), 1):g} MB"
    if count >= 1024:
        return f"{round(count / 1024, 1):g} KB"
    return f"{count} B"


def _read_limited(uploaded_file, limit):
    """At most ``limit`` bytes from the start of the file, in chunks."""
    if hasattr(uploaded_file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            uploaded_file.seek(0)
    chunks = []
    remaining = limit
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _error(code):
    """The ``ValidationError`` for codes that need no numbers."""
    messages = {
        "empty": _("文件是空的，请重新选择文件。"),
        "wrong_type": _("不支持这种文件：只能上传照片（%(formats)s）或 PDF 文件。")
        % {"formats": "、".join(fmt.label for fmt in ACCEPTED if fmt is not PDF)},
        "corrupt": _("文件已损坏或无法识别，请重新拍照或重新生成文件后再上传。"),
        "truncated": _("文件不完整，可能上传时中断了，请重新上传。"),
        "pdf_encrypted": _("PDF 文件设置了密码或加密，请去掉密码后再上传。"),
        "pdf_active_content": _(
            "PDF 文件含有脚本、附件或自动执行的操作，出于安全考虑不能接收。"
            "请另存为普通 PDF，或拍照上传。"
        ),
        "pdf_too_complex": _("PDF 文件结构过于复杂，无法检查。请另存为普通 PDF，或拍照上传。"),
    }
    return ValidationError(messages[code], code=code)


def _too_large(limit):
    return ValidationError(
        _("文件太大，不能超过 %(limit)s。请压缩或缩小后再上传。") % {"limit": _format_bytes(limit)},
        code="too_large",
    )


def _too_many_pixels(limit):
    return ValidationError(
        _("图片尺寸太大（超过 %(limit)s 万像素），请缩小后再上传。")
        % {"limit": f"{round(limit / 10_000):g}"},
        code="too_many_pixels",
    )


def clean_upload(uploaded_file):
    """Check and clean one uploaded material; return a ``CleanUpload`` or raise
    ``ValidationError`` (codes: too_large, empty, wrong_type, corrupt, truncated,
    too_many_pixels, pdf_encrypted, pdf_too_many_pages, pdf_active_content, pdf_too_complex)."""
    limit = max_bytes()
    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(limit)
    data = _read_limited(uploaded_file, limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise _error("empty")
    kind = filetype.guess(data[:SIGNATURE_BYTES])
    fmt = _BY_MIME.get(kind.mime) if kind else None
    if fmt is None:
        raise _error("wrong_type")
    name = clean_file_name(getattr(uploaded_file, "name", ""))
    if fmt is PDF:
        return _clean_pdf(data, name)
    return _clean_image(data, fmt, name)


# --- images -------------------------------------------------------------------------------

# Exceptions Pillow (and pillow_heif) raise on malformed input.
_IMAGE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    RuntimeError,
)
_HIGH_DEPTH_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")
# PNG input in these modes is a scan, a drawing or a screenshot: it stays PNG.
_PNG_KEEP_MODES = ("1", "L", "P", "LA", "La", "PA", *_HIGH_DEPTH_MODES)


@functools.cache
def _register_heif():
    """Teach Pillow HEIC; the same registration Willow (Wagtail's images) does on import."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _open(data, fmt):
    image = Image.open(io.BytesIO(data), formats=[fmt.pillow])
    width, height = image.size
    if width < 1 or height < 1:
        raise _error("corrupt")
    if width * height > max_pixels():
        raise _too_many_pixels(max_pixels())
    return image


def _has_alpha(image):
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return True
    return "transparency" in image.info and image.mode in ("P", "L", "RGB", "1")


def _opaque(image):
    """True if an RGBA/LA image's alpha is everywhere 255."""
    return image.getchannel("A").getextrema() == (255, 255)


def _to_8bit(image):
    """16-bit grey (PNG) to 8-bit, scaled (``convert("L")`` would clip at 255)."""
    image = image.convert("I") if image.mode != "F" else image
    return image.point(lambda value: value / 256).convert("L")


def _normalise(image, fmt):
    """Orientation applied, 8-bit mode chosen, downscaled; returns (image, Pillow format)."""
    source_mode = image.mode
    image = ImageOps.exif_transpose(image)
    if image.mode in _HIGH_DEPTH_MODES:
        image = _to_8bit(image)
    if _has_alpha(image):
        image = image.convert("LA" if image.mode in ("LA", "La") else "RGBA")
        if _opaque(image):
            image = image.convert("L" if image.mode == "LA" else "RGB")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")  # P, CMYK, YCbCr, RGBX ...

    alpha = image.mode in ("RGBA", "LA")
    keep_png = fmt is PNG and (alpha or source_mode in _PNG_KEEP_MODES)
    if fmt is WEBP and alpha:
        keep_png = True
    if not keep_png and alpha:  # JPEG has no alpha: flatten on white
        rgba = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background

    side = max_side()
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return image, "PNG" if keep_png else "JPEG"


def _fresh_copy(image):
    """The pixels only: a new image has no info (EXIF, XMP, ICC, comment) and no palette."""
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return fresh


def _encode(image, pillow_format):
    out = io.BytesIO()
    if pillow_format == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG")
    content = out.getvalue()
    # Fail closed if a Pillow upgrade ever starts carrying metadata into a fresh image.
    with Image.open(io.BytesIO(content)) as check:
        leaked = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(check.info)
        if leaked or check.getexif():
            raise RuntimeError(f"metadata survived re-encoding: {sorted(leaked)}")
    return content


def _clean_image(data, fmt, name):
    if fmt is HEIC:
        _register_heif()
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Something in the process relaxed Pillow; a cut-off photo would be padded with grey.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must be False for uploads")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(data, fmt) as image:
                image.verify()
            with _open(data, fmt) as image:
                side = max_side()
                width, height = image.size
                if fmt is JPEG and max(width, height) > side:
                    # Decode big JPEGs at 1/2, 1/4 or 1/8 scale (never below the target size).
                    scale = side / max(width, height)
                    target = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
                    image.draft(image.mode, target)
                image.load()
                cleaned, pillow_format = _normalise(image, fmt)
                fresh = _fresh_copy(cleaned)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels()) from exc
    except UnidentifiedImageError as exc:
        raise _error("corrupt") from exc
    except _IMAGE_ERRORS as exc:
        if "truncated" in str(exc).lower():
            raise _error("truncated") from exc
        raise _error("corrupt") from exc
    content = _encode(fresh, pillow_format)
    jpeg = pillow_format == "JPEG"
    return CleanUpload(
        content=content,
        content_type="image/jpeg" if jpeg else "image/png",
        extension="jpg" if jpeg else "png",
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=fresh.width,
        height=fresh.height,
    )


# --- PDF ----------------------------------------------------------------------------------

# Names that make a PDF do something: scripts, launching programs, attachments, Flash/media,
# XFA forms (which carry their scripts inside XML streams).
ACTIVE_PDF_NAMES = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
_DELIMITER = rb"\s()<>\[\]{}/%"
_ACTIVE_RAW = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[" + _DELIMITER + rb"]|$)"
)
_ESCAPED_NAME = re.compile(rb"/[^" + _DELIMITER + rb"]*#[^" + _DELIMITER + rb"]*")


def _unescape_name(raw):
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _raw_active_content(data):
    """Conservative scan of the raw bytes, also of names spelled with #xx escapes."""
    if _ACTIVE_RAW.search(data):
        return True
    for match in _ESCAPED_NAME.finditer(data):
        if _ACTIVE_RAW.fullmatch(_unescape_name(match.group())):
            return True
    return False


def _walk_active_content(reader):
    """Every object reachable from the trailer (object streams included, which the raw scan
    cannot read): an active name as a key or as a value (``/S /JavaScript``,
    ``/Type /EmbeddedFile``)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [reader.trailer]
    seen = set()
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise _error("pdf_too_complex")
        if isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in ACTIVE_PDF_NAMES:
                    return True
                if isinstance(value, NameObject) and value in ACTIVE_PDF_NAMES:
                    return True
                if isinstance(value, IndirectObject | DictionaryObject | ArrayObject):
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            for value in list.__iter__(obj):
                if isinstance(value, NameObject) and value in ACTIVE_PDF_NAMES:
                    return True
                if isinstance(value, IndirectObject | DictionaryObject | ArrayObject):
                    stack.append(value)
    return False


def _clean_pdf(data, name):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise _error("wrong_type")
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        raise _error("truncated")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _error("pdf_encrypted")
        if _raw_active_content(data) or _walk_active_content(reader):
            raise _error("pdf_active_content")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        RecursionError,
        OSError,
        struct.error,
        ZeroDivisionError,
    ) as exc:
        raise _error("corrupt") from exc
    if pages < 1:
        raise _error("corrupt")
    limit = max_pdf_pages()
    if pages > limit:
        raise ValidationError(
            _("PDF 文件页数太多（%(pages)s 页），最多 %(limit)s 页。请分开上传或只上传需要的页。")
            % {"pages": pages, "limit": limit},
            code="pdf_too_many_pages",
        )
    return CleanUpload(
        content=data,
        content_type="application/pdf",
        extension="pdf",
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


# --- form field ---------------------------------------------------------------------------


class MaterialFileField(forms.FileField):
    """A file input for one material; ``cleaned_data`` holds a ``CleanUpload`` (or None when
    not required and nothing was chosen).

    A file the wizard already cleaned and stored (an object with a ``stored`` attribute, such
    as ``forms.drafts.StoredUploadedFile``) is passed through as its ``stored`` value: a
    material is cleaned once, never re-encoded again.
    """

    widget = forms.FileInput
    default_error_messages = {
        "required": gettext_lazy("请上传这份材料。"),
        "invalid": gettext_lazy("没有收到文件，请重新选择文件后再提交。"),
        "missing": gettext_lazy("没有收到文件，请重新选择文件后再提交。"),
        "empty": gettext_lazy("文件是空的，请重新选择文件。"),
        "max_length": gettext_lazy("文件名太长，最多 %(max)d 个字符（现在 %(length)d 个）。"),
        "contradiction": gettext_lazy("请选择新文件或勾选清除，不能同时进行。"),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault("accept", accept_attribute())
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value:
            return None
        if not hasattr(value, "read"):  # the initial value: a CleanUpload or a stored record
            return value
        stored = getattr(value, "stored", None)
        if stored is not None:
            return stored
        return clean_upload(value)
