import datetime as dt

import pytest

from dearly.tracking.queries import message_events, summary, timeline
from dearly.tracking.services import record_event, sent_message
from dearly.tracking.tests.helpers import sent

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 6, 1, 9, 10, tzinfo=dt.UTC)  # 10:10 in London (BST)


def add(message, kind, minutes=0, **detail):
    facts = sent_message(pk=message.pk)
    assert facts is not None
    at = T0 + dt.timedelta(minutes=minutes)
    key = f"t:{message.pk}:{kind}:{minutes}"
    record_event(facts, kind=kind, occurred_at=at, provider="test", event_key=key, detail=detail)


def campaign(n, origin_id=1):
    return [
        sent(f"p{origin_id}-{i}@example.com", origin_type="campaign", origin_id=origin_id)
        for i in range(n)
    ]


def test_the_summary_counts_messages_not_events_and_a_click_counts_as_an_open():
    a, b, c, d = campaign(4)
    for m in (a, b, c):
        add(m, "delivered")
    add(a, "opened", 5)
    add(a, "opened", 50)
    add(b, "clicked", 7, index=0, url="https://x.example")  # images blocked, but clicked
    add(b, "clicked", 8, index=1, url="https://y.example")
    add(d, "bounced", 1, severity="hard")
    add(c, "bounced", 1, severity="soft")
    add(c, "complained", 90)
    add(a, "unsubscribed", 60)
    other = campaign(1, origin_id=2)[0]
    add(other, "opened", 3)
    assert summary("campaign", 1) == {
        "delivered": 3,
        "opened": 2,
        "clicked": 1,
        "bounced": 2,
        "hard_bounced": 1,
        "complained": 1,
        "unsubscribed": 1,
        "deferred": 0,
        "opens": 2,
        "clicks": 2,
    }


def test_the_summary_of_a_campaign_without_events_is_all_zero():
    assert set(summary("campaign", 99).values()) == {0}


def test_summary_and_timeline_take_one_query_whatever_the_size(django_assert_num_queries):
    for m in campaign(30):
        add(m, "delivered")
        add(m, "opened", 61)
    with django_assert_num_queries(1):
        summary("campaign", 1)
    with django_assert_num_queries(1):
        timeline("campaign", 1)


def test_the_timeline_counts_events_per_hour_in_the_business_time_zone():
    a, b = campaign(2)
    add(a, "delivered", 0)
    add(b, "delivered", 1)
    add(a, "opened", 55)  # 11:05 London
    add(b, "opened", 70)
    add(a, "clicked", 71)
    points = timeline("campaign", 1, bucket="hour")
    assert [(p["bucket"].hour, p["delivered"], p["opened"], p["clicked"]) for p in points] == [
        (10, 2, 0, 0),
        (11, 0, 2, 1),
    ]
    assert str(points[0]["bucket"].tzinfo) == "Europe/London"


def test_the_timeline_by_day_puts_a_late_evening_event_on_the_local_day():
    [a] = campaign(1)
    add(a, "delivered", 0)
    add(a, "opened", 14 * 60 + 20)  # 23:30 UTC on 1 June is 00:30 on 2 June in London
    points = timeline("campaign", 1, bucket="day")
    assert [(p["bucket"].day, p["delivered"], p["opened"]) for p in points] == [
        (1, 1, 0),
        (2, 0, 1),
    ]


def test_an_unknown_bucket_is_refused():
    with pytest.raises(ValueError, match="bucket"):
        timeline("campaign", 1, bucket="week")  # type: ignore[arg-type]


def test_a_messages_history_is_in_order():
    [a] = campaign(1)
    add(a, "opened", 9)
    add(a, "delivered", 0)
    assert [e.kind for e in message_events(a.pk)] == ["delivered", "opened"]
