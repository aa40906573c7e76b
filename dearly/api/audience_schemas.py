"""The shapes of segments, tags and the campaign list in the API."""

import datetime as dt
from uuid import UUID

from ninja import Field, Schema

from dearly.campaigns.models import CampaignStatus, Schedule
from dearly.contacts.models import Purpose
from dearly.delivery.models import MessagePurpose


class SegmentOut(Schema):
    id: UUID
    name: str
    description: str
    count: int | None = Field(description="Contacts in it now; null when its rules are broken")
    problem: str = Field(description="Why it cannot be counted (a deleted field or branch)")
    created_at: dt.datetime
    updated_at: dt.datetime


class SegmentList(Schema):
    items: list[SegmentOut]


class TagOut(Schema):
    name: str
    contacts: int = Field(description="How many contacts have it")


class TagList(Schema):
    items: list[TagOut]


class CampaignSummaryOut(Schema):
    id: UUID
    name: str
    status: CampaignStatus
    purpose: MessagePurpose
    consent_purpose: Purpose | str
    segment: UUID | None
    template: UUID
    schedule: Schedule
    send_at: dt.datetime | None
    launched_at: dt.datetime | None
    recipients: int = Field(description="Outbox rows written at launch")
    sent: int
    waiting: int = Field(description="Queued or being sent")
    created_at: dt.datetime


class CampaignList(Schema):
    items: list[CampaignSummaryOut]
    next_offset: int | None = Field(description="Pass as `offset` for the next page; null at end")


class CampaignQuery(Schema):
    status: CampaignStatus | None = None
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=500)
