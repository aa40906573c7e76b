"""The write path for rhythms: validate, save and audit in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from django.db import transaction

from dearly.audiences.models import Segment
from dearly.campaigns.models import Value
from dearly.contacts.models import Lifecycle, Purpose
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.delivery.models import MessagePurpose
from dearly.messaging.models import EmailTemplate
from dearly.rhythms import phases as phase_rules
from dearly.rhythms.models import Action, Rhythm
from dearly.touches.models import TaskKind


class RhythmError(ValueError):
    """A rhythm that was refused; `errors` maps a field ("phases.0.every_days") to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything a rhythm holds, as the services take it."""

    name: str
    phases: Any
    action: str = Action.MESSAGE
    lifecycle_stage: str = ""
    segment: Segment | None = None
    template_ids: tuple[int, ...] = ()
    task_kind: str = TaskKind.CALL
    purpose: str = MessagePurpose.INFORMATIONAL
    consent_purpose: str = Purpose.MARKETING
    value: str = ""
    priority: int = 100
    active: bool = True


MESSAGE_PURPOSES = (MessagePurpose.INFORMATIONAL, MessagePurpose.PROMOTIONAL)


def clean(spec: Spec) -> tuple[Spec, list[EmailTemplate]]:
    """The spec as stored and its content pool, or RhythmError naming every problem."""
    errors: dict[str, str] = {}
    name = " ".join(spec.name.split())
    if not name:
        errors["name"] = "Give the rhythm a name."
    elif len(name) > 120:
        errors["name"] = "At most 120 characters."
    if spec.lifecycle_stage not in ("", *Lifecycle.values):
        errors["lifecycle_stage"] = "Choose a lifecycle stage, or any stage."
    stored, phase_errors = phase_rules.check(spec.phases)
    errors.update(phase_errors)
    if spec.action not in Action.values:
        errors["action"] = "Choose whether to send a message or create a task."
    pool = list(EmailTemplate.objects.filter(pk__in=spec.template_ids, archived=False))
    if spec.action == Action.MESSAGE:
        if not pool or len(pool) != len(set(spec.template_ids)):
            errors["template_ids"] = "Choose at least one template (not archived) for the pool."
        if spec.purpose not in MESSAGE_PURPOSES:
            errors["purpose"] = "Choose informational or promotional."
        if spec.consent_purpose not in Purpose.values:
            errors["consent_purpose"] = "Choose which consent the messages need."
        if spec.value not in ("", *Value.values):
            errors["value"] = "Choose what the messages give the reader."
    if spec.action == Action.TASK and spec.task_kind not in TaskKind.values:
        errors["task_kind"] = "Choose a kind of task."
    if not -32768 <= spec.priority <= 32767:
        errors["priority"] = "A whole number; lower goes first."
    if errors:
        raise RhythmError(errors)
    return replace(spec, name=name, phases=phase_rules.as_json(stored)), pool


COPIED = (
    "name",
    "phases",
    "action",
    "lifecycle_stage",
    "segment",
    "task_kind",
    "purpose",
    "consent_purpose",
    "value",
    "priority",
    "active",
)


def _snapshot(rhythm: Rhythm) -> dict[str, Any]:
    out = {f: getattr(rhythm, f) for f in COPIED if f != "segment"}
    out["segment_id"] = rhythm.segment_id
    out["template_ids"] = sorted(rhythm.templates.values_list("pk", flat=True))
    return out


def _apply(rhythm: Rhythm, spec: Spec) -> None:
    for name in COPIED:
        setattr(rhythm, name, getattr(spec, name))


def create_rhythm(
    *,
    actor: Actor,
    name: str,
    phases: Any,
    action: str,
    lifecycle_stage: str = "",
    template_ids: Iterable[int] = (),
    task_kind: str = TaskKind.CALL,
    segment: Segment | None = None,
    purpose: str = MessagePurpose.INFORMATIONAL,
    consent_purpose: str = Purpose.MARKETING,
    value: str = "",
    priority: int = 100,
    active: bool = True,
) -> Rhythm:
    spec = Spec(
        name=name,
        phases=phases,
        action=action,
        lifecycle_stage=lifecycle_stage,
        segment=segment,
        template_ids=tuple(template_ids),
        task_kind=task_kind,
        purpose=purpose,
        consent_purpose=consent_purpose,
        value=value,
        priority=priority,
        active=active,
    )
    return save_rhythm(actor=actor, rhythm=None, spec=spec)


@transaction.atomic
def save_rhythm(*, actor: Actor, rhythm: Rhythm | None, spec: Spec) -> Rhythm:
    """Create (rhythm=None) or update a rhythm from a whole spec, audited."""
    spec, pool = clean(spec)
    if rhythm is None:
        rhythm = Rhythm(created_by_id=actor.user_id)
        _apply(rhythm, spec)
        rhythm.save()
        rhythm.templates.set(pool if spec.action == Action.MESSAGE else [])
        record_event(actor=actor, action="rhythm.created", subject=rhythm, new=_snapshot(rhythm))
        return rhythm
    before = _snapshot(rhythm)
    _apply(rhythm, spec)
    rhythm.save(update_fields=[*(f for f in COPIED), "updated_at"])
    rhythm.templates.set(pool if spec.action == Action.MESSAGE else [])
    old, new = diff(before, _snapshot(rhythm))
    if new:
        record_event(actor=actor, action="rhythm.updated", subject=rhythm, old=old, new=new)
    return rhythm


def update_rhythm(*, actor: Actor, rhythm: Rhythm, **changes: Any) -> Rhythm:
    """Change some of a rhythm's fields (keyword names as create_rhythm takes them)."""
    current = spec_of(rhythm)
    unknown = set(changes) - {f.name for f in fields(Spec)}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return save_rhythm(actor=actor, rhythm=rhythm, spec=replace(current, **changes))


def spec_of(rhythm: Rhythm) -> Spec:
    return Spec(
        name=rhythm.name,
        phases=rhythm.phases,
        action=rhythm.action,
        lifecycle_stage=rhythm.lifecycle_stage,
        segment=rhythm.segment,
        template_ids=tuple(rhythm.templates.values_list("pk", flat=True)),
        task_kind=rhythm.task_kind,
        purpose=rhythm.purpose,
        consent_purpose=rhythm.consent_purpose,
        value=rhythm.value,
        priority=rhythm.priority,
        active=rhythm.active,
    )
