"""The rhythm form: it only reads input; the rules live in rhythms.services.clean.

Phases are rows of "every N days for M days"; the last row goes on for good. The rows post as
parallel lists (every_days, for_days) and become the stored phases with cumulative until_days,
so the service's errors ("phases.1.until_days") point back at a row and a box.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from dearly.audiences.models import Segment
from dearly.audiences.queries import segments_for_member
from dearly.campaigns.models import Value
from dearly.contacts.models import Lifecycle, Purpose
from dearly.core.models import Membership
from dearly.core.textforms import TextCheckedForm
from dearly.messaging.models import EmailTemplate
from dearly.messaging.queries import templates_for_member
from dearly.rhythms.models import Action, Rhythm
from dearly.rhythms.services import MESSAGE_PURPOSES, RhythmError, Spec
from dearly.touches.models import TaskKind


class RhythmForm(TextCheckedForm):
    name = forms.CharField(max_length=120)
    lifecycle_stage = forms.ChoiceField(
        choices=[("", "Any stage"), *Lifecycle.choices], required=False, label="Lifecycle stage"
    )
    segment: "forms.ModelChoiceField[Segment]" = forms.ModelChoiceField(
        queryset=Segment.objects.none(), required=False, empty_label="No segment: the whole stage"
    )
    action = forms.ChoiceField(
        choices=Action.choices,
        widget=forms.RadioSelect,
        initial=Action.MESSAGE,
        label="For an overdue contact",
    )
    templates: "forms.ModelMultipleChoiceField[EmailTemplate]" = forms.ModelMultipleChoiceField(
        queryset=EmailTemplate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Content pool",
        help_text="Each contact gets the one they received least recently, or never.",
    )
    purpose = forms.ChoiceField(
        choices=[(p.value, p.label) for p in MESSAGE_PURPOSES],
        widget=forms.RadioSelect,
        initial=MESSAGE_PURPOSES[0].value,
        label="Kind of message",
    )
    consent_purpose = forms.ChoiceField(
        choices=Purpose.choices, initial=Purpose.MARKETING, label="Send to people who agreed to"
    )
    value = forms.ChoiceField(
        choices=[("", "—"), *Value.choices],
        required=False,
        label="What the messages give the reader",
    )
    task_kind = forms.ChoiceField(choices=TaskKind.choices, initial=TaskKind.CALL, label="Task")
    priority = forms.IntegerField(
        initial=100,
        min_value=-1000,
        max_value=1000,
        help_text="Lower goes first when several rhythms compete for a contact's budget.",
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segment_field = self.fields["segment"]
        pool_field = self.fields["templates"]
        assert isinstance(segment_field, forms.ModelChoiceField)
        assert isinstance(pool_field, forms.ModelMultipleChoiceField)
        segment_field.queryset = segments_for_member(member)
        pool_field.queryset = templates_for_member(member).filter(archived=False)

    def spec(self, phases: list[dict[str, Any]]) -> Spec:
        data = self.cleaned_data
        return Spec(
            name=data["name"],
            phases=phases,
            action=data["action"],
            lifecycle_stage=data["lifecycle_stage"],
            segment=data["segment"],
            template_ids=tuple(t.pk for t in data["templates"]),
            task_kind=data["task_kind"],
            purpose=data["purpose"],
            consent_purpose=data["consent_purpose"],
            value=data["value"],
            priority=data["priority"],
            active=data["active"],
        )

    def add_service_errors(self, error: RhythmError) -> None:
        for name, message in error.errors.items():
            field = "templates" if name == "template_ids" else name
            if not name.startswith("phases."):
                self.add_error(field if field in self.fields else None, message)


def initial_for(rhythm: Rhythm) -> dict[str, Any]:
    return {
        "name": rhythm.name,
        "lifecycle_stage": rhythm.lifecycle_stage,
        "segment": rhythm.segment,
        "action": rhythm.action,
        "templates": list(rhythm.templates.all()),
        "purpose": rhythm.purpose,
        "consent_purpose": rhythm.consent_purpose,
        "value": rhythm.value,
        "task_kind": rhythm.task_kind,
        "priority": rhythm.priority,
        "active": rhythm.active,
    }


@dataclass
class Row:
    every: str
    lasts: str
    every_error: str = ""
    lasts_error: str = ""


def rows_from_post(data: QueryDict) -> list[Row]:
    pairs = zip(data.getlist("every_days"), data.getlist("for_days"), strict=False)
    rows = [Row(every.strip(), lasts.strip()) for every, lasts in pairs]
    if data.get("add_phase"):
        rows.append(Row("", ""))
    if (drop := data.get("remove_phase", "")).isdigit() and len(rows) > 1:
        rows.pop(int(drop))
    return rows or [Row("", "")]


def rows_from_phases(phases: list[dict[str, Any]]) -> list[Row]:
    rows, start = [], 0
    for p in phases:
        until = p.get("until_days")
        rows.append(Row(str(p["every_days"]), "" if until is None else str(until - start)))
        start = until or start
    return rows


def phases_from_rows(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows to stored phases: "for M days" adds up to until_days; the last row has no end."""
    phases: list[dict[str, Any]] = []
    start = 0
    for i, row in enumerate(rows):
        phase: dict[str, Any] = {"every_days": row.every}
        if i < len(rows) - 1:
            lasts = int(row.lasts) if row.lasts.isdigit() else 0
            start += lasts
            phase["until_days"] = start if lasts > 0 else None
        phases.append(phase)
    return phases


def attach_errors(rows: list[Row], error: RhythmError) -> str:
    """Put phase errors on their rows; returns an error for the phases as a whole, if any."""
    for name, message in error.errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            if parts[2] == "every_days":
                row.every_error = message
            else:
                row.lasts_error = message
    return error.errors.get("phases", "")
