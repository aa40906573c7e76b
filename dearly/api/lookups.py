"""Reads of the objects the API names by id. A key acts for the whole business, so no branch
scope applies; an unknown or malformed id is "not found", the same answer either way."""

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Model, QuerySet
from django.http import Http404

from dearly.api.refusals import Refused
from dearly.audiences.models import Segment
from dearly.campaigns.models import Campaign
from dearly.delivery.models import OutboxMessage
from dearly.messaging.models import EmailTemplate

API_ORIGIN = "api"


def _get[M: Model](qs: QuerySet[M], public_id: UUID | str, what: str) -> M:
    try:
        return qs.get(public_id=UUID(str(public_id)))
    except (ObjectDoesNotExist, ValueError):
        raise Http404(f"no {what} with this id") from None


def templates() -> QuerySet[EmailTemplate]:
    return EmailTemplate.objects.annotate(latest_number=Max("versions__number"))


def get_template(public_id: UUID | str) -> EmailTemplate:
    return _get(templates(), public_id, "template")


def get_campaign(public_id: UUID | str) -> Campaign:
    qs = Campaign.objects.select_related("segment", "template", "version")
    return _get(qs, public_id, "campaign")


def get_message(public_id: UUID | str) -> OutboxMessage:
    """Messages this API sent (transactional sends); campaign mail is read by campaign."""
    qs = OutboxMessage.objects.filter(origin_type=API_ORIGIN).select_related("contact")
    return _get(qs.prefetch_related("tries"), public_id, "message")


def referenced[T](lookup: Callable[[UUID], T], public_id: UUID, *, field: str) -> T:
    """`lookup(public_id)` for an id given in a request body: an id that names nothing makes
    the body wrong (422 on `field`), not the URL (404)."""
    try:
        return lookup(public_id)
    except Http404 as exc:
        raise Refused((field, str(exc))) from None


def get_segment(public_id: UUID | str) -> Segment:
    return _get(Segment.objects.all(), public_id, "segment")
