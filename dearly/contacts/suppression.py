"""Suppression by keyed hash: the address itself is not kept, so it survives erasure."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from dearly.contacts.models import PointKind, Suppression


def address_hash(kind: str, normalized_value: str) -> str:
    return salted_hmac(
        f"dearly.suppression.{kind}",
        normalized_value,
        secret=settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def suppress(*, kind: str, value: str, reason: str, source: str) -> None:
    Suppression.objects.get_or_create(
        kind=kind, key_hash=address_hash(kind, value), reason=reason, defaults={"source": source}
    )


def reasons_for(*, kind: str, value: str | None) -> set[str]:
    if not value:
        return set()
    return set(
        Suppression.objects.filter(kind=kind, key_hash=address_hash(kind, value)).values_list(
            "reason", flat=True
        )
    )


def lift(*, kind: str, value: str, reasons: set[str]) -> int:
    deleted, _ = Suppression.objects.filter(
        kind=kind, key_hash=address_hash(kind, value), reason__in=reasons
    ).delete()
    return deleted


def point_kind_for_channel(channel: str) -> str | None:
    return {"email": PointKind.EMAIL, "sms": PointKind.PHONE, "phone": PointKind.PHONE}.get(channel)
