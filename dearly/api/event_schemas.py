"""The shapes of reported events (conversions) in the API."""

import datetime as dt
from decimal import Decimal
from typing import Any, Self
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, model_validator
from pydantic_core import PydanticCustomError


class EventContactRef(Schema):
    """Whose event it is: an existing contact, by id, email or phone. Never created here."""

    model_config = ConfigDict(extra="forbid")

    id: UUID | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)

    @model_validator(mode="after")
    def exactly_one(self) -> Self:
        given = [v for v in (self.id, self.email, self.phone) if v is not None]
        if len(given) != 1:
            raise PydanticCustomError("contact_ref", "give the contact's id, email or phone: one")
        return self


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(
        min_length=1,
        max_length=200,
        description="Your unique id for this event, e.g. the order number; a retry with the "
        "same id and body is recorded once",
    )
    name: str = Field(
        max_length=60,
        description="What happened: 'purchase' or any name of your own, lower-case letters, "
        "digits, '_', '-' or '.', e.g. 'order_delayed'",
    )
    contact: EventContactRef
    occurred_at: AwareDatetime | None = Field(None, description="When; default now, never later")
    value: Decimal | None = Field(None, description="0 or more, at most 2 decimal places")
    currency: str | None = Field(
        None, description="ISO 4217 code such as 'GBP'; required with a value"
    )
    properties: dict[str, Any] | None = Field(
        None,
        description="Your own details (at most 8 KB as JSON); journeys can use them. For a "
        "purchase, 'channel' (web, in_person, phone, …) says where it was made",
    )


class AttributionOut(Schema):
    origin_type: str = Field(description="What sent the message credited: campaign, journey, …")
    touched_at: dt.datetime = Field(description="When the mail server accepted that message")


class EventOut(Schema):
    id: UUID
    event_id: str
    name: str
    contact_id: UUID
    occurred_at: dt.datetime
    value: Decimal | None
    currency: str
    properties: dict[str, Any]
    attributed_to: AttributionOut | None = Field(
        description="The last message from us within the attribution window, if any"
    )
    created_at: dt.datetime


class EventList(Schema):
    items: list[EventOut]


class EventQuery(Schema):
    contact: UUID = Field(description="The contact's id")
    name: str | None = Field(None, max_length=60, description="Only events of this name")
    limit: int = Field(50, ge=1, le=200)
