"""The write path for webhook subscriptions: create, change, replay, test, delete.

Every change is audited, the secret never: it is returned once by `create_subscription` and
`rotate_secret` for the page to show, and kept only on the row, to sign with.
"""

import base64
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dearly.core.access import Can, require
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Membership
from dearly.hooks import guard
from dearly.hooks.events import CHOOSABLE, EventType
from dearly.hooks.models import Delivery, DeliveryStatus, Subscription
from dearly.hooks.outbox import queue


class HookError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Details:
    name: str
    url: str
    events: list[str]
    allow_private_network: bool = False
    is_active: bool = True


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _clean(details: Details) -> Details:
    name = details.name.strip()
    if not name:
        raise HookError("give the webhook a name, such as the system it feeds", field="name")
    unknown = [e for e in details.events if e not in CHOOSABLE]
    if unknown:
        raise HookError(f"unknown event {unknown[0]!r}", field="events")
    if not details.events:
        raise HookError("choose at least one event", field="events")
    url = details.url.strip()
    try:
        guard.check(url, allow_private=details.allow_private_network)
    except guard.Refused as exc:
        raise HookError(str(exc), field="url") from None
    events = [e.value for e in CHOOSABLE if e in details.events]
    return Details(name[:100], url, events, details.allow_private_network, details.is_active)


def _snapshot(sub: Subscription) -> dict[str, object]:
    return {
        "name": sub.name,
        "url": sub.url,
        "events": sub.events,
        "allow_private_network": sub.allow_private_network,
        "is_active": sub.is_active,
    }


def _check_private(member: Membership, *, before: bool, after: bool) -> None:
    if after and not before:
        require(member, Can.ALLOW_PRIVATE_WEBHOOKS)


@transaction.atomic
def create_subscription(
    *, actor: Actor, member: Membership, details: Details
) -> tuple[Subscription, str]:
    """The new subscription and its secret, which is never shown again."""
    require(member, Can.MANAGE_WEBHOOKS)
    details = _clean(details)
    _check_private(member, before=False, after=details.allow_private_network)
    secret = new_secret()
    sub = Subscription.objects.create(
        name=details.name,
        url=details.url,
        events=details.events,
        allow_private_network=details.allow_private_network,
        is_active=details.is_active,
        secret=secret,
        created_by_id=actor.user_id,
    )
    record_event(actor=actor, action="webhook.created", subject=sub, new=_snapshot(sub))
    if sub.allow_private_network:
        _audit_private(actor, sub, allowed=True)
    return sub, secret


def _audit_private(actor: Actor, sub: Subscription, *, allowed: bool) -> None:
    record_event(
        actor=actor,
        action="webhook.private_network_allowed" if allowed else "webhook.private_network_denied",
        subject=sub,
        new={"url": sub.url, "allow_private_network": allowed},
    )


@transaction.atomic
def update_subscription(
    *, actor: Actor, member: Membership, subscription: Subscription, details: Details
) -> Subscription:
    require(member, Can.MANAGE_WEBHOOKS)
    sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
    details = _clean(details)
    _check_private(member, before=sub.allow_private_network, after=details.allow_private_network)
    before = _snapshot(sub)
    sub.name, sub.url, sub.events = details.name, details.url, details.events
    sub.is_active = details.is_active
    private_changed = sub.allow_private_network != details.allow_private_network
    sub.allow_private_network = details.allow_private_network
    after = _snapshot(sub)
    if before == after:
        return sub
    sub.save(update_fields=["name", "url", "events", "is_active", "allow_private_network"])
    changed = [k for k in after if before[k] != after[k]]
    record_event(
        actor=actor,
        action="webhook.updated",
        subject=sub,
        old={k: before[k] for k in changed},
        new={k: after[k] for k in changed},
    )
    if private_changed:
        _audit_private(actor, sub, allowed=sub.allow_private_network)
    return sub


@transaction.atomic
def rotate_secret(*, actor: Actor, member: Membership, subscription: Subscription) -> str:
    require(member, Can.MANAGE_WEBHOOKS)
    secret = new_secret()
    Subscription.objects.filter(pk=subscription.pk).update(secret=secret)
    record_event(actor=actor, action="webhook.secret_rotated", subject=subscription)
    return secret


@transaction.atomic
def delete_subscription(*, actor: Actor, member: Membership, subscription: Subscription) -> None:
    require(member, Can.MANAGE_WEBHOOKS)
    old = _snapshot(subscription)
    record_event(actor=actor, action="webhook.deleted", subject=subscription, old=old)
    subscription.delete()


@transaction.atomic
def replay_delivery(*, actor: Actor, member: Membership, delivery: Delivery) -> None:
    """Send it again, soon, with the same webhook-id and body, and a fresh set of tries."""
    require(member, Can.MANAGE_WEBHOOKS)
    updated = Delivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.SENDING)
    if not updated.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claim_token=None
    ):
        raise HookError("this delivery is being sent right now")
    record_event(
        actor=actor,
        action="webhook.replayed",
        subject=delivery,
        new={"webhook": str(delivery.subscription.public_id), "event": delivery.event_type},
    )


@transaction.atomic
def send_test(*, actor: Actor, member: Membership, subscription: Subscription) -> None:
    """Queue a test event for this one subscription (the worker sends it)."""
    require(member, Can.MANAGE_WEBHOOKS)
    now = timezone.now()
    data = {"webhook": {"id": str(subscription.public_id), "name": subscription.name}}
    queue(event_type=EventType.TEST, items=[(data, now)], subscription_ids=[subscription.pk])
    record_event(actor=actor, action="webhook.test_queued", subject=subscription)
