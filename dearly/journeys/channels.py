"""The channels a journey can send on, in the order they are preferred.

Email is the only one today. SMS, post and social register here when their transports exist:
each says how to find a contact's address and which consent channel covers it. The policy
gate checks consent and suppression again when the message leaves; this choice only avoids
queueing a message that could never be sent.
"""

from collections.abc import Callable
from dataclasses import dataclass

from dearly.contacts.models import Contact
from dearly.delivery.models import MessagePurpose


@dataclass(frozen=True, slots=True)
class SendChannel:
    name: str  # OutboxMessage.channel
    consent_channel: str  # contacts.Channel
    address: Callable[[Contact], str | None]


REGISTRY: dict[str, SendChannel] = {}


def register(channel: SendChannel) -> None:
    REGISTRY[channel.name] = channel


register(SendChannel(name="email", consent_channel="email", address=lambda c: c.email))

Granted = set[tuple[str, str]]  # (consent channel, purpose) pairs the contact granted


def permitted(
    contact: Contact, *, purpose: str, consent_purpose: str, granted: Granted
) -> list[str]:
    """The registered channels this message may use for the contact, most preferred first."""
    names = []
    for channel in REGISTRY.values():
        if not channel.address(contact):
            continue
        if (
            purpose == MessagePurpose.SERVICE
            or (channel.consent_channel, consent_purpose) in granted
        ):
            names.append(channel.name)
    return names


def preferred(
    contact: Contact, *, purpose: str, consent_purpose: str, granted: Granted
) -> str | None:
    options = permitted(contact, purpose=purpose, consent_purpose=consent_purpose, granted=granted)
    return options[0] if options else None
