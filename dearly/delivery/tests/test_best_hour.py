"""Best time per contact (F3): each person's usual hour is learned from their opens and
clicks, and a message sent "in each recipient's window" waits for it when it is inside."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from dearly.contacts.models import Contact
from dearly.core.chores import run_due
from dearly.delivery.claim import claim_batch
from dearly.delivery.models import OutboxMessage
from dearly.delivery.policy import Budget
from dearly.delivery.tests.helpers import consenting, queue
from dearly.delivery.timing import DEFAULT_WINDOWS, at_usual_hour
from dearly.tracking.besttime import CHORE, learn
from dearly.tracking.models import MessageEvent, UsualHour

pytestmark = pytest.mark.django_db
TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # 10:00 in London, window open
BUDGET = Budget(max_messages=5, days=7)


def engaged(contact: Contact, *hours_utc: int, kind: str = "opened", days_ago: int = 1) -> None:
    """One message per hour given, each opened (or clicked) at that hour, `days_ago` back."""
    for i, hour in enumerate(hours_utc):
        message = queue(contact, not_before=TUESDAY - dt.timedelta(days=30))
        at = (TUESDAY - dt.timedelta(days=days_ago + i)).replace(hour=hour, minute=25)
        MessageEvent.objects.create(
            message=message,
            contact=contact,
            origin_type="test",
            kind=kind,
            occurred_at=at,
            provider="dearly",
        )


def learned(contact: Contact) -> int | None:
    row = UsualHour.objects.filter(contact=contact).first()
    return row.hour if row else None


def window_message(contact: Contact, **kw: Any) -> OutboxMessage:
    OutboxMessage.objects.filter(contact=contact).update(status="cancelled")
    return queue(contact, not_before=TUESDAY, best_hour=True, **kw)


def claim(now: dt.datetime = TUESDAY) -> list[int]:
    return [c.id for c in claim_batch(size=100, now=now, budget=BUDGET)]


# Learning


def test_the_usual_hour_is_the_most_frequent_local_hour_of_opens_and_clicks() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 9)
    engaged(ada, 18, kind="clicked", days_ago=10)
    with time_machine.travel(TUESDAY, tick=False):
        assert learn(TUESDAY) == 1
    assert learned(ada) == 18
    assert UsualHour.objects.get(contact=ada).events == 3


def test_the_hour_is_local_to_the_contact() -> None:
    ny = consenting("ny@example.com")
    Contact.objects.filter(pk=ny.pk).update(time_zone="America/New_York")
    engaged(ny, 23, 23, 23)  # 18:25 in New York in November
    learn(TUESDAY)
    assert learned(ny) == 18


def test_fewer_than_three_engagements_teach_nothing() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18)
    learn(TUESDAY)
    assert learned(ada) is None


def test_many_events_on_one_message_count_once() -> None:
    ada = consenting("ada@example.com")
    message = queue(ada, not_before=TUESDAY)
    for minute in (1, 2, 3, 4):
        MessageEvent.objects.create(
            message=message,
            contact=ada,
            origin_type="test",
            kind="clicked",
            occurred_at=TUESDAY.replace(hour=7, minute=minute) - dt.timedelta(days=1),
            provider="dearly",
        )
    learn(TUESDAY)
    assert learned(ada) is None


def test_events_older_than_ninety_days_are_forgotten_and_the_row_with_them() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 18, days_ago=80)  # early September: 18:25 UTC is 19:25 in London
    learn(TUESDAY)
    assert learned(ada) == 19
    later = TUESDAY + dt.timedelta(days=20)
    learn(later)
    assert learned(ada) is None


def test_the_daily_chore_learns() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 15, 15, 15)
    run_due(TUESDAY, names={CHORE})
    assert learned(ada) == 15


# Sending


def test_a_window_message_waits_for_the_usual_hour_inside_the_window() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 18)
    learn(TUESDAY)
    message = window_message(ada)
    assert claim() == []
    message.refresh_from_db()
    assert (message.status, message.defer_reason) == ("queued", "window")
    assert message.not_before == TUESDAY.replace(hour=18, minute=0)
    assert claim(TUESDAY.replace(hour=18, minute=0, second=3)) == [message.pk]


def test_an_hour_outside_the_window_is_ignored_and_the_message_goes_when_allowed() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 22, 22, 22)  # late at night: promotional mail stops at 20:00
    learn(TUESDAY)
    assert learned(ada) == 22
    message = window_message(ada)
    assert claim() == [message.pk]


def test_without_enough_history_the_message_goes_when_the_window_opens() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18)
    learn(TUESDAY)
    message = window_message(ada)
    assert claim() == [message.pk]


def test_a_message_not_sent_in_each_window_ignores_the_usual_hour() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 18)
    learn(TUESDAY)
    OutboxMessage.objects.filter(contact=ada).update(status="cancelled")
    message = queue(ada, not_before=TUESDAY)
    assert claim() == [message.pk]


def test_service_messages_never_wait_for_the_usual_hour() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 18)
    learn(TUESDAY)
    message = window_message(ada, purpose="service", consent_purpose="")
    assert claim() == [message.pk]


@override_settings(SEND_WINDOWS=False)
def test_with_send_windows_switched_off_nobody_waits() -> None:
    ada = consenting("ada@example.com")
    engaged(ada, 18, 18, 18)
    learn(TUESDAY)
    message = window_message(ada)
    assert claim() == [message.pk]


def test_the_usual_hours_of_a_batch_are_read_in_one_query() -> None:
    def queries_for(count: int) -> list[str]:
        OutboxMessage.objects.update(status="cancelled")
        for i in range(count):
            contact = consenting(f"p{count}-{i}@example.com")
            UsualHour.objects.create(contact=contact, hour=10, events=3, computed_at=TUESDAY)
            queue(contact, not_before=TUESDAY, best_hour=True)
        with CaptureQueriesContext(connection) as seen:
            assert len(claim()) == count
        return [q["sql"] for q in seen.captured_queries]

    few, many = queries_for(2), queries_for(20)
    assert len(few) == len(many)
    assert len([sql for sql in many if "tracking_usualhour" in sql]) == 1


def test_the_window_narrows_only_to_an_hour_inside_it() -> None:
    promotional = DEFAULT_WINDOWS["promotional"]  # 09:00-20:00
    assert at_usual_hour(promotional, 19).start == dt.time(19)
    assert at_usual_hour(promotional, 19).end == dt.time(20)
    assert at_usual_hour(promotional, 20) == promotional
    assert at_usual_hour(promotional, 8) == promotional
    assert at_usual_hour(promotional, None) == promotional
