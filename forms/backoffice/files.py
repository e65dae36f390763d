"""The applicant's materials, served from private storage to the staff who handle the case only.

Anyone else gets a 404 (never a hint that the file exists); anonymous visitors are sent to the
admin login by Wagtail's admin access check before this view runs.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..models import ApplicationFile
from ..permissions import handleable_applications
from ..private_storage import open_private

# Shown in the browser (the uploads are cleaned and re-encoded: docs/uploads.md); anything else
# is downloaded as bytes.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def material_file(request, pk):
    stored = get_object_or_404(
        ApplicationFile.objects.filter(application__in=handleable_applications(request.user)),
        pk=pk,
    )
    try:
        handle = open_private(stored.stored_name)
    except (FileNotFoundError, ValueError) as error:
        raise Http404("file missing") from error
    inline = stored.content_type in INLINE_TYPES and request.GET.get("download") != "1"
    content_type = (
        stored.content_type if stored.content_type in INLINE_TYPES else "application/octet-stream"
    )
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.original_name or f"material-{stored.pk}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    if content_type.startswith("image/"):
        response["Content-Security-Policy"] = IMAGE_CSP
    return response
