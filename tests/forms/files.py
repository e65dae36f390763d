"""Test files made in memory: good photos and PDFs, and hostile ones.

``*_bytes`` functions return the raw bytes; ``*_upload`` functions wrap them in a
``SimpleUploadedFile`` with a file name and the content type a browser might claim.
"""

import functools
import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

RED = (255, 0, 0)
BLUE = (0, 0, 255)
# Where the test photo was "taken": Guang'an (广安).
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (30.0, 27.0, 36.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (106.0, 38.0, 24.0),
}
CAMERA_MODEL = "TestPhone 15 Pro"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-xmp</rdf:RDF></x:xmpmeta>'
COMMENT = b"secret-comment"


def _upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


def two_colour_image(size=(20, 10), mode="RGB"):
    """Left half red, right half blue (shows which way an image was turned)."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image.convert(mode)


def exif_bytes(orientation=6, gps=True):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestMaker"
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = dict(GPS)
    return exif.tobytes()


def srgb_icc():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_bytes(size=(20, 10), exif=True, orientation=6, metadata=True, mode="RGB", noise=False):
    """A JPEG; with ``exif`` it carries camera, GPS and ``orientation`` tags, with ``metadata``
    also XMP, an ICC profile and a comment."""
    image = Image.effect_noise(size, 60).convert(mode) if noise else two_colour_image(size, mode)
    params = {"quality": 95}
    if exif:
        params["exif"] = exif_bytes(orientation)
    if metadata:
        params.update(xmp=XMP, icc_profile=srgb_icc(), comment=COMMENT)
    out = io.BytesIO()
    image.save(out, "JPEG", **params)
    return out.getvalue()


def jpeg_upload(name="身份证正面.jpg", **kwargs):
    return _upload(name, jpeg_bytes(**kwargs), "image/jpeg")


def cmyk_jpeg_upload(name="scan-cmyk.jpg"):
    return _upload(name, jpeg_bytes(mode="CMYK", exif=False, metadata=False), "image/jpeg")


def jpeg_with_payload_upload(name="photo.jpg", payload=b"<script>alert(1)</script>PK\x03\x04"):
    """A valid JPEG with something appended after its end (a polyglot)."""
    return _upload(name, jpeg_bytes(exif=False, metadata=False) + payload, "image/jpeg")


def png_bytes(size=(20, 10), transparent=True, mode=None, metadata=True):
    """A PNG: RGBA with a fully transparent top-left corner by default, else ``mode``; with
    ``metadata`` also an eXIf chunk (GPS) and a text chunk."""
    if mode is None:
        mode = "RGBA" if transparent else "RGB"
    image = two_colour_image(size, "RGBA" if transparent else "RGB")
    if transparent:
        image.putpixel((0, 0), (0, 0, 0, 0))
    if mode not in ("RGBA", "RGB"):
        image = image.convert(mode)
    params = {}
    if metadata:
        info = PngInfo()
        info.add_text("Comment", COMMENT.decode())
        params.update(exif=exif_bytes(orientation=0), pnginfo=info)
    out = io.BytesIO()
    image.save(out, "PNG", **params)
    return out.getvalue()


def png_upload(name="印章.png", **kwargs):
    return _upload(name, png_bytes(**kwargs), "image/png")


def palette_png_upload(name="form.png"):
    return _upload(name, png_bytes(transparent=False, mode="P"), "image/png")


def gray16_png_upload(name="scan16.png", size=(20, 10)):
    """16-bit greyscale: left half white (65535), right half mid-grey (32768)."""
    image = Image.new("I;16", size, 32768)
    image.paste(65535, (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return _upload(name, out.getvalue(), "image/png")


def webp_bytes(size=(20, 10), alpha=False):
    image = two_colour_image(size, "RGBA" if alpha else "RGB")
    if alpha:
        image.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, exif=exif_bytes())
    return out.getvalue()


def webp_upload(name="photo.webp", alpha=False, **kwargs):
    return _upload(name, webp_bytes(alpha=alpha, **kwargs), "image/webp")


def heic_bytes(size=(20, 10), orientation=6):
    """An iPhone-style HEIC with EXIF (GPS, orientation)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    two_colour_image(size).save(out, "HEIF", quality=90, exif=exif_bytes(orientation))
    return out.getvalue()


def heic_upload(name="IMG_0001.HEIC", **kwargs):
    return _upload(name, heic_bytes(**kwargs), "image/heic")


# --- PDF ----------------------------------------------------------------------------------


def build_pdf(objects, root=1, trailer=b""):
    """A classic PDF from object bodies (object numbers 1, 2, ...) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer)
    out += b"startxref\n%d\n" % xref
    out += b"%%EOF\n"
    return bytes(out)


def _page_objects(pages, first=3):
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    page_tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return page_tree, [page] * pages


def pdf_bytes(pages=1, catalog_extra=b"", extra_objects=()):
    """A small valid PDF of blank A4 pages; ``catalog_extra`` goes into the catalog and
    ``extra_objects`` are numbered after the pages."""
    page_tree, page_objects = _page_objects(pages)
    catalog = b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_extra
    return build_pdf([catalog, page_tree, *page_objects, *extra_objects])


def pdf_upload(name="户口簿.pdf", pages=1):
    return _upload(name, pdf_bytes(pages), "application/pdf")


def scanned_pdf_upload(name="scan.pdf", pages=2):
    """A PDF as a scanner app writes it: one image per page (Pillow's PDF writer)."""
    images = [two_colour_image((60, 80)) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return _upload(name, out.getvalue(), "application/pdf")


def truncated_pdf_upload(name="cut.pdf"):
    data = pdf_bytes(3)
    return _upload(name, data[: len(data) * 2 // 3], "application/pdf")


def corrupt_pdf_upload(name="broken.pdf"):
    """A PDF header and end marker around garbage: no objects, no catalog."""
    garbage = random.Random(1).randbytes(2000)
    return _upload(name, b"%PDF-1.4\n" + garbage + b"\n%%EOF\n", "application/pdf")


def encrypted_pdf_upload(name="加密.pdf", user_password="1234"):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return _upload(name, out.getvalue(), "application/pdf")


def javascript_pdf_upload(name="js.pdf"):
    """Runs a script when opened (/OpenAction /JavaScript)."""
    action = b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> "
    return _upload(name, pdf_bytes(catalog_extra=action), "application/pdf")


def escaped_javascript_pdf_upload(name="js-escaped.pdf"):
    """The same script with its names spelled with #xx escapes (/J#61vaScript = /JavaScript)."""
    action = b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> "
    return _upload(name, pdf_bytes(catalog_extra=action), "application/pdf")


def launch_pdf_upload(name="launch.pdf"):
    action = b"/OpenAction << /S /Launch /F (cmd.exe) >> "
    return _upload(name, pdf_bytes(catalog_extra=action), "application/pdf")


def embedded_file_pdf_upload(name="attachment.pdf"):
    """An attachment (a Windows program) in the catalog's names tree."""
    # Objects 1 catalog, 2 pages, 3 page, 4 file specification, 5 embedded file stream.
    names = b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> "
    filespec = b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>"
    stream = b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"
    data = pdf_bytes(catalog_extra=names, extra_objects=[filespec, stream])
    return _upload(name, data, "application/pdf")


def object_stream_javascript_pdf_upload(name="js-objstm.pdf"):
    """PDF 1.5 with the script action compressed inside an object stream, so the raw bytes
    show no /JavaScript: only a parser finds it."""
    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"4 0 "
    compressed = zlib.compress(header + action)
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        5: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\n"
        b"endstream" % (len(header), len(compressed), compressed),
    }
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[6] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows.append(struct.pack(">BIH", 2, 5, 0))  # object 4: in object stream 5, index 0
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (5, 6)]
    xref = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        len(xref)
    )
    out += xref + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return _upload(name, bytes(out), "application/pdf")


# --- hostile images and other types ---------------------------------------------------------


def truncated_jpeg_upload(name="cut.jpg"):
    data = jpeg_bytes(size=(200, 200), exif=False, metadata=False, noise=True)
    return _upload(name, data[: len(data) // 2], "image/jpeg")


def truncated_png_upload(name="cut.png"):
    image = Image.effect_noise((200, 200), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    return _upload(name, data[: len(data) // 2], "image/png")


def corrupt_jpeg_upload(name="broken.jpg"):
    """A JPEG's first bytes (SOI and the JFIF segment), then garbage."""
    head = jpeg_bytes(exif=False, metadata=False)[:20]
    return _upload(name, head + random.Random(2).randbytes(3000), "image/jpeg")


def corrupt_png_upload(name="broken.png"):
    """The PNG signature, then garbage."""
    return _upload(name, b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(3000), "image/png")


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_bytes(width, height, idat=b""):
    """A 1-bit greyscale PNG declaring ``width`` x ``height``, with the given compressed data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat or zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


@functools.cache
def bomb_png_bytes(side=30000):
    """A real decompression bomb: ~110 KB that decode to side x side pixels (900 million for
    30000), all black, the pixel data fully present."""
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(compressor.compress(row * (side % 1000)))
    parts.append(compressor.flush())
    return png_header_bytes(side, side, b"".join(parts))


def bomb_png_upload(name="bomb.png", side=30000):
    return _upload(name, bomb_png_bytes(side), "image/png")


def png_header_upload(width, height, name="huge.png"):
    return _upload(name, png_header_bytes(width, height), "image/png")


def oversized_upload(size_bytes, name="big.jpg"):
    """A JPEG padded with zeros to ``size_bytes``."""
    data = jpeg_bytes(exif=False, metadata=False)
    return _upload(name, data + b"\x00" * max(0, size_bytes - len(data)), "image/jpeg")


def html_as_jpeg_upload(name="photo.jpg"):
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    return _upload(name, html, "image/jpeg")


def exe_as_pdf_upload(name="证明.pdf"):
    """A Windows program's header (MZ ... PE) renamed .pdf."""
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44
    data += struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 200
    return _upload(name, data, "application/pdf")


def svg_upload(name="seal.svg"):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )
    return _upload(name, svg, "image/svg+xml")


def gif_upload(name="photo.gif"):
    out = io.BytesIO()
    two_colour_image().save(out, "GIF")
    return _upload(name, out.getvalue(), "image/gif")


def empty_upload(name="empty.jpg"):
    return _upload(name, b"", "image/jpeg")
