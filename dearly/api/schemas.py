"""The shapes the API reads and writes; these are what the OpenAPI schema publishes."""

import datetime as dt
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, IPvAnyAddress

from dearly.contacts.models import (
    Channel,
    ConsentAction,
    ConsentEvent,
    ConsentMethod,
    ConsentStatus,
    Contact,
    Lifecycle,
    Purpose,
)
from dearly.contacts.services import Evidence
from dearly.contacts.upsert import ConsentRequest


class ErrorItem(Schema):
    field: str | None = Field(description='Dotted path of the field to blame, e.g. "email"')
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem]


class ConsentIn(Schema):
    """A grant or withdrawal, with the evidence that proves it."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel
    purpose: Purpose
    action: ConsentAction
    method: ConsentMethod = Field(ConsentMethod.API, description="How the person told you")
    form_name: str = Field("", max_length=120)
    wording_version: str = Field("", max_length=40)
    wording: str = Field("", description="The exact wording the person agreed to")
    note: str = Field("", description="How they agreed, when there was no written wording")
    ip_address: IPvAnyAddress | None = None
    user_agent: str = Field("", max_length=400)
    occurred_at: AwareDatetime | None = Field(None, description="When they decided; default now")

    def to_request(self) -> ConsentRequest:
        evidence = self.model_dump(
            include={"form_name", "wording_version", "wording", "note", "user_agent"}
        )
        ip = str(self.ip_address) if self.ip_address else None
        return ConsentRequest(
            channel=self.channel,
            purpose=self.purpose,
            action=self.action,
            evidence=Evidence(method=self.method, ip_address=ip, **evidence),
            occurred_at=self.occurred_at,
        )


class ContactFields(Schema):
    """Contact fields; in an upsert only those sent are changed, and null clears one."""

    model_config = ConfigDict(extra="forbid")

    first_name: str | None = None
    last_name: str | None = None
    preferred_name: str | None = None
    email: str | None = None
    phone: str | None = Field(None, description="E.164, or national in the business's country")
    address_line1: str | None = None
    address_line2: str | None = None
    town: str | None = None
    postcode: str | None = None
    country: str | None = Field(None, description="Two-letter code such as GB")
    latitude: float | None = None
    longitude: float | None = None
    time_zone: str | None = Field(None, description="A name such as Europe/London")
    language: str | None = Field(None, description="A code such as en or fr-CA")
    birthday: dt.date | None = None
    anniversary: dt.date | None = None
    lifecycle_stage: Lifecycle | None = None
    notes: str | None = None
    source: str | None = Field(None, description="Where the contact came from")


class ContactUpsertIn(ContactFields):
    branch: str | None = Field(None, description="Owning branch: its name or id")
    tags: list[str] | None = Field(None, description="Replaces the contact's tags when given")
    consents: list[ConsentIn] = Field(default_factory=list)


class BranchRef(Schema):
    id: UUID
    name: str


class ConsentStateOut(Schema):
    channel: Channel
    purpose: Purpose
    status: ConsentStatus
    updated_at: dt.datetime


class ContactOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    preferred_name: str
    email: str | None
    phone: str | None
    address_line1: str
    address_line2: str
    town: str
    postcode: str
    country: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    language: str
    birthday: dt.date | None
    anniversary: dt.date | None
    household: dict[str, Any]
    lifecycle_stage: Lifecycle
    lifecycle_changed_at: dt.datetime | None
    branch: BranchRef | None
    branch_chosen: bool
    custom_fields: dict[str, Any]
    tags: list[str]
    consents: list[ConsentStateOut]
    notes: str
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Contact) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_branch(obj: Contact) -> dict[str, Any] | None:
        branch = obj.branch
        return {"id": branch.public_id, "name": branch.name} if branch else None

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    @staticmethod
    def resolve_consents(obj: Contact) -> list[Any]:
        return sorted(obj.consents.all(), key=lambda c: (c.channel, c.purpose))


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end")


class ConsentEventOut(Schema):
    """One row of the consent ledger."""

    id: UUID
    contact_id: UUID
    channel: Channel
    purpose: Purpose
    action: ConsentAction
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    source: str
    method: ConsentMethod
    form_name: str
    wording_version: str
    wording: str
    note: str
    ip_address: str | None
    user_agent: str
    actor_label: str

    @staticmethod
    def resolve_id(obj: ConsentEvent) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_contact_id(obj: ConsentEvent) -> UUID:
        return obj.contact.public_id


class ContactQuery(Schema):
    q: str | None = Field(None, description="Part of a name, email or phone")
    email: str | None = Field(None, description="Exact email address")
    tag: str | None = None
    lifecycle_stage: Lifecycle | None = None
    branch: str | None = Field(None, description="Branch name or id")
    consent: str | None = Field(None, description="Granted consent as channel:purpose")
    updated_since: AwareDatetime | None = None
    cursor: str | None = Field(None, description="next_cursor from the previous page")
    limit: int = Field(100, ge=1, le=500)
