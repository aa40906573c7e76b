"""Transactional sends: `POST /messages` queues one service message; `GET` follows it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Status
from ninja.errors import HttpError

from dearly.api.auth import api_key
from dearly.api.lookups import get_message
from dearly.api.message_schemas import MessageIn, MessageOut
from dearly.api.schemas import ErrorOut
from dearly.api.transactional import KeyReused, send_transactional
from dearly.delivery.models import OutboxMessage
from dearly.messaging.models import TemplateVersion

router = Router(tags=["messages"])
IDEMPOTENCY_KEY = Header(
    alias="Idempotency-Key",
    min_length=1,
    max_length=255,
    description="Your unique id for this send, e.g. the order number; a retry with the same "
    "key never sends twice",
)


@router.post(
    "/messages",
    response={200: MessageOut, 202: MessageOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="send_message",
    summary="Send a service message to one contact",
)
def send(
    request: HttpRequest,
    response: HttpResponse,
    payload: MessageIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> Status[Any]:
    """202: queued now. 200: this key was used for this same request before; the answer is
    that message, and nothing more is queued. 409: this key was used for a different request.
    """
    try:
        message, created = send_transactional(
            key=api_key(request), idempotency_key=idempotency_key, request=payload.to_request()
        )
    except KeyReused as exc:
        raise HttpError(409, str(exc)) from None
    response["Location"] = f"{request.path.rstrip('/')}/{message.public_id}"
    if not created:
        response["Idempotent-Replayed"] = "true"
    # Read back, so the answer is exactly what GET /messages/{id} will say.
    return Status(202 if created else 200, message_body(get_message(message.public_id)))


@router.get(
    "/messages/{message_id}",
    response={200: MessageOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="get_message",
    summary="Where a message is: queued, sending, sent, held (and why) or failed",
)
def read_message(request: HttpRequest, message_id: str) -> dict[str, Any]:
    return message_body(get_message(message_id))


def message_body(message: OutboxMessage) -> dict[str, Any]:
    version = TemplateVersion.objects.select_related("template").get(pk=message.template_version_id)
    return {
        "id": message.public_id,
        "status": message.status,
        "contact_id": message.contact.public_id if message.contact else None,
        "template_id": version.template.public_id,
        "template_version": version.number,
        "purpose": message.purpose,
        "not_before": message.not_before,
        "defer_reason": message.defer_reason or None,
        "hold_reason": message.hold_reason or None,
        "hold_detail": message.hold_detail,
        "sent_at": message.sent_at,
        "created_at": message.created_at,
        "attempts": list(message.tries.order_by("started_at", "id")),
    }
