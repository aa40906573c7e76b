"""The write path for campaigns: drafts, launch and cancel, each audited in its transaction."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dearly.audiences.models import Segment
from dearly.campaigns.models import Campaign, Schedule, Value
from dearly.contacts.models import Purpose
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.delivery.models import MessagePurpose
from dearly.messaging.models import EmailTemplate

FIELDS = (
    "name",
    "segment",
    "template",
    "purpose",
    "consent_purpose",
    "value",
    "schedule",
    "send_at",
)


class CampaignError(ValueError):
    """A change that was refused; `errors` maps a form field ("" for the whole) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True, slots=True)
class Details:
    """What the campaign form holds."""

    name: str
    template: EmailTemplate
    purpose: str
    segment: Segment | None = None
    consent_purpose: str = ""
    value: str = ""
    schedule: str = Schedule.NOW
    send_at: dt.datetime | None = None


def clean(details: Details, *, now: dt.datetime) -> Details:
    """The details as they will be stored, or CampaignError naming every problem."""
    errors: dict[str, str] = {}
    name = " ".join(details.name.split())
    if not name:
        errors["name"] = "Give the campaign a name."
    if details.purpose not in MessagePurpose.values:
        errors["purpose"] = "Choose what kind of message this is."
    marketing = details.purpose != MessagePurpose.SERVICE
    if marketing and details.consent_purpose not in Purpose.values:
        errors["consent_purpose"] = "Choose the consent recipients gave: only they get it."
    if marketing and details.value not in Value.values:
        errors["value"] = "Say what this message gives the reader."
    if details.schedule not in Schedule.values:
        errors["schedule"] = "Choose when to send."
    elif details.schedule == Schedule.AT and details.send_at is None:
        errors["send_at"] = "Choose the date and time to send."
    elif details.schedule == Schedule.AT and details.send_at and details.send_at <= now:
        errors["send_at"] = "That time has passed; choose a later one."
    if errors:
        raise CampaignError(errors)
    return Details(
        name=name[:120],
        template=details.template,
        purpose=details.purpose,
        segment=details.segment,
        consent_purpose=details.consent_purpose if marketing else "",
        value=details.value if details.value in Value.values else "",
        schedule=details.schedule,
        send_at=details.send_at if details.schedule == Schedule.AT else None,
    )


def snapshot(campaign: Campaign) -> dict[str, Any]:
    """The audit log's view of a campaign: names and ids, no personal data."""
    return {
        "name": campaign.name,
        "segment": campaign.segment.name if campaign.segment else "",
        "template": campaign.template.name,
        "purpose": campaign.purpose,
        "consent_purpose": campaign.consent_purpose,
        "value": campaign.value,
        "schedule": campaign.schedule,
        "send_at": campaign.send_at.isoformat() if campaign.send_at else None,
    }


@transaction.atomic
def create_campaign(*, actor: Actor, details: Details) -> Campaign:
    cleaned = clean(details, now=timezone.now())
    campaign = Campaign(created_by_id=actor.user_id)
    _assign(campaign, cleaned)
    campaign.save()
    record_event(actor=actor, action="campaign.created", subject=campaign, new=snapshot(campaign))
    return campaign


@transaction.atomic
def update_campaign(*, actor: Actor, campaign: Campaign, details: Details) -> Campaign:
    """Change a draft. A launched or cancelled campaign cannot change: its mail is queued."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_draft:
        raise CampaignError({"": "Only a draft can be changed."})
    cleaned = clean(details, now=timezone.now())
    before = snapshot(locked)
    _assign(locked, cleaned)
    old, new = diff(before, snapshot(locked))
    if new:
        locked.save(update_fields=[*(f for f in FIELDS), "updated_at"])
        record_event(actor=actor, action="campaign.updated", subject=locked, old=old, new=new)
    return locked


def _assign(campaign: Campaign, details: Details) -> None:
    for name in FIELDS:
        setattr(campaign, name, getattr(details, name))
