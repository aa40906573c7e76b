"""The editor form: template name, the version's content, and a fallback per detected field."""

from collections.abc import Iterable
from typing import Any

from django import forms

from dearly.core.textforms import TextCheckedForm
from dearly.messaging.compiling import TemplateProblem
from dearly.messaging.fields import label
from dearly.messaging.missing import fields_needing_data
from dearly.messaging.models import MessagePurpose, MissingDataPolicy, TemplateVersion
from dearly.messaging.services import Draft

FALLBACK_PREFIX = "fallback:"


def fallback_name(field: str) -> str:
    return FALLBACK_PREFIX + field


def mono(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "mono", "spellcheck": "false"})


class TemplateForm(TextCheckedForm):
    name = forms.CharField(max_length=120)
    subject = forms.CharField(max_length=300, required=False)
    preheader = forms.CharField(
        max_length=300,
        required=False,
        help_text="The line mail apps show after the subject.",
    )
    html_source = forms.CharField(label="HTML", widget=mono(22), required=False, strip=False)
    text_source = forms.CharField(
        label="Plain text (optional)",
        widget=mono(8),
        required=False,
        strip=False,
        help_text="Leave blank to make it from the HTML.",
    )
    missing_data_policy = forms.ChoiceField(
        label="When someone lacks data this email prints",
        choices=MissingDataPolicy.choices,
        initial=MissingDataPolicy.FALLBACK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, needs: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs = sorted(needs)
        for field in self.needs:
            self.fields[fallback_name(field)] = forms.CharField(
                label=f"When the {label(field)} is empty, write",
                max_length=100,
                required=False,
            )

    def fallback_fields(self) -> list[forms.BoundField]:
        return [self[fallback_name(f)] for f in self.needs]

    def draft(self) -> Draft:
        """The content as typed (or, before anything is posted, as it starts)."""
        data = self.cleaned_data if self.is_bound else self.initial
        return Draft(
            subject=data.get("subject") or "",
            preheader=data.get("preheader") or "",
            html_source=data.get("html_source") or "",
            text_source=data.get("text_source") or "",
            fallbacks={f: data.get(fallback_name(f)) or "" for f in self.needs},
            missing_data_policy=data.get("missing_data_policy") or MissingDataPolicy.FALLBACK,
        )


def needs_of(data: Any) -> set[str]:
    """Fields the submitted content prints without a fallback (none while it cannot be read)."""
    draft = Draft(
        subject=data.get("subject", ""),
        preheader=data.get("preheader", ""),
        html_source=data.get("html_source", ""),
        text_source=data.get("text_source", ""),
    )
    try:
        return set(fields_needing_data(draft.as_version()))
    except TemplateProblem:
        return set(_posted_fallbacks(data))


def _posted_fallbacks(data: Any) -> Iterable[str]:
    for key in data:
        if key.startswith(FALLBACK_PREFIX):
            yield key.removeprefix(FALLBACK_PREFIX)


def initial_for(version: TemplateVersion, name: str) -> dict[str, Any]:
    initial = {
        "name": name,
        "subject": version.subject,
        "preheader": version.preheader,
        "html_source": version.html_source,
        "text_source": version.text_source,
        "missing_data_policy": version.missing_data_policy,
    }
    initial |= {fallback_name(f): w for f, w in version.fallbacks.items()}
    return initial


class PreviewForm(TextCheckedForm):
    contact = forms.CharField(required=False)
    purpose = forms.ChoiceField(
        label="Check as",
        choices=MessagePurpose.choices,
        initial=MessagePurpose.PROMOTIONAL,
        required=False,
    )
