"""The write path for plans: create and update, validated field by field and audited."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from dearly.audiences.models import Segment
from dearly.campaigns.models import Campaign, Series
from dearly.contacts.models import Channel, Lifecycle
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.journeys.models import Journey
from dearly.plans.models import Metric, Plan, Unit
from dearly.rhythms.models import Rhythm

MAX_DAYS = 3 * 366
FIELDS = (
    "name",
    "description",
    "lifecycle_stage",
    "segment",
    "channels",
    "rhythm",
    "metric",
    "target",
    "unit",
    "period_start",
    "period_end",
)


class PlanError(ValueError):
    """A change that was refused; `errors` maps a form field ("" for the whole) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in errors.items()))


@dataclass(frozen=True, slots=True)
class Details:
    """What the plan form holds."""

    name: str
    metric: str
    target: Decimal | int | str
    period_start: dt.date
    period_end: dt.date
    description: str = ""
    lifecycle_stage: str = ""
    segment: Segment | None = None
    channels: Sequence[str] = ("email",)
    unit: str = Unit.COUNT
    rhythm: Rhythm | None = None
    journeys: Sequence[Journey] = field(default_factory=tuple)
    campaigns: Sequence[Campaign] = field(default_factory=tuple)
    series: Sequence[Series] = field(default_factory=tuple)


def clean(details: Details) -> Details:
    """The details as they will be stored, or PlanError naming every problem."""
    errors: dict[str, str] = {}
    name = " ".join(details.name.split())
    if not name:
        errors["name"] = "Give the plan a name."
    elif len(name) > 120:
        errors["name"] = "Keep the name under 120 characters."
    if details.lifecycle_stage and details.lifecycle_stage not in Lifecycle.values:
        errors["lifecycle_stage"] = "Choose a lifecycle stage, or none for everyone."
    channels = list(dict.fromkeys(details.channels))
    if not channels:
        errors["channels"] = "Choose at least one channel."
    elif bad := [c for c in channels if c not in Channel.values]:
        errors["channels"] = f"Unknown channel: {bad[0]}."
    if details.metric not in Metric.values:
        errors["metric"] = "Choose what the objective counts."
    target = _target(details.target)
    if target is None:
        errors["target"] = "Give the target as a number above zero."
    if details.unit not in Unit.values:
        errors["unit"] = "Choose a number or a percentage."
    elif details.unit == Unit.PERCENT and details.metric != Metric.WON_BACK:
        errors["unit"] = "Only a win-back objective can be a percentage."
    elif details.unit == Unit.PERCENT and target is not None and target > 100:
        errors["target"] = "A percentage is at most 100."
    if details.period_end < details.period_start:
        errors["period_end"] = "The period must end on or after its first day."
    elif (details.period_end - details.period_start).days > MAX_DAYS:
        errors["period_end"] = "Keep the period to three years at most."
    if errors:
        raise PlanError(errors)
    assert target is not None
    return Details(
        name=name,
        description=details.description.strip(),
        metric=details.metric,
        target=target,
        unit=details.unit,
        period_start=details.period_start,
        period_end=details.period_end,
        lifecycle_stage=details.lifecycle_stage,
        segment=details.segment,
        channels=channels,
        rhythm=details.rhythm,
        journeys=list(details.journeys),
        campaigns=list(details.campaigns),
        series=list(details.series),
    )


def _target(value: Decimal | int | str) -> Decimal | None:
    try:
        target = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return target if 0 < target < Decimal("1e10") else None


def snapshot(plan: Plan) -> dict[str, Any]:
    """The audit log's view of a plan: names and ids, no personal data."""
    return {
        "name": plan.name,
        "description": plan.description,
        "lifecycle_stage": plan.lifecycle_stage,
        "segment": plan.segment.name if plan.segment else "",
        "channels": list(plan.channels),
        "rhythm": plan.rhythm.name if plan.rhythm else "",
        "metric": plan.metric,
        "target": str(plan.target),
        "unit": plan.unit,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "journeys": sorted(j.name for j in plan.journeys.all()),
        "campaigns": sorted(c.name for c in plan.campaigns.all()),
        "series": sorted(s.name for s in plan.series.all()),
    }


@transaction.atomic
def create_plan(*, actor: Actor, details: Details, playbook: str = "") -> Plan:
    cleaned = clean(details)
    plan = Plan(created_by_id=actor.user_id, playbook=playbook)
    _assign(plan, cleaned)
    plan.save()
    _link(plan, cleaned)
    record_event(actor=actor, action="plan.created", subject=plan, new=snapshot(plan))
    return plan


@transaction.atomic
def update_plan(*, actor: Actor, plan: Plan, details: Details) -> Plan:
    cleaned = clean(details)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(locked)
    _assign(locked, cleaned)
    locked.save(update_fields=[*FIELDS, "updated_at"])
    _link(locked, cleaned)
    old, new = diff(before, snapshot(locked))
    if new:
        record_event(actor=actor, action="plan.updated", subject=locked, old=old, new=new)
    return locked


def _assign(plan: Plan, details: Details) -> None:
    for name in FIELDS:
        setattr(plan, name, getattr(details, name))


def _link(plan: Plan, details: Details) -> None:
    plan.journeys.set(details.journeys)
    plan.campaigns.set(details.campaigns)
    plan.series.set(details.series)
