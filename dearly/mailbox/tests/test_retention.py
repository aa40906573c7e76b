"""The daily retention chores delete tracking events and caught mail older than the business
keeps them, and never touch the consent ledger."""

import datetime as dt

import pytest
import time_machine

from dearly.contacts.models import ConsentEvent
from dearly.core.actor import Actor
from dearly.core.chores import run_due
from dearly.core.retention import months_before
from dearly.core.services import update_retention
from dearly.delivery.tests.helpers import consenting, queue
from dearly.mailbox.models import CaughtMail
from dearly.mailbox.services import catch_mail
from dearly.tracking.models import MessageEvent
from dearly.tracking.services import record_event, sent_message

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
RAW = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: Hi\r\n\r\nHello\r\n"
CHORES = {"tracking.retention", "mailbox.retention"}


def opened(email: str, at: dt.datetime) -> MessageEvent:
    message = sent_message(pk=queue(consenting(email)).pk)
    assert message is not None
    event = record_event(message, kind="opened", occurred_at=at, provider="dearly", event_key=None)
    assert event is not None
    return event


def test_old_events_and_mail_go_after_their_months_and_consent_stays():
    update_retention(
        actor=Actor.system("tests"), keep_tracking_months=12, keep_caught_mail_months=2
    )
    with time_machine.travel(START, tick=False):
        old_event = opened("old@example.com", START)
        catch_mail(mail_from="a@example.com", rcpt_tos=["b@example.com"], raw=RAW)
    later = START + dt.timedelta(days=75)  # two and a half months on
    with time_machine.travel(later, tick=False):
        new_mail = catch_mail(mail_from="a@example.com", rcpt_tos=["c@example.com"], raw=RAW)
        assert run_due(later, names=CHORES) == 1
    assert list(CaughtMail.objects.all()) == [new_mail]
    assert MessageEvent.objects.filter(pk=old_event.pk).exists()  # kept for 12 months

    a_year_on = dt.datetime(2027, 1, 16, tzinfo=dt.UTC)
    with time_machine.travel(a_year_on, tick=False):
        new_event = opened("new@example.com", a_year_on)
        assert run_due(a_year_on, names=CHORES) == 2  # the old event and the mail now 9 months old
    assert list(MessageEvent.objects.all()) == [new_event]
    assert not CaughtMail.objects.exists()
    assert ConsentEvent.objects.filter(recorded_at__lt=START + dt.timedelta(days=1)).count() == 1


def test_nothing_goes_on_the_day_it_turns_exactly_the_kept_age():
    with time_machine.travel(START, tick=False):
        event = opened("ada@example.com", START)  # default: tracking kept for 24 months
    two_years_on = START.replace(year=2028)
    assert run_due(two_years_on, names=CHORES) == 0
    assert MessageEvent.objects.filter(pk=event.pk).exists()
    assert run_due(two_years_on + dt.timedelta(days=1, minutes=1), names=CHORES) == 1


@pytest.mark.parametrize(
    ("now", "months", "expected"),
    [
        (
            dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC),
            1,
            dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC),
        ),
        (dt.datetime(2026, 1, 10, tzinfo=dt.UTC), 1, dt.datetime(2025, 12, 10, tzinfo=dt.UTC)),
        (dt.datetime(2028, 2, 29, tzinfo=dt.UTC), 12, dt.datetime(2027, 2, 28, tzinfo=dt.UTC)),
        (dt.datetime(2026, 5, 5, tzinfo=dt.UTC), 120, dt.datetime(2016, 5, 5, tzinfo=dt.UTC)),
    ],
)
def test_months_are_calendar_months(now, months, expected):
    assert months_before(now, months) == expected
