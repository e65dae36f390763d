"""Complaints and suggestions (投诉建议): receiving, answering, the forms.

The reply deadline is ``APPLICATIONS_COMPLAINT_DAYS`` working days (default 5) after the day a
complaint is received. Local rules differ (some counties give 3, others 7 or 15 working days):
set the number that applies in the settings.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.models import TownshipPage

from .. import clock, ratelimit, statistics
from ..identifiers import normalize_tracking_number
from ..models import Complaint, ComplaintKind, ComplaintStatus
from ..models.complaints import FOLLOW_UP_ALPHABET, FOLLOW_UP_LENGTH, new_follow_up_code
from ..validators import clean_mobile

DEFAULT_COMPLAINT_DAYS = 5
# The rate-limit scope of new complaints: "complaint" once forms.ratelimit knows it (see
# docs/supervision.md), until then the scope of new application drafts.
RATE_SCOPE = "complaint"
FALLBACK_RATE_SCOPE = "start"
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
HONEYPOT = "homepage"


def complaint_days():
    return getattr(settings, "APPLICATIONS_COMPLAINT_DAYS", DEFAULT_COMPLAINT_DAYS)


def reply_deadline(received_on):
    return clock.add_working_days(received_on, complaint_days())


def rate_scope():
    rates = {**ratelimit.DEFAULT_RATES, **getattr(settings, "APPLICATIONS_RATE_LIMITS", {})}
    return RATE_SCOPE if RATE_SCOPE in rates else FALLBACK_RATE_SCOPE


def normalize_follow_up_code(value):
    """Upper case, spaces and dashes removed; '' unless 10 characters of the alphabet."""
    code = "".join(c for c in (value or "")[:40].upper() if c.isalnum())
    if len(code) != FOLLOW_UP_LENGTH or any(c not in FOLLOW_UP_ALPHABET for c in code):
        return ""
    return code


def create_complaint(
    *, township, kind, subject, content, name="", phone="", tracking_number="", when=None
):
    moment = when or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Complaint.objects.create(
                    township=township,
                    kind=kind,
                    subject=subject,
                    content=content,
                    name=name,
                    phone=phone,
                    tracking_number=tracking_number,
                    follow_up_code=new_follow_up_code(),
                    deadline=reply_deadline(timezone.localtime(moment).date()),
                    created_at=moment,
                )
        except IntegrityError:  # pragma: no cover - a follow-up code drawn twice
            continue
    raise RuntimeError("could not draw an unused follow-up code")  # pragma: no cover


@transaction.atomic
def reply(complaint, user, text, *, published=False, close=False, when=None):
    """Answer (or correct the answer to) a complaint. The first answer's time is the one the
    deadline is measured against; closing means nothing more will be done."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.reply = text.strip()
    complaint.reply_published = published
    complaint.replied_by = user
    if complaint.replied_at is None:
        complaint.replied_at = when or timezone.now()
    if close:
        complaint.status = ComplaintStatus.CLOSED
    elif complaint.status == ComplaintStatus.RECEIVED:
        complaint.status = ComplaintStatus.REPLIED
    complaint.save()
    return complaint


def is_overdue(complaint, today=None):
    today = today or statistics.local_today()
    return complaint.status == ComplaintStatus.RECEIVED and complaint.deadline < today


# --- forms --------------------------------------------------------------------------------


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ComplaintForm(forms.Form):
    township = TownshipChoiceField(
        label=gettext_lazy("乡镇（街道）"),
        queryset=TownshipPage.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("请选择"),
        help_text=gettext_lazy("投诉或建议针对的乡镇（街道）便民服务中心"),
        error_messages={
            "required": gettext_lazy("请选择乡镇（街道）。"),
            "invalid_choice": gettext_lazy("请从列表中选择乡镇（街道）。"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择是投诉还是建议。")},
    )
    subject = forms.CharField(
        label=gettext_lazy("主题"),
        max_length=100,
        help_text=gettext_lazy("一句话说明，例如：窗口午休时间无人值守"),
        error_messages={
            "required": gettext_lazy("请填写主题。"),
            "max_length": gettext_lazy("主题最多100个字。"),
        },
    )
    content = forms.CharField(
        label=gettext_lazy("具体内容"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("时间、地点、经过和您的诉求，最多2000字"),
        error_messages={
            "required": gettext_lazy("请填写具体内容。"),
            "max_length": gettext_lazy("具体内容最多2000字。"),
            "min_length": gettext_lazy("请再具体说明一下（至少5个字）。"),
        },
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("相关办件的受理编号"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("与某个办件有关时填写，16位数字"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("姓名"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("可以匿名；留下姓名和电话便于我们回访核实"),
        error_messages={"max_length": gettext_lazy("姓名最多50个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("手机号码，或带区号的固定电话"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # Hidden from people (and from assistive technology): only bots fill it in.
    homepage = forms.CharField(
        label=gettext_lazy("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = TownshipPage.objects.live().order_by("code")

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]

    def clean_tracking_number(self):
        value = self.cleaned_data["tracking_number"].strip()
        if not value:
            return ""
        number = normalize_tracking_number(value)
        if not number:
            raise ValidationError(_("受理编号是16位数字，请核对；不清楚可以不填。"))
        return number

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        folded = re.sub(r"[\s（）()]", "", value)
        if folded.startswith("0"):
            if LANDLINE_RE.match(folded):
                return folded
            raise ValidationError(_("固定电话请带区号，例如 0826-2345678。"))
        try:
            return clean_mobile(folded)
        except ValidationError as error:
            raise ValidationError(
                _("请填写11位手机号码或带区号的固定电话；也可以不填。")
            ) from error

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT):
            raise ValidationError(_("提交未成功，请刷新页面后重新填写。"), code="honeypot")
        return data


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=40,
        help_text=gettext_lazy("提交投诉建议后得到的10位字母和数字，例如 K7MP4-Q2XH9"),
        error_messages={"required": gettext_lazy("请输入查询码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = normalize_follow_up_code(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("查询码是10位字母和数字，请核对后重新输入。"))
        return code


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("答复"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("请填写答复内容。")},
    )
    reply_published = forms.BooleanField(
        label=gettext_lazy("在网站上公开答复（只公开主题和答复，不公开姓名、电话和投诉内容）"),
        required=False,
    )
    close = forms.BooleanField(
        label=gettext_lazy("答复后办结（不再跟进）"),
        required=False,
    )
