"""Context and variants (printable view, one-time notification slip) for a guide page."""

from django.template.response import TemplateResponse


def guide_context(guide):
    return {
        "township": guide.township,
        "conditions": guide.conditions.all(),
        "steps": guide.steps.all(),
        "materials": guide.materials.all(),
        "fees": guide.fees.select_related("fee_standard"),
        "legal_bases": guide.legal_bases.select_related("legal_basis"),
        "faqs": guide.faqs.all(),
    }


VARIANTS = {"print": "guides/service_guide_page_print.html", "slip": "guides/service_guide_page_slip.html"}


def serve_guide_variant(guide, request):
    """``?view=print`` and ``?view=slip`` render the printable guide and the 一次性告知单."""
    template = VARIANTS.get(request.GET.get("view", ""))
    if not template:
        return None
    return TemplateResponse(request, template, guide.get_context(request))
