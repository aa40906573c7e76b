"""The shapes of transactional messages in the API."""

import datetime as dt
from typing import Any, Literal, Self
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from dearly.api.transactional import SendRequest
from dearly.delivery.models import DeferReason, HoldReason, Outcome, Status


class ContactRef(Schema):
    """Who gets it: a contact id, or the email address of an existing contact."""

    model_config = ConfigDict(extra="forbid")

    id: UUID | None = None
    email: str | None = Field(None, max_length=254)

    @model_validator(mode="after")
    def exactly_one(self) -> Self:
        if (self.id is None) == (self.email is None):
            raise PydanticCustomError("contact_ref", "give the contact's id or its email, not both")
        return self


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    contact: ContactRef
    template: UUID = Field(description="A template id; its newest version is bound now")
    purpose: Literal["service"] = Field(
        "service",
        description="Only service messages (a receipt, a booking, a password reset) are sent "
        "this way; marketing goes out as a campaign, to those who consented",
    )
    send_at: AwareDatetime | None = Field(None, description="Not before this time; default now")

    @field_validator("purpose", mode="before")
    @classmethod
    def service_only(cls, value: Any) -> Any:
        if value != "service":
            raise PydanticCustomError(
                "service_only",
                "only service messages can be sent here; send marketing as a campaign",
            )
        return value

    def to_request(self) -> SendRequest:
        return SendRequest(
            template_id=self.template,
            contact_id=self.contact.id,
            email=self.contact.email,
            send_at=self.send_at,
        )


class AttemptOut(Schema):
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: Outcome
    detail: str = Field(description="The server's answer")


class MessageOut(Schema):
    id: UUID
    status: Status = Field(
        description="queued (deferred when defer_reason is set), sending, "
        "sent, held (see hold_reason), failed or cancelled"
    )
    contact_id: UUID | None = Field(description="Null when the contact has since been erased")
    template_id: UUID
    template_version: int
    purpose: Literal["service"]
    not_before: dt.datetime = Field(description="It goes no earlier than this")
    defer_reason: DeferReason | None
    hold_reason: HoldReason | None
    hold_detail: str
    sent_at: dt.datetime | None
    created_at: dt.datetime
    attempts: list[AttemptOut] = Field(description="Every try at the mail server, oldest first")
