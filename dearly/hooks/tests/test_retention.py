"""Finished webhook deliveries go after the months the business keeps tracking events."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dearly.hooks.models import Delivery, DeliveryStatus, Subscription
from dearly.hooks.retention import forget_old_deliveries

pytestmark = pytest.mark.django_db


def delivery(hook: Subscription, status: str) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        subscription=hook,
        event_type="contact.updated",
        body="{}",
        occurred_at=now,
        next_attempt_at=now,
        status=status,
    )


def test_finished_deliveries_older_than_the_kept_months_go_and_waiting_ones_stay():
    hook = Subscription.objects.create(name="Shop", url="https://shop.example/h", secret="s")
    with time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC)):
        old_done = delivery(hook, DeliveryStatus.DELIVERED)
        old_failed = delivery(hook, DeliveryStatus.FAILED)
        old_waiting = delivery(hook, DeliveryStatus.PENDING)
    recent = delivery(hook, DeliveryStatus.DELIVERED)
    removed = forget_old_deliveries(timezone.now())  # 24 months by default
    left = set(Delivery.objects.values_list("pk", flat=True))
    assert removed == 2
    assert left == {old_waiting.pk, recent.pk}
    assert not left & {old_done.pk, old_failed.pk}
