"""Forms for the management pages. They shape input; the rules live in services."""

from typing import Any

from django import forms

from dearly.core.audit_words import action_label
from dearly.core.models import Source
from dearly.core.retention import MONTHS
from dearly.core.services import ManageError
from dearly.core.textforms import TextCheckedForm


def add_service_error(form: forms.Form, exc: ManageError) -> None:
    """Show a refused change next to the field it is about, or above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


class BusinessForm(TextCheckedForm):
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
    require_two_factor = forms.BooleanField(
        label="Everyone signs in with a code from their phone too (two-factor sign-in)",
        required=False,
        help_text="Whatever their role. Anyone without it is signed out and sets it up at their "
        "next sign-in.",
    )


class RetentionForm(TextCheckedForm):
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


class ApiKeyForm(TextCheckedForm):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Booking system” or “Shop”."
    )


class AuditFilterForm(TextCheckedForm):
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
        labelled = sorted(((a, action_label(a)) for a in actions), key=lambda x: x[1])
        self.fields["action"].choices = [("", "Any"), *labelled]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [("", "Anyone"), *actors]  # type: ignore[attr-defined]


class ProfileForm(TextCheckedForm):
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.CharField(
        max_length=320,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Tests you send yourself go here.",
    )
    language = forms.ChoiceField(
        required=False, help_text="The interface is in English; this picks your variety of it."
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "The business's default"), *languages]  # type: ignore[attr-defined]


class PasswordForm(TextCheckedForm):
    current_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password, not like your name.",
    )
    repeat_password = forms.CharField(
        label="New password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("repeat_password"):
            self.add_error("repeat_password", "The two new passwords are not the same.")
        return data
