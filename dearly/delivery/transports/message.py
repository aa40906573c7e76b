"""What a transport is handed and what it hands back: frozen, primitive-only values.

A message is fully rendered before it reaches a transport, so a transport never touches the
database, a template or a contact; it can be built in one process and sent from another.
"""

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    message_id: str  # "<unique@domain>"; the same on every retry of this message
    from_addr: str
    to_addr: str
    subject: str
    html: str = ""
    text: str = ""
    from_name: str = ""
    to_name: str = ""
    reply_to: str = ""
    # Extra headers in order, e.g. (("List-Unsubscribe", "<https://…>"),)
    headers: tuple[tuple[str, str], ...] = ()


class Outcome(StrEnum):
    SENT = "sent"  # the server or provider took responsibility for the message
    TEMPORARY = "temporary"  # try again later (4xx, connection lost, provider busy)
    PERMANENT = "permanent"  # never retry this message to this address (5xx, invalid)


@dataclass(frozen=True, slots=True)
class Receipt:
    message_id: str
    outcome: Outcome
    detail: str = ""  # the server's reply or the provider's error, for the attempt row
    provider_id: str = ""  # the server's queue id or the provider's message id, when given
