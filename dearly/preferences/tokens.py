"""Signed links for customers: one-click unsubscribe, the preference centre, the mailto address.

Tokens are signed with django.core.signing, one salt per purpose, so a token made for one door
never opens another. They carry no timestamp and never expire: an unsubscribe link in a
two-year-old email must still work. Rotating SECRET_KEY voids them unless the old key stays in
SECRET_KEY_FALLBACKS.

    unsubscribe token  "<contact hex><message hex>.<signature>"  (message optional)
    preferences token  "<contact hex>.<signature>"
    mailto token       base32 contact id + a short base32 signature, lower case, 42 characters:
                       an address's local part may hold only 64 octets (RFC 5321 4.5.3.1.1)
                       and some mail systems fold its case.
"""

import base64
import uuid
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

UNSUBSCRIBE_SALT = "dearly.preferences.unsubscribe"
CENTRE_SALT = "dearly.preferences.centre"
MAILTO_SALT = "dearly.preferences.mailto"
SEP = "."
ONE_CLICK = "List-Unsubscribe=One-Click"


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt, sep=SEP, algorithm="sha256")


def _unsign(token: str, salt: str) -> str | None:
    try:
        return _signer(salt).unsign(token)
    except signing.BadSignature:
        return None


def _uuid(hex_text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=hex_text)
    except ValueError:
        return None


def _hex(value: uuid.UUID | str) -> str:
    return uuid.UUID(str(value)).hex


def unsubscribe_token(contact_public_id: uuid.UUID | str, message_public_id: object = None) -> str:
    payload = _hex(contact_public_id) + (_hex(str(message_public_id)) if message_public_id else "")
    return _signer(UNSUBSCRIBE_SALT).sign(payload)


def read_unsubscribe_token(token: str) -> tuple[uuid.UUID, uuid.UUID | None] | None:
    """(contact public id, message public id or None), or None for any bad token."""
    payload = _unsign(token, UNSUBSCRIBE_SALT)
    if payload is None or len(payload) not in (32, 64):
        return None
    contact = _uuid(payload[:32])
    message = _uuid(payload[32:]) if len(payload) == 64 else None
    if contact is None or (len(payload) == 64 and message is None):
        return None
    return contact, message


def preferences_token(contact_public_id: uuid.UUID | str) -> str:
    return _signer(CENTRE_SALT).sign(_hex(contact_public_id))


def read_preferences_token(token: str) -> uuid.UUID | None:
    payload = _unsign(token, CENTRE_SALT)
    return _uuid(payload) if payload and len(payload) == 32 else None


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=").lower()


def _mail_signature(contact_part: str) -> str:
    signature = _signer(MAILTO_SALT).signature(contact_part)
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    return _b32(raw[:10])  # 80 bits: plenty for a link that only unsubscribes


def mailto_token(contact_public_id: uuid.UUID | str) -> str:
    contact_part = _b32(uuid.UUID(str(contact_public_id)).bytes)
    return contact_part + _mail_signature(contact_part)


def read_mailto_token(token: str) -> uuid.UUID | None:
    """For whatever reads mail to unsubscribe+TOKEN@…: the contact, or None."""
    token = token.strip().lower()
    contact_part, signature = token[:26], token[26:]
    if len(token) != 42 or not constant_time_compare(signature, _mail_signature(contact_part)):
        return None
    try:
        return uuid.UUID(bytes=base64.b32decode(contact_part.upper() + "======"))
    except ValueError:
        return None


def unsubscribe_url(contact_public_id: uuid.UUID | str, message_public_id: object = None) -> str:
    return f"{settings.BASE_URL}/p/u/{unsubscribe_token(contact_public_id, message_public_id)}/"


def preferences_url(contact_public_id: uuid.UUID | str) -> str:
    return f"{settings.BASE_URL}/p/{preferences_token(contact_public_id)}/"


def confirm_url(contact_public_id: uuid.UUID | str) -> str:
    """The double opt-in link. It is the preference link plus "confirm/", so a template can
    write it as {{ links.preferences_url }}confirm/ with the links every email already has."""
    return preferences_url(contact_public_id) + "confirm/"


def mail_domain() -> str:
    return _domain(settings.FROM_EMAIL)


@lru_cache(maxsize=8)
def _domain(from_email: str) -> str:
    return parseaddr(from_email)[1].rpartition("@")[2] or "localhost"


def unsubscribe_headers(
    contact_public_id: uuid.UUID | str, message_public_id: object = None, *, https: str = ""
) -> tuple[tuple[str, str], ...]:
    """The headers every marketing email carries (RFC 2369 and RFC 8058). Pass `https` when
    the one-click URL is already signed, so the send path signs it once per message."""
    https = https or unsubscribe_url(contact_public_id, message_public_id)
    mailto = f"mailto:unsubscribe+{mailto_token(contact_public_id)}@{mail_domain()}"
    return (
        ("List-Unsubscribe", f"<{https}>, <{mailto}>"),
        ("List-Unsubscribe-Post", ONE_CLICK),
    )
