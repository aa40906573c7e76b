"""Unsubscribing from every email marketing purpose at once: the one-click and the page."""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from dearly.contacts.models import (
    Channel,
    ConsentAction,
    ConsentMethod,
    ConsentStatus,
    Contact,
    Purpose,
)
from dearly.contacts.services import Evidence, current_consents, record_consent
from dearly.core.actor import Actor
from dearly.tracking.models import EventKind
from dearly.tracking.services import record_event, sent_message

log = logging.getLogger("dearly.preferences")

# What "unsubscribe" means in an email: no more marketing email of any kind. Other channels
# are left alone (an email link never decides about texts or post), and so are service
# messages such as receipts, which need no consent.
EMAIL_MARKETING = (Purpose.MARKETING, Purpose.NEWSLETTER, Purpose.SURVEYS)
WORDING_VERSION = "unsubscribe-v1"
WORDING = "Unsubscribe from all marketing emails."


@transaction.atomic
def unsubscribe_from_email(
    *, actor: Actor, contact: Contact, message_public_id: uuid.UUID | None, via: str
) -> int:
    """Withdraw every email purpose not already withdrawn; returns how many changed.

    Idempotent: a second call finds everything withdrawn and writes nothing. The contact row
    is locked first, so two clicks at once cannot both write. The last withdrawal puts the
    address on the suppression list (contacts.services.record_consent), which the outbox's
    policy gate reads when it claims a message: the very next send is held, worker or not.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    state = current_consents(contact)
    note = f"{via}; message {message_public_id}" if message_public_id else via
    evidence = Evidence(
        method=ConsentMethod.UNSUBSCRIBE_LINK,
        wording=WORDING,
        wording_version=WORDING_VERSION,
        note=note,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
    )
    changed = 0
    for purpose in EMAIL_MARKETING:
        if state.get((Channel.EMAIL, purpose)) == ConsentStatus.WITHDRAWN:
            continue
        record_consent(
            actor=actor,
            contact=contact,
            channel=Channel.EMAIL,
            purpose=purpose,
            action=ConsentAction.WITHDRAW,
            evidence=evidence,
        )
        changed += 1
    if changed and message_public_id:
        _count_on_message(message_public_id, via=via)
    log.info("preferences.unsubscribed via=%s purposes=%d", via, changed)
    return changed


def _count_on_message(message_public_id: uuid.UUID, *, via: str) -> None:
    """The message that carried the link shows the unsubscribe on its campaign's report."""
    message = sent_message(public_id=message_public_id)
    if message is not None:
        record_event(
            message,
            kind=EventKind.UNSUBSCRIBED,
            occurred_at=timezone.now(),
            provider="dearly",
            event_key=f"dearly:unsubscribed:{message.id}",
            detail={"via": via},
        )
