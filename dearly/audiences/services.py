"""The write path for segments: validate the rule tree, save, and audit, in one transaction."""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from dearly.audiences.models import Segment
from dearly.audiences.rules import InvalidRules, RuleError, validate_rules
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.text import text_problem, text_problems


class SegmentError(InvalidRules):
    """A segment that could not be saved; `errors` say where, by path ("name", "rules.0.value")."""


class SegmentInUse(ValueError):
    """A segment that campaigns still point at: deleting it would change what they were sent to."""


def _check(*, name: str, rules: Any, description: str = "") -> str:
    errors = [RuleError(path, why) for path, why in text_problems(rules, ("rules",))]
    errors += [] if errors else validate_rules(rules)
    if problem := text_problem(description):
        errors.insert(0, RuleError("description", problem))
    name = name.strip()
    if problem := text_problem(name, multiline=False):
        errors.insert(0, RuleError("name", problem))
    elif not name:
        errors.insert(0, RuleError("name", "give the segment a name"))
    elif len(name) > 120:
        errors.insert(0, RuleError("name", "at most 120 characters"))
    if errors:
        raise SegmentError(errors)
    return name


def _snapshot(segment: Segment) -> dict[str, Any]:
    return {"name": segment.name, "description": segment.description, "rules": segment.rules}


@transaction.atomic
def create_segment(*, actor: Actor, name: str, rules: Any, description: str = "") -> Segment:
    segment = Segment.objects.create(
        name=_check(name=name, rules=rules, description=description),
        description=description.strip(),
        rules=rules,
        created_by_id=actor.user_id,
    )
    record_event(actor=actor, action="segment.created", subject=segment, new=_snapshot(segment))
    return segment


@transaction.atomic
def update_segment(
    *, actor: Actor, segment: Segment, name: str, rules: Any, description: str = ""
) -> Segment:
    before = _snapshot(segment)
    segment.name = _check(name=name, rules=rules, description=description)
    segment.description = description.strip()
    segment.rules = rules
    old, new = diff(before, _snapshot(segment))
    if new:
        segment.save(update_fields=["name", "description", "rules", "updated_at"])
        record_event(actor=actor, action="segment.updated", subject=segment, old=old, new=new)
    return segment


@transaction.atomic
def delete_segment(*, actor: Actor, segment: Segment) -> None:
    try:
        with transaction.atomic():
            segment.delete()
    except ProtectedError:
        raise SegmentInUse("a campaign uses this segment, so it cannot be deleted") from None
    record_event(actor=actor, action="segment.deleted", subject=segment, old=_snapshot(segment))
