"""API keys: shown once when created, stored as a SHA-256 hash, looked up by a short prefix.

A key looks like `dly_<prefix>_<secret>`. The prefix finds the row; the hash of the whole key
is compared in constant time. Keys are random (256 bits), so a fast hash is the right choice.
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import ApiKey

KEY_PREFIX = "dly"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, actor: Actor, name: str) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the raw key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValueError("give the key a name, such as the system that will use it")
    prefix = secrets.token_hex(6)
    raw = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name[:100], prefix=prefix, key_hash=_hash(raw), created_by_id=actor.user_id
    )
    record_event(actor=actor, action="apikey.created", subject=key, new={"name": key.name})
    return key, raw


@transaction.atomic
def revoke_api_key(*, actor: Actor, key: ApiKey) -> None:
    if key.revoked_at:
        return
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record_event(actor=actor, action="apikey.revoked", subject=key, old={"name": key.name})


def authenticate(raw: str) -> ApiKey | None:
    """The active key matching `raw`, or None. Touches last_used_at at most once a minute."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = ApiKey.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw.strip())):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
