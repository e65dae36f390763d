"""The forms of the back office: one small form per action, the report filters, rectification.

Forms only check what was typed (in Chinese); whether the action is allowed is decided by
``forms.actions``, whose refusal is shown on the same form.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guides.models.choices import MaterialNecessity

from ..models import Outcome
from ..models.applications import SupplementItem
from .queries import township_handlers, user_display

NOTE_ROWS = 2
OTHER_MATERIAL_ROWS = 3
NAME_MAX = SupplementItem._meta.get_field("material_name").max_length
PROBLEM_MAX = SupplementItem._meta.get_field("problem").max_length


def _textarea(rows=NOTE_ROWS):
    return forms.Textarea(attrs={"rows": rows})


NOTE_LABEL = gettext_lazy("说明（可不填）")


def _note(label=NOTE_LABEL):
    return forms.CharField(label=label, required=False, max_length=2000, widget=_textarea())


class ActionForm(forms.Form):
    """Base: a form for one action on one application (``application`` is given)."""

    def __init__(self, *args, application, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)


class AcceptForm(ActionForm):
    note = _note()


class OnTheSpotForm(ActionForm):
    result_note = _note(gettext_lazy("办理结果说明（可不填）"))


class ReceiveSupplementForm(ActionForm):
    note = _note(gettext_lazy("收到的材料（可不填）"))


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("不予受理理由"),
        max_length=2000,
        widget=_textarea(4),
        help_text=gettext_lazy("写明依据和理由，将印在不予受理告知书上并告知申请人。"),
        error_messages={"required": gettext_lazy("请写明不予受理的理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请写明不予受理的理由。"))
        return reason


class ForwardForm(ActionForm):
    to = forms.CharField(
        label=gettext_lazy("上报单位"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写上报的单位。")},
    )
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guide = self.application.guide
        if guide is not None and getattr(guide, "deciding_body", ""):
            self.fields["to"].initial = guide.deciding_body


class ForwardProgressForm(ActionForm):
    note = forms.CharField(
        label=gettext_lazy("上报进展"),
        max_length=2000,
        widget=_textarea(),
        error_messages={"required": gettext_lazy("请填写上报进展。")},
    )


class CompleteForm(ActionForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("办理结果"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择办理结果：准予办理或不予办理。"),
            "invalid_choice": gettext_lazy("请选择办理结果：准予办理或不予办理。"),
        },
    )
    result_note = forms.CharField(
        label=gettext_lazy("结果说明"),
        required=False,
        max_length=2000,
        widget=_textarea(3),
        help_text=gettext_lazy("不予办理时必须写明理由；准予办理可写明结果和领取方式。"),
    )

    def clean(self):
        data = super().clean()
        note = (data.get("result_note") or "").strip()
        data["result_note"] = note
        if data.get("outcome") == Outcome.DENIED and not note:
            self.add_error("result_note", _("不予办理必须写明理由。"))
        return data


class ReassignForm(ActionForm):
    to_user = forms.ModelChoiceField(
        label=gettext_lazy("转交给"),
        queryset=None,
        empty_label=gettext_lazy("请选择"),
        error_messages={
            "required": gettext_lazy("请选择接手的工作人员。"),
            "invalid_choice": gettext_lazy("只能转交给本乡镇（街道）的窗口工作人员。"),
        },
    )
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handlers = township_handlers(self.application.township)
        if self.application.assigned_clerk_id:
            handlers = handlers.exclude(pk=self.application.assigned_clerk_id)
        field = self.fields["to_user"]
        field.queryset = handlers
        field.label_from_instance = user_display

    @property
    def has_choices(self):
        return self.fields["to_user"].queryset.exists()


class SupplementRequestForm(ActionForm):
    """一次性告知: every material of the guide with a tick box and its problem, plus free rows for
    anything else, so that everything missing or invalid is listed at once."""

    note = _note(gettext_lazy("补充说明（可不填）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guide = self.application.guide
        self.materials = list(guide.materials.all()) if guide is not None else []
        uploaded = {}
        for f in self.application.files.all():
            uploaded.setdefault(f.material_id, []).append(f.original_name)
        self.material_rows = []
        for material in self.materials:
            tick, problem = f"m{material.pk}", f"m{material.pk}_problem"
            self.fields[tick] = forms.BooleanField(label=material.name, required=False)
            self.fields[problem] = forms.CharField(
                label=_("“%(name)s”的问题") % {"name": material.name},
                required=False,
                max_length=PROBLEM_MAX,
            )
            self.material_rows.append(
                {
                    "material": material,
                    "tick": self[tick],
                    "problem": self[problem],
                    "uploaded": uploaded.get(material.pk, []),
                    "deferrable": material.necessity == MaterialNecessity.DEFERRABLE,
                }
            )
        self.other_rows = []
        for i in range(OTHER_MATERIAL_ROWS):
            name, problem = f"other{i}_name", f"other{i}_problem"
            self.fields[name] = forms.CharField(
                label=_("其他材料%(n)s：名称") % {"n": i + 1},
                required=False,
                max_length=NAME_MAX,
            )
            self.fields[problem] = forms.CharField(
                label=_("其他材料%(n)s：问题") % {"n": i + 1},
                required=False,
                max_length=PROBLEM_MAX,
            )
            self.other_rows.append({"name": self[name], "problem": self[problem]})

    def clean(self):
        data = super().clean()
        items = []
        for material in self.materials:
            tick, problem = f"m{material.pk}", f"m{material.pk}_problem"
            ticked = data.get(tick)
            text = (data.get(problem) or "").strip()
            if ticked and not text:
                self.add_error(
                    problem,
                    _("请写明“%(name)s”的问题（缺少、不清晰、已过期等）。")
                    % {"name": material.name},
                )
            elif text and not ticked:
                self.add_error(
                    tick,
                    _("已填写“%(name)s”的问题，请勾选该材料，或清空问题。")
                    % {"name": material.name},
                )
            elif ticked:
                items.append((material.name[:NAME_MAX], text))
        for i in range(OTHER_MATERIAL_ROWS):
            name_field, problem_field = f"other{i}_name", f"other{i}_problem"
            name = (data.get(name_field) or "").strip()
            text = (data.get(problem_field) or "").strip()
            if name and not text:
                self.add_error(
                    problem_field,
                    _("请写明“%(name)s”的问题（缺少、不清晰、已过期等）。") % {"name": name},
                )
            elif text and not name:
                self.add_error(name_field, _("请填写材料名称。"))
            elif name:
                items.append((name, text))
        if not items and not self.errors:
            raise forms.ValidationError(
                _("请勾选需要补正的材料并写明问题，或在“其他材料”中填写，至少一项。")
            )
        data["items"] = items
        return data


# --- reports ------------------------------------------------------------------------------


def month_bounds(day):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


# At most a year: below statistics.MAX_PERIOD_DAYS, so the statistics table's Period (built
# from the cleaned range) is never refused; a longer range is the form's error, in Chinese.
MAX_REPORT_DAYS = 366


class ReportFilterForm(forms.Form):
    """Date range (default: this month) and township (when the user has several)."""

    date_from = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2026-09-01。")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2026-09-30。")},
    )
    township = forms.ModelChoiceField(
        label=gettext_lazy("乡镇（街道）"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("全部"),
        error_messages={"invalid_choice": gettext_lazy("请选择您所在的乡镇（街道）。")},
    )

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.townships = townships.order_by("code")
        self.fields["township"].queryset = self.townships
        self.several_townships = self.townships.count() > 1
        if not self.several_townships:
            del self.fields["township"]
        first, last = month_bounds(timezone.localdate())
        self.fields["date_from"].initial = first
        self.fields["date_to"].initial = last

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        first, last = month_bounds(timezone.localdate())
        date_from = data.get("date_from") or first
        date_to = data.get("date_to") or (
            month_bounds(date_from)[1] if data.get("date_from") else last
        )
        if date_to < date_from:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        if (date_to - date_from).days >= MAX_REPORT_DAYS:
            raise forms.ValidationError(_("一次最多统计一年（366天）。"))
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def selected_townships(self):
        township = self.cleaned_data.get("township")
        if township is not None:
            return self.townships.filter(pk=township.pk)
        return self.townships


class RectificationForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("整改情况与回复"),
        max_length=4000,
        widget=_textarea(6),
        help_text=gettext_lazy("核实情况、整改措施和对申请人的回复（回访）。"),
        error_messages={"required": gettext_lazy("请填写整改情况与回复。")},
    )
