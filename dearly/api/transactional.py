"""Transactional sends through the API: one service message, idempotent on the caller's key.

1. The Idempotency-Key is scoped to the API key that sent it (two integrations may both use
   "order-1001") and stored hashed. The request body is reduced to a fingerprint.
2. In one transaction: a key seen before answers with its message when the fingerprint
   matches, and KeyReused (409) when it does not. Nothing is looked up again, so a retry
   gets the first answer even if the template has changed since.
3. Otherwise the contact is found (never created), the template's newest version is bound
   and checked, and the outbox row is written with the key, which the outbox keeps unique:
   two racing requests with one key write one row; the loser reads the winner's answer.
Service messages are not marketing: no marketing consent is needed and the contact budget
does not count them. The worker's policy gate still holds mail to an address that bounced
or complained.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction

from dearly.api.lookups import API_ORIGIN, get_template, referenced
from dearly.api.models import IdempotentRequest
from dearly.api.refusals import Refused
from dearly.contacts.models import Contact
from dearly.core.models import ApiKey
from dearly.core.normalize import InvalidValue, normalize_email
from dearly.delivery.models import MessagePurpose, OutboxMessage
from dearly.delivery.outbox import enqueue_one
from dearly.messaging.checks import check_version
from dearly.messaging.models import TemplateVersion

SERVICE_PRIORITY = 10  # ahead of campaign mail: a receipt should not wait behind a newsletter


class KeyReused(Exception):
    """The Idempotency-Key was used before for a different request."""


@dataclass(frozen=True, slots=True)
class SendRequest:
    template_id: UUID
    contact_id: UUID | None = None
    email: str | None = None
    send_at: dt.datetime | None = None

    def fingerprint(self) -> str:
        canonical = {
            "contact_id": str(self.contact_id) if self.contact_id else None,
            "email": self.email.strip().casefold() if self.email else None,
            "template_id": str(self.template_id),
            "send_at": self.send_at.astimezone(dt.UTC).isoformat() if self.send_at else None,
        }
        return _sha256(json.dumps(canonical, sort_keys=True))


def send_transactional(
    *, key: ApiKey, idempotency_key: str, request: SendRequest
) -> tuple[OutboxMessage, bool]:
    """The message for this request, and whether this call queued it."""
    key_hash = _sha256(f"{key.pk}:{idempotency_key}")
    fingerprint = request.fingerprint()
    with transaction.atomic():
        if seen := _seen(key_hash, fingerprint):
            return seen, False
        contact = _recipient(request)
        version = _version_to_bind(request.template_id)
        message, created = enqueue_one(
            contact=contact,
            origin_type=API_ORIGIN,
            origin_id=key.pk,
            purpose=MessagePurpose.SERVICE,
            template_version_id=version.pk,
            not_before=request.send_at,
            idempotency_key=f"api:{key_hash}",
            priority=SERVICE_PRIORITY,
        )
        if not created:  # a request with the same key committed first
            return _seen(key_hash, fingerprint) or message, False
        IdempotentRequest.objects.create(
            key_hash=key_hash, fingerprint=fingerprint, message=message
        )
    return message, True


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _seen(key_hash: str, fingerprint: str) -> OutboxMessage | None:
    seen = IdempotentRequest.objects.select_related("message").filter(key_hash=key_hash).first()
    if seen is None:
        return None
    if seen.fingerprint != fingerprint:
        raise KeyReused("this Idempotency-Key was used for a different request")
    return seen.message


def _recipient(request: SendRequest) -> Contact:
    if request.contact_id:
        field, found = "contact.id", Contact.objects.filter(public_id=request.contact_id).first()
    else:
        field, found = "contact.email", _by_email(request.email or "")
    if found is None:
        raise Refused((field, "no contact with this " + field.partition(".")[2]))
    if not found.email:
        raise Refused((field, "this contact has no email address"))
    return found


def _by_email(raw: str) -> Contact | None:
    try:
        email = normalize_email(raw)
    except InvalidValue as exc:
        raise Refused(("contact.email", str(exc))) from None
    return Contact.objects.filter(email=email).first()


def _version_to_bind(template_id: UUID) -> TemplateVersion:
    template = referenced(get_template, template_id, field="template")
    if template.archived:
        raise Refused(("template", "this template is archived; restore it or use another"))
    version = template.versions.order_by("-number").first()
    if version is None:
        raise Refused(("template", "this template has no saved version yet"))
    errors = [
        c for c in check_version(version, purpose=MessagePurpose.SERVICE) if c.level == "error"
    ]
    if errors:
        raise Refused(*(("template", f"{c.message} {c.where}".strip()) for c in errors))
    return version
