"""What a provider's bad news does to the address: suppression, and for unsubscribes and spam
complaints a withdrawal of every email consent, through the consent ledger.

A provider's unsubscribe or complaint applies to everything the business sends from that
account (the provider rejects later mail to the address), so all email purposes are
withdrawn, not only the message's. A soft bounce changes nothing; the provider retries.
"""

from dearly.contacts.models import (
    Channel,
    Consent,
    ConsentMethod,
    ConsentStatus,
    Contact,
    PointKind,
    SuppressionReason,
)
from dearly.contacts.services import Evidence, record_consent
from dearly.contacts.suppression import suppress
from dearly.core.actor import Actor
from dearly.core.models import Source
from dearly.core.normalize import InvalidValue, normalize_email
from dearly.tracking.models import EventKind
from dearly.tracking.services import Sent

_NOTES: dict[str, str] = {
    EventKind.COMPLAINED: "Marked as spam, reported by {provider}",
    EventKind.UNSUBSCRIBED: "Unsubscribed through {provider}",
}


def suppression_reason(kind: str, detail: dict[str, object]) -> str | None:
    if kind == EventKind.COMPLAINED or detail.get("reason") == "spam":
        return SuppressionReason.COMPLAINT
    if kind == EventKind.UNSUBSCRIBED or detail.get("reason") == "unsubscribed":
        return SuppressionReason.UNSUBSCRIBED
    if kind == EventKind.BOUNCED and detail.get("severity") == "hard":
        return SuppressionReason.HARD_BOUNCE
    return None


def apply(
    message: Sent, *, kind: str, detail: dict[str, object], recipient: str | None, provider: str
) -> None:
    reason = suppression_reason(kind, detail)
    if reason is None:
        return
    if kind in _NOTES and message.contact_id is not None:
        _withdraw_email_consent(message.contact_id, note=_NOTES[kind].format(provider=provider))
    address = _address(recipient) or _address(message.to_address)
    if address:
        suppress(kind=PointKind.EMAIL, value=address, reason=reason, source=Source.SYSTEM)


def _withdraw_email_consent(contact_id: int, *, note: str) -> None:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return
    granted = Consent.objects.filter(
        contact_id=contact_id, channel=Channel.EMAIL, status=ConsentStatus.GRANTED
    ).values_list("purpose", flat=True)
    for purpose in list(granted):
        record_consent(
            actor=Actor.system("provider webhook"),
            contact=contact,
            channel=Channel.EMAIL,
            purpose=purpose,
            action="withdraw",
            evidence=Evidence(method=ConsentMethod.UNSUBSCRIBE_LINK, note=note),
        )


def _address(raw: str | None) -> str | None:
    try:
        return normalize_email(raw) if raw else None
    except InvalidValue:
        return None
