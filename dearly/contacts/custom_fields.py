"""Typed custom fields: the form field for each definition and the one cleaner of its values.

Values are stored in Contact.custom_fields as JSON: text and choice as strings, numbers as
int or float, dates as ISO strings (YYYY-MM-DD), yes/no as booleans. A blank value removes
the key, so "not known" and "no" stay different.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from dearly.contacts.fields import parse_date
from dearly.contacts.models import CustomField, FieldType
from dearly.core.normalize import InvalidValue

PREFIX = "cf_"
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off"}


def definitions() -> list[CustomField]:
    return list(CustomField.objects.all())


def _text(raw: str, _field: CustomField) -> str:
    if len(raw) > 500:
        raise InvalidValue("longer than 500 characters")
    return raw


def _number(raw: str, _field: CustomField) -> int | float:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise InvalidValue("not a number") from None
    if not value.is_finite():
        raise InvalidValue("not a number")
    return int(value) if value == value.to_integral_value() else float(value)


def _date(raw: str, _field: CustomField) -> str:
    return parse_date(raw).isoformat()


def _boolean(raw: str, _field: CustomField) -> bool:
    text = raw.lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidValue("answer yes or no")


def _choice(raw: str, field: CustomField) -> str:
    for choice in field.choices:
        if str(choice).lower() == raw.lower():
            return str(choice)
    raise InvalidValue("not one of: " + ", ".join(str(c) for c in field.choices))


CLEANERS: dict[str, Callable[[str, CustomField], Any]] = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.BOOLEAN: _boolean,
    FieldType.CHOICE: _choice,
}


def clean_custom_values(
    fields: Iterable[CustomField], raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean raw values keyed by CustomField.key; returns (cleaned, {key: error message})."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value = raw.get(field.key)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        try:
            cleaned[field.key] = CLEANERS[field.field_type](text, field)
        except InvalidValue as exc:
            errors[field.key] = str(exc)
    return cleaned, errors


def form_field(field: CustomField) -> forms.Field:
    """An unvalidated form field that renders the right input; clean_custom_values validates."""
    kind = field.field_type
    common: dict[str, Any] = {"label": field.label, "required": False}
    if kind == FieldType.CHOICE:
        choices = [("", "—"), *((str(c), str(c)) for c in field.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if kind == FieldType.BOOLEAN:
        yes_no = [("", "Not known"), ("yes", "Yes"), ("no", "No")]
        return forms.ChoiceField(choices=yes_no, **common)
    widget: forms.Widget = forms.TextInput()
    if kind == FieldType.DATE:
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    elif kind == FieldType.NUMBER:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    return forms.CharField(widget=widget, **common)


def initial_value(field: CustomField, stored: Any) -> str:
    if stored is None:
        return ""
    if field.field_type == FieldType.BOOLEAN:
        return "yes" if stored else "no"
    return str(stored)


def display_value(field: CustomField, stored: Any) -> str:
    if field.field_type == FieldType.BOOLEAN:
        return "Yes" if stored else "No"
    return str(stored)
