"""Recording a consent decision with the evidence that proves it."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from dearly.contacts.models import (
    Channel,
    ConsentAction,
    ConsentMethod,
    Purpose,
)
from dearly.contacts.services import Evidence
from dearly.core.once import OnceField
from dearly.core.textforms import TextCheckedForm

# Consent methods a member of staff can pick; the others are recorded by the system itself.
STAFF_METHODS = [
    ConsentMethod.PAPER_FORM,
    ConsentMethod.IN_PERSON,
    ConsentMethod.PHONE_CALL,
    ConsentMethod.EMAIL,
    ConsentMethod.WEB_FORM,
]


class ConsentForm(TextCheckedForm):
    """A consent decision with its evidence: how it reached us and what was agreed to."""

    channel = forms.ChoiceField(label="Channel", choices=Channel.choices)
    purpose = forms.ChoiceField(label="Purpose", choices=Purpose.choices)
    action = forms.ChoiceField(
        label="Decision",
        choices=ConsentAction.choices,
        widget=forms.RadioSelect,
        initial=ConsentAction.GRANT,
    )
    method = forms.ChoiceField(
        label="How did they tell you?",
        choices=[("", "Choose…"), *((m.value, m.label) for m in STAFF_METHODS)],
    )
    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now.",
    )
    form_name = forms.CharField(
        label="Form", required=False, max_length=120, help_text="e.g. “Till signup card”"
    )
    wording_version = forms.CharField(label="Wording version", required=False, max_length=40)
    wording = forms.CharField(
        label="What they agreed to",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The exact words on the form, or what you asked.",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    submission = OnceField()

    def clean_occurred_at(self) -> dt.datetime | None:
        when: dt.datetime | None = self.cleaned_data.get("occurred_at")
        if when and when > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("That is in the future.")
        return when

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        granting = data.get("action") == ConsentAction.GRANT
        if granting and not (data.get("wording", "").strip() or data.get("note", "").strip()):
            self.add_error(
                "wording", "For a grant, write what they agreed to (or add a note about it)."
            )
        return data

    def evidence(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(
            method=data["method"],
            form_name=data["form_name"],
            wording_version=data["wording_version"],
            wording=data["wording"],
            note=data["note"],
        )
