import datetime as dt
import importlib.util

import pytest
import time_machine

from dearly.campaigns import report as report_module
from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.report import build_report
from dearly.campaigns.tests.helpers import ACTOR, TUESDAY, business, draft, member, person, template
from dearly.conftest import client_for
from dearly.delivery.models import OutboxMessage

pytestmark = pytest.mark.django_db
HAS_TRACKING = importlib.util.find_spec("dearly.tracking.queries") is not None
NOW = TUESDAY + dt.timedelta(hours=3)
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def launched(owner, count):
    business()
    for i in range(count):
        person(f"p{i}@example.com")
    with time_machine.travel(TUESDAY, tick=False):
        return launch_campaign(actor=ACTOR, member=member(owner), campaign=draft(template()))


def set_rows(campaign, **states):
    """Move the campaign's rows, in id order, into the given states: name=[(n, fields)]."""
    ids = list(
        OutboxMessage.objects.filter(origin_id=campaign.pk)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for n, fields in states.values():
        chosen, ids = ids[:n], ids[n:]
        OutboxMessage.objects.filter(pk__in=chosen).update(**fields)


def test_the_report_counts_messages_by_status_and_reason(owner):
    campaign = launched(owner, 10)
    set_rows(
        campaign,
        sent_early=(2, {"status": "sent", "sent_at": TUESDAY + dt.timedelta(minutes=5)}),
        sent_later=(1, {"status": "sent", "sent_at": TUESDAY + dt.timedelta(hours=2)}),
        no_consent=(2, {"status": "held", "hold_reason": "no_consent"}),
        missing=(1, {"status": "held", "hold_reason": "missing_data"}),
        window=(2, {"defer_reason": "window", "not_before": FRIDAY}),
        sending=(1, {"status": "sending", "claimed_at": NOW}),
        failed=(1, {"status": "failed"}),
    )
    report = build_report(campaign, now=NOW)
    assert (report.queued, report.sending, report.sent, report.failed) == (0, 1, 3, 1)
    assert [(r.code, r.count) for r in report.held] == [("no_consent", 2), ("missing_data", 1)]
    assert [(r.code, r.count, r.earliest) for r in report.deferred] == [("window", 2, FRIDAY)]
    assert report.total == 10
    assert report.active  # one message is being sent


def test_the_report_is_quiet_when_nothing_is_due(owner):
    campaign = launched(owner, 2)
    set_rows(campaign, waiting=(2, {"defer_reason": "window", "not_before": FRIDAY}))
    report = build_report(campaign, now=NOW)
    assert report.deferred_total == 2
    assert not report.active


def test_the_chart_has_a_bar_per_hour_with_quiet_hours_kept(owner):
    campaign = launched(owner, 3)
    set_rows(
        campaign,
        first=(2, {"status": "sent", "sent_at": TUESDAY + dt.timedelta(minutes=5)}),
        later=(1, {"status": "sent", "sent_at": TUESDAY + dt.timedelta(hours=2, minutes=1)}),
    )
    chart = build_report(campaign, now=NOW).chart
    assert chart is not None
    assert chart.bucket == "hour"
    assert [(p.at.astimezone(dt.UTC).hour, p.sent) for p in chart.points] == [
        (10, 2),
        (11, 0),
        (12, 1),
    ]
    assert chart.peak == 2
    tallest = max(chart.bars, key=lambda b: b.height)
    assert (tallest.series, tallest.y) == ("sent", 14)


def test_the_report_reads_the_outbox_in_two_queries(owner, django_assert_num_queries):
    campaign = launched(owner, 5)
    set_rows(campaign, sent=(5, {"status": "sent", "sent_at": TUESDAY}))
    tracking = 2 if report_module._tracking() else 0
    conversions = 2  # the purchases credited, and the attribution window it names
    with django_assert_num_queries(2 + tracking + conversions):
        build_report(campaign, now=NOW)


@pytest.mark.skipif(not HAS_TRACKING, reason="the tracking app is not in this build")
def test_engagement_comes_from_tracking(owner):
    from dearly.tracking.models import MessageEvent

    campaign = launched(owner, 3)
    set_rows(campaign, sent=(3, {"status": "sent", "sent_at": TUESDAY}))
    messages = list(OutboxMessage.objects.filter(origin_id=campaign.pk).order_by("id"))
    at = TUESDAY + dt.timedelta(minutes=30)
    events = [
        (messages[0], "delivered"),
        (messages[1], "delivered"),
        (messages[0], "opened"),
        (messages[0], "clicked"),
        (messages[2], "bounced"),
    ]
    MessageEvent.objects.bulk_create(
        MessageEvent(
            message=m,
            contact_id=m.contact_id,
            origin_type="campaign",
            origin_id=campaign.pk,
            kind=kind,
            occurred_at=at,
            provider="dearly",
        )
        for m, kind in events
    )
    report = build_report(campaign, now=NOW)
    figures = {name: value for name, _, value in report.engagement_rows}
    assert figures == {
        "delivered": 2,
        "opened": 1,
        "clicked": 1,
        "bounced": 1,
        "unsubscribed": 0,
        "complained": 0,
    }
    assert report.chart is not None
    [point] = report.chart.points
    assert (point.sent, point.opened, point.clicked) == (3, 1, 1)


@pytest.mark.parametrize(
    ("catcher", "url", "reported"),
    [
        (True, "anymail://:key@sendgrid", False),
        (False, "smtp://mail.example:587", False),
        (False, "anymail://:key@sendgrid", True),
    ],
)
def test_deliveries_are_reported_only_by_a_provider(owner, settings, catcher, url, reported):
    settings.MAIL_CATCHER, settings.EMAIL_URL = catcher, url
    campaign = launched(owner, 2)
    set_rows(campaign, sent=(2, {"status": "sent", "sent_at": TUESDAY}))
    assert build_report(campaign, now=NOW).deliveries_reported is reported


@pytest.mark.skipif(not HAS_TRACKING, reason="tracking is not in this build")
def test_mail_the_catcher_accepted_is_sent_and_its_delivery_not_reported(owner, settings):
    settings.MAIL_CATCHER = True
    campaign = launched(owner, 2)
    set_rows(campaign, sent=(2, {"status": "sent", "sent_at": TUESDAY}))
    with time_machine.travel(NOW, tick=False):
        page = client_for(owner).get(f"/campaigns/{campaign.public_id}/").content.decode()
    assert '<p class="stat-figure" id="stat-sent">2</p><p>sent <small' in page
    assert "accepted by the mail server" in page
    assert '<p class="stat-figure" id="stat-delivered">—</p><p>delivered: not reported</p>' in page
    assert "The demo's mail catcher accepts messages but does not report" in page


@pytest.mark.skipif(not HAS_TRACKING, reason="tracking is not in this build")
def test_with_a_provider_no_delivery_yet_is_a_zero(owner, settings):
    settings.MAIL_CATCHER, settings.EMAIL_URL = False, "anymail://:key@sendgrid"
    campaign = launched(owner, 1)
    with time_machine.travel(NOW, tick=False):
        page = client_for(owner).get(f"/campaigns/{campaign.public_id}/").content.decode()
    assert '<p class="stat-figure" id="stat-delivered">0</p>' in page
    assert 'id="deliveries-note"' not in page
