"""A person's rights through the API: their full data export, and erasure."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from dearly.api.auth import api_actor, api_member
from dearly.api.queries import get_contact
from dearly.api.schemas import ErrorOut
from dearly.contacts.export import person_export
from dearly.contacts.privacy import erase_contact
from dearly.core.access import Can, require

router = Router(tags=["contacts"])


@router.get(
    "/contacts/{contact_id}/export",
    response={200: dict, 401: ErrorOut, 404: ErrorOut},
    operation_id="export_contact",
    summary="Everything held about one person, as JSON (GDPR Arts. 15 and 20)",
)
def export_person(request: HttpRequest, contact_id: str) -> HttpResponse:
    """The same document as the contact page's export; the export is audited."""
    require(api_member(), Can.EXPORT)
    data = person_export(actor=api_actor(request), contact=get_contact(contact_id))
    response = HttpResponse(data, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/contacts/{contact_id}/erase",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    operation_id="erase_contact",
    summary="Erase a person (GDPR Art. 17); their addresses stay suppressed, as hashes",
)
def erase_person(request: HttpRequest, contact_id: str) -> Status[None]:
    """Cannot be undone. Their email and phone are kept only as keyed hashes on the
    suppression list, so no later import or upsert brings them back by accident."""
    require(api_member(), Can.ERASE)
    erase_contact(actor=api_actor(request), contact=get_contact(contact_id))
    return Status(204, None)
