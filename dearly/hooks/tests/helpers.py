"""Small helpers for the webhook tests: an owner's subscription, and one worker pass."""

import datetime as dt

from django.utils import timezone

from dearly.core.actor import Actor
from dearly.core.models import Membership, Role
from dearly.hooks.models import Subscription
from dearly.hooks.outbox import deliver_due
from dearly.hooks.services import Details, create_subscription

OWNER = Membership(role=Role.OWNER)
ACTOR = Actor.system("tests")


def subscribe(
    url: str, events: list[str], *, private: bool = True, name: str = "Shop"
) -> tuple[Subscription, str]:
    details = Details(name=name, url=url, events=events, allow_private_network=private)
    return create_subscription(actor=ACTOR, member=OWNER, details=details)


def run_worker(now: dt.datetime | None = None) -> int:
    return deliver_due(now or timezone.now())
