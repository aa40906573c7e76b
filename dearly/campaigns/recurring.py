"""The write path for recurring campaigns (G2): create, change, pause and resume a series.

The issues themselves are created and launched by the chore in campaigns.recurring_issues.
Pausing clears the next issue; resuming starts from the next date after now, so a paused
series never sends what fell due while it was paused.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dearly.audiences.models import Segment
from dearly.campaigns.models import Schedule, Series, SeriesStatus
from dearly.campaigns.recurring_rule import RuleError, next_issue_at, parse_rule
from dearly.campaigns.services import CampaignError, Details, clean
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.messaging.models import EmailTemplate

# An issue is a campaign that goes at once or in each recipient's window; never "at a time".
SCHEDULES = (Schedule.NOW, Schedule.WINDOW)
FIELDS = ("name", "segment", "template", "purpose", "consent_purpose", "value", "schedule", "rule")


@dataclass(frozen=True, slots=True)
class SeriesDetails:
    """What the series form holds."""

    name: str
    template: EmailTemplate
    purpose: str
    rule: dict[str, Any]
    segment: Segment | None = None
    consent_purpose: str = ""
    value: str = ""
    schedule: str = Schedule.WINDOW


def clean_series(details: SeriesDetails, *, now: dt.datetime) -> SeriesDetails:
    """The details as stored, or CampaignError naming every problem (rule keys as fields)."""
    errors: dict[str, str] = {}
    try:
        campaign = clean(_as_campaign(details), now=now)
    except CampaignError as e:
        errors.update(e.errors)
        campaign = None
    if details.schedule not in SCHEDULES:
        errors["schedule"] = "Choose “as soon as possible” or “in each recipient's window”."
    try:
        rule = parse_rule(details.rule)
    except RuleError as e:
        errors.update(e.errors)
    if errors or campaign is None:
        raise CampaignError(errors)
    if campaign.name and len(campaign.name) > 100:
        raise CampaignError({"name": "Keep the name under 100 characters."})
    return SeriesDetails(
        name=campaign.name,
        template=campaign.template,
        purpose=campaign.purpose,
        rule=rule.as_json(),
        segment=campaign.segment,
        consent_purpose=campaign.consent_purpose,
        value=campaign.value,
        schedule=campaign.schedule,
    )


def _as_campaign(details: SeriesDetails) -> Details:
    schedule = details.schedule if details.schedule in SCHEDULES else Schedule.NOW
    return Details(
        name=details.name,
        template=details.template,
        purpose=details.purpose,
        segment=details.segment,
        consent_purpose=details.consent_purpose,
        value=details.value,
        schedule=schedule,
    )


def snapshot(series: Series) -> dict[str, Any]:
    """The audit log's view of a series: names and ids, no personal data."""
    return {
        "name": series.name,
        "segment": series.segment.name if series.segment else "",
        "template": series.template.name,
        "purpose": series.purpose,
        "consent_purpose": series.consent_purpose,
        "value": series.value,
        "schedule": series.schedule,
        "rule": series.rule,
        "status": series.status,
    }


@transaction.atomic
def create_series(
    *,
    actor: Actor,
    name: str,
    template: EmailTemplate,
    purpose: str,
    rule: dict[str, Any],
    segment: Segment | None = None,
    consent_purpose: str = "",
    value: str = "",
    schedule: str = Schedule.WINDOW,
) -> Series:
    details = SeriesDetails(
        name=name,
        template=template,
        purpose=purpose,
        rule=rule,
        segment=segment,
        consent_purpose=consent_purpose,
        value=value,
        schedule=schedule,
    )
    now = timezone.now()
    cleaned = clean_series(details, now=now)
    series = Series(created_by_id=actor.user_id)
    _assign(series, cleaned)
    series.next_issue_at = next_issue_at(parse_rule(series.rule), now)
    series.save()
    record_event(actor=actor, action="series.created", subject=series, new=snapshot(series))
    return series


@transaction.atomic
def update_series(*, actor: Actor, series: Series, details: SeriesDetails) -> Series:
    """Change a series; issues already created keep what they were created with."""
    now = timezone.now()
    cleaned = clean_series(details, now=now)
    locked = Series.objects.select_for_update().get(pk=series.pk)
    before = snapshot(locked)
    _assign(locked, cleaned)
    old, new = diff(before, snapshot(locked))
    if new:
        if locked.is_active:
            locked.next_issue_at = next_issue_at(parse_rule(locked.rule), now)
        locked.save(update_fields=[*FIELDS, "next_issue_at", "updated_at"])
        record_event(actor=actor, action="series.updated", subject=locked, old=old, new=new)
    return locked


@transaction.atomic
def set_series_status(*, actor: Actor, series: Series, status: str) -> Series:
    """Pause (no further issues) or resume (from the next date after now)."""
    locked = Series.objects.select_for_update().get(pk=series.pk)
    if locked.status == status:
        return locked
    old = {"status": locked.status}
    locked.status = SeriesStatus(status)
    locked.next_issue_at = (
        next_issue_at(parse_rule(locked.rule), timezone.now()) if locked.is_active else None
    )
    locked.save(update_fields=["status", "next_issue_at", "updated_at"])
    record_event(
        actor=actor,
        action="series.resumed" if locked.is_active else "series.paused",
        subject=locked,
        old=old,
        new={"status": locked.status},
    )
    return locked


def _assign(series: Series, details: SeriesDetails) -> None:
    for name in FIELDS:
        setattr(series, name, getattr(details, name))
