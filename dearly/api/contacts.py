"""Contact endpoints: thin, they call the upsert service and the API's queries."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from dearly.api.auth import api_actor
from dearly.api.queries import ContactFilter, contact_page, get_contact
from dearly.api.schemas import (
    ConsentEventOut,
    ConsentIn,
    ContactOut,
    ContactPage,
    ContactQuery,
    ContactUpsertIn,
    ErrorOut,
)
from dearly.contacts.fields import FIELDS
from dearly.contacts.upsert import record_reported_consent, upsert_contact

router = Router(tags=["contacts"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.put(
    "/contacts",
    response={200: ContactOut, 201: ContactOut, 401: ErrorOut, 422: ErrorOut},
    operation_id="upsert_contact",
    summary="Create or update a contact found by email or phone",
)
def upsert(request: HttpRequest, payload: ContactUpsertIn) -> Status[Any]:
    """All or nothing: on 422 nothing was written. 201 when created, 200 when updated."""
    contact, created = upsert_contact(
        actor=api_actor(request),
        values=payload.model_dump(include=set(FIELDS), exclude_unset=True),
        branch=payload.branch,
        tags=payload.tags,
        consents=[consent.to_request() for consent in payload.consents],
    )
    return Status(201 if created else 200, get_contact(contact.public_id))


@router.get(
    "/contacts",
    response={200: ContactPage, **ERRORS},
    operation_id="list_contacts",
    summary="List contacts, filtered, a page at a time",
)
def list_contacts(request: HttpRequest, query: Query[ContactQuery]) -> dict[str, Any]:
    filters = ContactFilter(**query.model_dump(exclude={"cursor", "limit"}))
    items, next_cursor = contact_page(filters, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    operation_id="get_contact",
    summary="One contact with its tags, branch and current consents",
)
def read_contact(request: HttpRequest, contact_id: str) -> Any:
    return get_contact(contact_id)


@router.post(
    "/contacts/{contact_id}/consents",
    response={201: ConsentEventOut, **ERRORS},
    operation_id="record_consent",
    summary="Record a consent grant or withdrawal, with its evidence",
)
def add_consent(request: HttpRequest, contact_id: str, payload: ConsentIn) -> Status[Any]:
    contact = get_contact(contact_id)
    event = record_reported_consent(
        actor=api_actor(request), contact=contact, request=payload.to_request()
    )
    return Status(201, event)
