"""A multi-valued choice field stored as comma-separated codes (works on SQLite and PostgreSQL)."""

from django import forms
from django.core import checks, exceptions
from django.db import models


class MultiChoiceField(models.CharField):
    """Stores a list of choice values, e.g. ``["4", "5"]`` as ``"4,5"``.

    The standards' multi-valued code lists (level of exercise, service object, delivery)
    are short and closed, so a separator-joined string keeps them queryable with
    ``__contains`` and readable in exports without a join table.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.choices:
            errors.append(checks.Error("MultiChoiceField needs choices.", obj=self))
        return errors

    def _check_choices(self):
        return []

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return [v for v in str(value).split(",") if v]

    def get_prep_value(self, value):
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return value or ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        valid = {str(k) for k, _label in self.choices}
        for v in value or []:
            if v not in valid:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )
        if not self.blank and not value:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        return forms.TypedMultipleChoiceField(
            **{k: v for k, v in defaults.items() if k not in {"form_class", "choices_form_class"}}
        )

    def labels(self, value):
        mapping = {str(k): v for k, v in self.choices}
        return [mapping.get(v, v) for v in value or []]
