"""Context and variants (printable view, one-time notification slip) for a guide page."""

from django.template.response import TemplateResponse
from django.urls import reverse

from .presenters import GuidePresenter


def guide_context(guide):
    presenter = GuidePresenter(guide)
    apply_url = reverse("applications:start", args=[guide.pk]) if guide.channel_online else ""
    return {
        "apply_url": apply_url,
        "township": presenter.township,
        "guide_view": presenter,
        "sections": presenter.sections,
        "print_url": "?view=print",
        "slip_url": "?view=slip",
    }


VARIANTS = {
    "print": "guides/service_guide_page_print.html",
    "slip": "guides/service_guide_page_slip.html",
}


def serve_guide_variant(guide, request):
    """``?view=print`` and ``?view=slip`` render the printable guide and the 一次性告知单."""
    template = VARIANTS.get(request.GET.get("view", ""))
    if not template:
        return None
    response = TemplateResponse(request, template, guide.get_context(request))
    response["X-Robots-Tag"] = "noindex"
    return response
