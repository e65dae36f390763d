"""One small demo PDF per result type, shared by every guide as its result sample (结果样本)."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from .. import factories
from ..models.choices import ResultType

SAMPLE_TITLES = {
    ResultType.CERTIFICATE: "办理结果样本：证照（演示）",
    ResultType.DOCUMENT: "办理结果样本：决定文书（演示）",
    ResultType.APPROVAL: "办理结果样本：审批结果（演示）",
    ResultType.OTHER: "办理结果样本：其他结果（演示）",
}


def tiny_pdf(text):
    """A valid one-page PDF showing one line of ASCII ``text``."""
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def ensure_result_samples():
    """ResultType → its demo sample Document, created once (found again by title)."""
    Document = get_document_model()
    samples = {}
    for result_type, title in SAMPLE_TITLES.items():
        document = Document.objects.filter(title=title).first()
        if document is None:
            content = tiny_pdf(f"DEMO SAMPLE - {result_type.value} - not a real document")
            document = factories.DocumentFactory(
                title=title,
                file=ContentFile(content, name=f"demo-result-sample-{result_type.value}.pdf"),
            )
        samples[result_type] = document
    return samples
