"""Telling applicants what happened, through pluggable notifiers.

``APPLICATIONS_NOTIFIERS`` lists dotted paths of notifier classes (default: the console
notifier). Each has ``channel`` and ``send(application, message)``, which raises
``NotifyError`` when it cannot send. Shipped:

* ``ConsoleNotifier`` — writes the message to the log (development, demo);
* ``EmailNotifier`` — Django's e-mail, to the address the applicant gave (if any);
* ``SmsNotifier`` — hands the text to an ``SmsGateway`` named by ``APPLICATIONS_SMS_GATEWAY``.
  No SMS gateway exists here: a real one implements ``SmsGateway.send_sms(mobile, text)``;
  ``LoggingSmsGateway`` logs what it would send.

Every attempt is kept as a ``Notification`` (sent or with its error).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("bianmin.notify")

DEFAULT_NOTIFIERS = ["forms.notify.ConsoleNotifier"]


class NotifyError(Exception):
    pass


class ConsoleNotifier:
    channel = "console"

    def recipient(self, application):
        return application.mobile

    def send(self, application, message):
        logger.warning("[notify %s] %s", application.mobile, message)


class EmailNotifier:
    channel = "email"

    def recipient(self, application):
        return application.email

    def send(self, application, message):
        if not application.email:
            raise NotifyError("no e-mail address")
        subject = _("办件进度通知（受理编号 %(number)s）") % {
            "number": application.display_tracking_number
        }
        send_mail(subject, message, None, [application.email])


class SmsGateway:
    """The interface an SMS provider's adapter implements."""

    def send_sms(self, mobile, text):  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsGateway(SmsGateway):
    def send_sms(self, mobile, text):
        logger.warning("[sms %s] %s", mobile, text)


class SmsNotifier:
    channel = "sms"

    def __init__(self):
        path = getattr(settings, "APPLICATIONS_SMS_GATEWAY", "")
        self.gateway = import_string(path)() if path else None

    def recipient(self, application):
        return application.mobile

    def send(self, application, message):
        if self.gateway is None:
            raise NotifyError("no SMS gateway configured (APPLICATIONS_SMS_GATEWAY)")
        self.gateway.send_sms(application.mobile, message)


def notifiers():
    paths = getattr(settings, "APPLICATIONS_NOTIFIERS", DEFAULT_NOTIFIERS)
    return [import_string(path)() for path in paths]


def message_for(event):
    """The applicant's message for one event, in plain Chinese."""
    from .actions import clock_state
    from .models import EventAction

    application = event.application
    number = application.display_tracking_number
    site = getattr(settings, "WAGTAIL_SITE_NAME", "")
    values = {"site": site, "number": number, "item": application.item_name}
    action = event.action
    if action == EventAction.SUBMITTED:
        text = _("您申请的“%(item)s”已提交，受理编号 %(number)s，请等待窗口受理。")
    elif action == EventAction.ACCEPTED:
        state = clock_state(application)
        values["deadline"] = state.deadline.strftime("%Y-%m-%d") if state.deadline else ""
        text = _("您申请的“%(item)s”（受理编号 %(number)s）已受理，承诺于 %(deadline)s 前办结。")
    elif action == EventAction.SUPPLEMENT_REQUESTED:
        names = "、".join(i.material_name for i in event.supplement_items.all())
        values["materials"] = names
        text = _(
            "您申请的“%(item)s”（受理编号 %(number)s）需要补正材料：%(materials)s。请查看办件进度页面的一次性告知内容。"
        )
    elif action == EventAction.REJECTED:
        text = _(
            "您申请的“%(item)s”（受理编号 %(number)s）不予受理，理由请查看办件进度页面或领取不予受理告知书。"
        )
    elif action in (EventAction.COMPLETED, EventAction.COMPLETED_ON_THE_SPOT):
        text = _("您申请的“%(item)s”（受理编号 %(number)s）已办结，欢迎对我们的服务进行评价。")
    else:
        values["status"] = application.get_status_display()
        text = _("您申请的“%(item)s”（受理编号 %(number)s）有新的进展：%(status)s。")
    return f"【{site}】" + text % values if site else text % values


def notify(event):
    """Send the event's message through every notifier; keep a record of each attempt."""
    from .models import Notification

    message = message_for(event)
    records = []
    active = notifiers()
    if event.application.is_demo:  # demo mobiles are made up but valid: never text a stranger
        active = [n for n in active if n.channel == ConsoleNotifier.channel]
    for notifier in active:
        record = Notification(
            application=event.application,
            event=event,
            channel=notifier.channel,
            recipient=notifier.recipient(event.application) or "",
            message=message,
        )
        try:
            notifier.send(event.application, message)
            record.sent = True
        except NotifyError as error:
            record.error = str(error)[:300]
        except Exception as error:  # a gateway's failure must not lose the record
            logger.exception("notifier %s failed", notifier.channel)
            record.error = f"{type(error).__name__}: {error}"[:300]
        records.append(record)
    Notification.objects.bulk_create(records)
    return records
