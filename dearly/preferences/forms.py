"""Forms for the customer pages and the signup form settings. Field rules come from
contacts.fields (the one validation of contact fields); these only collect and report."""

from typing import Any

from django import forms

from dearly.contacts.fields import clean_edited_values, clean_values
from dearly.contacts.models import Purpose
from dearly.core.textforms import TextCheckedForm
from dearly.preferences.centre import DETAIL_FIELDS


def _apply_contact_rules(form: forms.Form, names: tuple[str, ...], region: str) -> dict[str, Any]:
    raw = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
    cleaned, errors = clean_values(raw, region)
    for name, message in errors.items():
        form.add_error(name, message[:1].upper() + message[1:] + ".")
    return cleaned


class DetailsForm(TextCheckedForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    preferred_name = forms.CharField(
        label="What should we call you?", max_length=100, required=False
    )
    email = forms.CharField(
        label="Email",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, region: str, keep_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.keep_email = keep_email
        self.values: dict[str, Any] = {}
        self.kept: list[str] = []

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        raw = {name: self.cleaned_data[name] for name in DETAIL_FIELDS if name in self.cleaned_data}
        self.values, errors, warnings = clean_edited_values(raw, self.region, stored=self.initial)
        for name, message in errors.items():
            self.add_error(name, message[:1].upper() + message[1:] + ".")
        # A detail they left as we had it is kept, never a reason to refuse the rest.
        self.kept = list(warnings)
        if self.keep_email and "email" in self.values and not self.values["email"]:
            self.add_error(
                "email", "Keep an address here. To stop our emails, unsubscribe instead."
            )
        return data


class SignupForm(TextCheckedForm):
    email = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label="First name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    # The honeypot: hidden from people and screen readers, filled in by bots.
    comment = forms.CharField(required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, ask_name: bool, region: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        if not ask_name:
            del self.fields["first_name"]
        self.values: dict[str, Any] = {}

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if "email" in (data or {}):
            self.values = _apply_contact_rules(self, ("email", "first_name"), self.region)
        return data


PURPOSE_CHOICES = [
    (Purpose.NEWSLETTER.value, "Newsletter"),
    (Purpose.MARKETING.value, "Offers and events"),
    (Purpose.SURVEYS.value, "Surveys"),
]


class SignupSettingsForm(TextCheckedForm):
    form_name = forms.CharField(
        label="Form name",
        max_length=120,
        help_text="Recorded with every signup, so you can tell your forms apart.",
    )
    heading = forms.CharField(label="Heading", max_length=200)
    wording = forms.CharField(
        label="What people agree to",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown beside the button and kept, word for word, with each consent.",
    )
    purposes = forms.MultipleChoiceField(
        label="Topics they sign up for",
        choices=PURPOSE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    ask_name = forms.BooleanField(label="Ask for their first name", required=False)
