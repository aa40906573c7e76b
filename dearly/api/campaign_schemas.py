"""The shapes of campaigns, their review and their report in the API."""

import datetime as dt
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from dearly.api.schemas import ErrorItem
from dearly.api.template_schemas import CheckOut
from dearly.campaigns.models import CampaignStatus, Schedule, Value
from dearly.contacts.models import Purpose
from dearly.delivery.models import MessagePurpose


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=120)
    segment: UUID | None = Field(description="A segment id; null sends to everyone who may get it")
    template: UUID = Field(description="A template id; its newest version is bound at launch")
    purpose: MessagePurpose
    consent_purpose: Purpose | None = Field(
        None, description="For marketing: only contacts who granted this consent get it"
    )
    value: Value | None = Field(None, description="For marketing: what it gives the reader")
    schedule: Schedule = Schedule.NOW
    send_at: AwareDatetime | None = Field(None, description='When schedule is "at"')


class Ref(Schema):
    id: UUID
    name: str


class GapOut(Schema):
    field: str
    label: str
    count: int = Field(description="Recipients who lack this field")
    fallback: str = Field(description="The wording they get instead; blank: they are held")


class FirstSendOut(Schema):
    time_zone: str = Field(description="Blank for contacts without one (sent on UTC)")
    recipients: int
    first_send: dt.datetime | None = Field(description="Null when the window never opens")


class BudgetOut(Schema):
    max_messages: int
    days: int


class ReviewOut(Schema):
    """What the review step shows before launch, counted now."""

    version: int | None = Field(description="The version launching would bind")
    problem: str = Field(description="Why it cannot launch at all, when it cannot")
    in_segment: int
    recipients: int = Field(description="Outbox rows launching would write")
    without_consent: int
    without_email: int
    gaps: list[GapOut]
    checks: list[CheckOut]
    blocking: bool
    window: str = Field(description="The send window for this purpose, in recipients' time")
    first_sends: list[FirstSendOut]
    budget: BudgetOut | None = Field(description="The contact budget (marketing only)")
    at_budget: int = Field(description="Recipients already at the budget: theirs will wait")


class CampaignOut(Schema):
    id: UUID
    name: str
    status: CampaignStatus
    segment: Ref | None
    template: Ref
    version: int | None = Field(description="The template version bound at launch")
    purpose: MessagePurpose
    consent_purpose: Purpose | None
    value: Value | None
    schedule: Schedule
    send_at: dt.datetime | None
    recipients: int = Field(description="Outbox rows written at launch")
    launched_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    review: ReviewOut | None = Field(description="While a draft: the figures before launch")


class LaunchRefusedOut(Schema):
    detail: list[ErrorItem]
    checks: list[CheckOut] = Field(description="The blocking checks, and the warnings")


class ReasonOut(Schema):
    code: str
    label: str
    count: int
    earliest: dt.datetime | None = Field(None, description="Deferred: when the first may go")


class PointOut(Schema):
    at: dt.datetime
    sent: int
    opened: int
    clicked: int


class ReportOut(Schema):
    """Where every message of the campaign is, and what recipients did with it."""

    status: CampaignStatus
    total: int
    queued: int
    sending: int
    sent: int
    failed: int
    cancelled: int
    held: int
    held_by_reason: list[ReasonOut]
    deferred: int
    deferred_by_reason: list[ReasonOut]
    engagement: dict[str, int] = Field(
        description="delivered, opened, clicked, bounced, unsubscribed, complained"
    )
    bucket: str = Field(description='"hour" or "day": the width of each timeline point')
    timeline: list[PointOut]
