"""Printable documents (print CSS, no admin chrome): 不予受理告知书, 一次性告知书 and the staff copy
of the acceptance receipt (受理回执存根)."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApplicationStatus, EventAction
from .queries import remedies
from .views import get_application, require_handler


def _last_event(application, action):
    return (
        application.events.filter(action=action)
        .select_related("actor")
        .prefetch_related("supplement_items")
        .order_by("-created_at", "-pk")
        .first()
    )


def _rejection(application):
    if application.status != ApplicationStatus.REJECTED:
        return None
    body, court = remedies(application)
    event = _last_event(application, EventAction.REJECTED)
    return {
        "title": _("不予受理告知书"),
        "template": "applications/admin/print/rejection.html",
        "event": event,
        "date": timezone.localtime(application.closed_at).date() if application.closed_at else None,
        "reconsideration_body": body,
        "litigation_court": court,
    }


def _supplement(application):
    event = _last_event(application, EventAction.SUPPLEMENT_REQUESTED)
    if event is None:
        return None
    return {
        "title": _("一次性告知书"),
        "template": "applications/admin/print/supplement.html",
        "event": event,
        "items": list(event.supplement_items.all()),
        "date": timezone.localtime(event.created_at).date(),
        "paused": application.accepted_at is not None,
    }


def _receipt(application):
    if application.accepted_at is None:
        return None
    event = _last_event(application, EventAction.ACCEPTED) or _last_event(
        application, EventAction.COMPLETED_ON_THE_SPOT
    )
    return {
        "title": _("受理回执"),
        "template": "applications/admin/print/receipt.html",
        "event": event,
        "files": list(application.files.all()),
        "date": timezone.localtime(application.accepted_at).date(),
        "guide": application.guide,
    }


DOCUMENTS = {"rejection": _rejection, "supplement": _supplement, "receipt": _receipt}


def print_document(request, pk, document):
    require_handler(request.user)
    application = get_application(request, pk)
    build = DOCUMENTS.get(document)
    context = build(application) if build else None
    if context is None:  # unknown, or not (yet) issued for this application
        raise Http404("no such document for this application")
    context.update(
        {
            "application": application,
            "township": application.township,
            "clerk": context["event"].actor_name if context.get("event") else "",
        }
    )
    response = TemplateResponse(request, context["template"], context)
    response["Cache-Control"] = "private, no-store"
    return response
