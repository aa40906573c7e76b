"""Reported events (H3): `POST /events` records a purchase or any named goal, once per event_id.

The contact must exist already (found by id, email or phone): an event never creates one, so
a typo in an email address is refused instead of becoming a stranger who bought something.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from dearly.api.auth import api_actor
from dearly.api.errors import error_body
from dearly.api.event_schemas import EventContactRef, EventIn, EventList, EventOut, EventQuery
from dearly.api.refusals import Refused
from dearly.api.schemas import ErrorOut
from dearly.contacts.models import Contact
from dearly.contacts.upsert import default_region
from dearly.conversions.models import ContactEvent
from dearly.conversions.queries import events_for_contact
from dearly.conversions.services import EventIdReused, record_event
from dearly.conversions.validation import ConversionError
from dearly.core.normalize import InvalidValue, normalize_email, normalize_phone

router = Router(tags=["events"])


@router.post(
    "/events",
    response={200: EventOut, 201: EventOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="record_event",
    summary="Record a purchase or another goal a contact reached",
)
def record(request: HttpRequest, response: HttpResponse, payload: EventIn) -> Status[Any]:
    """201: recorded now. 200: this event_id was recorded before with the same body; nothing
    more is counted. 409: this event_id was used for a different event. A purchase is credited
    to our last message to the contact within the attribution window, and makes a lead or a
    former customer a customer."""
    contact = find_contact(payload.contact)
    try:
        event, created = record_event(
            contact=contact,
            name=payload.name,
            event_id=payload.event_id,
            occurred_at=payload.occurred_at,
            value=payload.value,
            currency=payload.currency or "",
            properties=payload.properties,
            actor=api_actor(request),
        )
    except EventIdReused as exc:
        return Status(409, error_body((exc.field, str(exc))))
    except ConversionError as exc:
        raise Refused((exc.field or None, str(exc))) from None
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, event_body(event, contact))


@router.get(
    "/events",
    response={200: EventList, 401: ErrorOut, 422: ErrorOut},
    operation_id="list_events",
    summary="A contact's events, newest first",
)
def list_events(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    contact = find_contact(
        EventContactRef(id=query.contact, email=None, phone=None), field="contact"
    )
    events = events_for_contact(contact, name=query.name, limit=query.limit)
    return {"items": [event_body(e, contact) for e in events]}


def find_contact(ref: EventContactRef, *, field: str = "") -> Contact:
    try:
        if ref.id is not None:
            where, found = "id", Contact.objects.filter(public_id=ref.id).first()
        elif ref.email is not None:
            where, found = "email", Contact.objects.filter(email=normalize_email(ref.email)).first()
        else:
            region = default_region()
            phone = normalize_phone(ref.phone or "", region)
            where, found = "phone", Contact.objects.filter(phone=phone).first()
    except InvalidValue as exc:
        where = "email" if ref.email is not None else "phone"
        raise Refused((field or f"contact.{where}", str(exc))) from None
    if found is None:
        raise Refused((field or f"contact.{where}", f"no contact with this {where}"))
    return found


def event_body(event: ContactEvent, contact: Contact) -> dict[str, Any]:
    touch = event.touch
    return {
        "id": event.public_id,
        "event_id": event.event_id,
        "name": event.name,
        "contact_id": contact.public_id,
        "occurred_at": event.occurred_at,
        "value": event.value,
        "currency": event.currency,
        "properties": event.properties,
        "attributed_to": {"origin_type": touch.origin_type, "touched_at": touch.occurred_at}
        if touch
        else None,
        "created_at": event.created_at,
    }
