"""One form per step of the application wizard (one thing per page, GOV.UK patterns)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _

from guides.models import TownshipPage, VillageStationPage

from ..models import DeliveryMethod, QuestionKind
from ..validators import clean_id_number, clean_mobile

REQUIRED = {"required": _("此项为必填项。")}


class StepForm(forms.Form):
    """A step: ``title`` is the page's question, ``summary()`` its answers for the check page."""

    title = ""
    template_name_div = "applications/wizard/fields.html"

    def summary(self):
        """``[(label, display value)]`` from cleaned data."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            rows.append((field.label, display_value(field, value)))
        return rows


def display_value(field, value):
    if value in (None, "", [], False) and not isinstance(field, forms.BooleanField):
        return _("未填写")
    if isinstance(field, forms.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return dict(flatten_choices(field.choices)).get(value, value)
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "original_name"):
        return value.original_name
    return str(value)


class ApplicantForm(StepForm):
    title = _("申请人信息")
    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请输入申请人姓名。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("公民身份号码"),
        max_length=30,
        help_text=_("18位，最后一位可能是X"),
        error_messages={"required": _("请输入公民身份号码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("用于接收办理进度通知和查询进度"),
        error_messages={"required": _("请输入手机号码。")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        error_messages={"invalid": _("电子邮箱格式不正确，例如 name@example.com。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_name(self):
        name = "".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise ValidationError(_("请输入完整姓名。"))
        return name

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self):
        return clean_mobile(self.cleaned_data["mobile"])


class AddressForm(StepForm):
    title = _("住址")
    township = forms.ChoiceField(
        label=_("所在乡镇（街道）"), error_messages={"required": _("请选择所在乡镇（街道）。")}
    )
    village = forms.ChoiceField(
        label=_("所在村（社区）"), error_messages={"required": _("请选择所在村（社区）。")}
    )
    address = forms.CharField(
        label=_("详细地址"),
        max_length=200,
        help_text=_("例如：3组25号"),
        error_messages={"required": _("请输入详细地址。")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, county_code="", **kwargs):
        super().__init__(*args, **kwargs)
        townships = TownshipPage.objects.live().filter(code__startswith=county_code)
        townships = townships.order_by("code").values_list("code", "title")
        villages = (
            VillageStationPage.objects.live()
            .filter(code__startswith=county_code)
            .order_by("code")
            .values_list("code", "title")
        )
        names = dict(townships)
        self.fields["township"].choices = [("", _("请选择")), *townships]
        grouped = {}
        for code, title in villages:
            grouped.setdefault(names.get(code[:9], code[:9]), []).append((code, title))
        self.fields["village"].choices = [("", _("请选择")), *grouped.items()]
        self.township_names = names

    def clean(self):
        data = super().clean()
        township, village = data.get("township"), data.get("village")
        if township and village and not village.startswith(township):
            self.add_error(
                "village",
                _("所选村（社区）不属于%(township)s，请重新选择。")
                % {"township": self.township_names.get(township, township)},
            )
        return data


def question_form(question):
    """A form class for one editor-defined question."""
    field_kwargs = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": {"required": _("请回答这个问题。")},
    }
    kind = question.kind
    if kind == QuestionKind.NUMBER:
        field = forms.IntegerField(
            min_value=0,
            max_value=1_000_000,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **field_kwargs,
        )
        field.error_messages["invalid"] = _("请输入一个整数，例如 3。")
        field.error_messages["min_value"] = _("不能小于 %(limit_value)s。")
        field.error_messages["max_value"] = _("不能大于 %(limit_value)s。")
    elif kind == QuestionKind.DATE:
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **field_kwargs)
        field.error_messages["invalid"] = _("请输入正确的日期，例如 2026-12-01。")
    elif kind == QuestionKind.CHOICE:
        field = forms.ChoiceField(
            choices=[(c, c) for c in question.choice_list],
            widget=forms.RadioSelect,
            **field_kwargs,
        )
        field.error_messages["invalid_choice"] = _("请从列出的选项中选择。")
    elif kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(
            choices=[("是", _("是")), ("否", _("否"))], widget=forms.RadioSelect, **field_kwargs
        )
        field.error_messages["invalid_choice"] = _("请选择“是”或“否”。")
    else:
        field = forms.CharField(max_length=500, **field_kwargs)
    return type(
        f"Question_{question.key}",
        (StepForm,),
        {"title": question.label, "answer": field, "question": question},
    )


def draft_file_field(**kwargs):
    """A material field that accepts a new upload (cleaned by ``forms.uploads``) or keeps the
    one already stored in the draft (cleaned when it was uploaded, not again)."""
    from ..uploads import MaterialFileField

    class DraftMaterialField(MaterialFileField):
        def clean(self, data, initial=None):
            stored = getattr(data, "stored", None)
            if stored is not None:
                return stored
            return super().clean(data, initial)

    return DraftMaterialField(**kwargs)


def material_form(material):
    from guides.models.choices import MaterialNecessity

    required = material.necessity == MaterialNecessity.REQUIRED
    help_parts = [str(material.get_material_type_display())]
    if material.copies and material.copies > 1:
        help_parts.append(_("%(count)s份") % {"count": material.copies})
    if material.necessity == MaterialNecessity.DEFERRABLE:
        help_parts.append(str(_("容缺受理：可以先不上传，受理后补交")))
    elif not required:
        help_parts.append(str(_("非必要材料，可不上传")))
    if material.notes:
        help_parts.append(material.notes)
    field = draft_file_field(
        label=material.name, required=required, help_text="；".join(help_parts)
    )
    return type(
        f"Material_{material.pk}",
        (StepForm,),
        {"title": material.name, "file": field, "material": material, "is_upload": True},
    )


class DeliveryForm(StepForm):
    title = _("办理结果怎么领取")
    delivery = forms.ChoiceField(
        label=_("领取方式"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择领取方式。")},
    )
    postal_address = forms.CharField(
        label=_("邮寄地址（选择邮寄时必填）"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("delivery") == DeliveryMethod.POST
            and not data.get("postal_address", "").strip()
        ):
            self.add_error("postal_address", _("选择邮寄送达时，请填写邮寄地址。"))
        return data


PERIODS = [("am", _("上午")), ("pm", _("下午"))]


class AppointmentForm(StepForm):
    title = _("预约到窗口办理的时间")
    appointment_date = forms.ChoiceField(
        label=_("日期"), required=False, help_text=_("不预约可以不选，工作时间直接到窗口办理")
    )
    appointment_period = forms.ChoiceField(
        label=_("时段"), choices=[("", _("不预约")), *PERIODS], required=False
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointment_date"].choices = [("", _("不预约"))] + [
            (day.isoformat(), label) for day, label in slots
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("appointment_date")) != bool(data.get("appointment_period")):
            self.add_error("appointment_period", _("预约请同时选择日期和时段；不预约请都不选。"))
        return data


class HomeVisitForm(StepForm):
    title = _("是否需要上门办理")
    home_visit = forms.ChoiceField(
        label=_("上门办理"),
        choices=[("no", _("不需要")), ("yes", _("需要：年老、患病或残疾，行动不便"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否需要上门办理。")},
    )
    home_visit_reason = forms.CharField(
        label=_("情况说明（需要上门时必填）"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("home_visit") == "yes" and not data.get("home_visit_reason", "").strip():
            self.add_error(
                "home_visit_reason", _("请简要说明需要上门办理的原因，例如：80岁，行动不便。")
            )
        return data


def agent_form():
    class AgentForm(StepForm):
        title = _("代办授权")
        is_upload = True
        file = draft_file_field(
            label=_("授权委托书"),
            help_text=_("申请人签字（或按手印）的代办授权委托书照片或PDF"),
        )

    return AgentForm


class DeclarationForm(StepForm):
    title = _("承诺")
    declaration = forms.BooleanField(
        label=_("本人承诺所填信息和所交材料真实、有效，如有虚假愿承担相应责任。"),
        error_messages={"required": _("请勾选承诺后再继续。")},
    )


class CheckForm(StepForm):
    title = _("核对您的申请")

    def summary(self):
        return []
