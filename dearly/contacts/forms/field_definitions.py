"""The custom field definition forms (Settings → Custom fields). The rules live in services."""

from typing import Any

from django import forms

from dearly.contacts.models import FieldType
from dearly.core.textforms import TextCheckedForm


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CustomFieldForm(TextCheckedForm):
    key = forms.CharField(
        max_length=40,
        help_text="Lower-case letters, digits and _, e.g. favourite_product. Cannot change later.",
    )
    label = forms.CharField(max_length=80)
    field_type = forms.ChoiceField(label="Type", choices=FieldType.choices)
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="For a choice field: one choice per line.",
    )

    def clean_choices(self) -> list[str]:
        return _lines(self.cleaned_data.get("choices") or "")


class EditCustomFieldForm(CustomFieldForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["key"]
