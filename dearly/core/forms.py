"""Forms for the management pages. They shape input; the rules live in services."""

from typing import Any

from django import forms

from dearly.branches.models import Branch
from dearly.contacts.models import FieldType
from dearly.core.models import Role, Source
from dearly.core.retention import MONTHS
from dearly.core.services import ManageError


def add_service_error(form: forms.Form, exc: ManageError) -> None:
    """Show a refused change next to the field it is about, or above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


class PlacementForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    branch = forms.ModelChoiceField(
        Branch.objects.all(),
        required=False,
        empty_label="— no branch —",
        help_text="Required for branch staff, who see only their branch's contacts.",
    )


class NewMemberForm(PlacementForm):
    username = forms.CharField(max_length=150, help_text="What they type to log in.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password, not like their name.",
    )
    field_order = ["username", "first_name", "last_name", "email", "password", "role", "branch"]


class BusinessForm(forms.Form):
    name = forms.CharField(label="Business name", max_length=200)
    postal_address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Printed at the foot of marketing emails, as anti-spam laws require.",
    )
    default_country = forms.CharField(
        max_length=2,
        help_text="Two-letter code (GB, IE, US…) used to read phone numbers without a +code.",
    )


class RetentionForm(forms.Form):
    keep_tracking_months = forms.IntegerField(
        label="Keep opens, clicks and delivery reports for (months)",
        min_value=MONTHS[0],
        max_value=MONTHS[1],
        help_text="Older ones are deleted each day. Campaign reports then count only what is left.",
    )
    keep_caught_mail_months = forms.IntegerField(
        label="Keep caught mail in the Mailbox for (months)",
        min_value=MONTHS[0],
        max_value=MONTHS[1],
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CustomFieldForm(forms.Form):
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


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Booking system” or “Shop”."
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Subject or person"}),
    )
    action = forms.ChoiceField(required=False)
    actor = forms.ChoiceField(label="Who", required=False)
    source = forms.ChoiceField(
        label="Through", required=False, choices=[("", "Any"), *Source.choices]
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data: Any, *, actions: list[str], actors: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["action"].choices = [("", "Any"), *((a, a) for a in actions)]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [("", "Anyone"), *actors]  # type: ignore[attr-defined]
