import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.report import build_report
from dearly.campaigns.tests.helpers import ACTOR, TUESDAY, business, draft, member, person, template
from dearly.conftest import client_for
from dearly.conversions.queries import totals
from dearly.conversions.services import record_event
from dearly.delivery.models import OutboxMessage
from dearly.touches.services import Delivered, record_delivered

pytestmark = pytest.mark.django_db
DELIVERED = TUESDAY + dt.timedelta(minutes=10)
LATER = TUESDAY + dt.timedelta(days=2)


def launched(owner):
    business()
    person("ada@example.com")
    person("grace@example.com")
    with time_machine.travel(TUESDAY, tick=False):
        campaign = launch_campaign(actor=ACTOR, member=member(owner), campaign=draft(template()))
    messages = list(OutboxMessage.objects.filter(origin_id=campaign.pk).order_by("pk"))
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        status="sent", sent_at=DELIVERED
    )
    delivered = [
        Delivered(m.pk, m.contact.pk, "email", "campaign", campaign.pk)
        for m in messages
        if m.contact
    ]
    record_delivered(delivered, at=DELIVERED)
    return campaign, [m.contact for m in messages]


def buy(who, event_id, value, currency="GBP"):
    with time_machine.travel(LATER, tick=False):
        record_event(
            contact=who,
            name="purchase",
            event_id=event_id,
            value=value,
            currency=currency,
            actor=ACTOR,
        )


def test_the_campaign_report_shows_the_purchases_its_messages_earned(owner):
    campaign, (ada, grace) = launched(owner)
    buy(ada, "o-1", "20.00")
    buy(grace, "o-2", "1234.50")
    buy(grace, "o-3", "9.99", currency="EUR")
    with time_machine.travel(LATER, tick=False):
        page = client_for(owner).get(reverse("campaigns:detail", args=[campaign.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="stat-purchases">3<' in html
    assert 'id="stat-revenue-GBP">1,254.50 GBP<' in html
    assert 'id="stat-revenue-EUR">9.99 EUR<' in html
    assert "in the 7 days before it" in html


def test_the_report_counts_nothing_for_a_purchase_outside_the_window(owner):
    campaign, (ada, _) = launched(owner)
    with time_machine.travel(TUESDAY + dt.timedelta(days=9), tick=False):
        record_event(
            contact=ada,
            name="purchase",
            event_id="late",
            value="5.00",
            currency="GBP",
            actor=ACTOR,
        )
        report = build_report(campaign, now=TUESDAY + dt.timedelta(days=9))
    assert report.conversions is not None and report.conversions.count == 0


def test_totals_sum_per_currency_and_lead_with_the_most_used(owner):
    campaign, (ada, grace) = launched(owner)
    buy(ada, "o-1", "10.00", currency="EUR")
    buy(grace, "o-2", "5.00")
    buy(grace, "o-3", "7.50")
    result = totals(origin_type="campaign", origin_ids=[campaign.pk])
    assert (result.count, result.value, result.currency) == (3, Decimal("12.50"), "GBP")
    assert result.by_currency == (("GBP", Decimal("12.50")), ("EUR", Decimal("10.00")))
    assert totals(origin_type="campaign", origin_ids=[campaign.pk], until=LATER).count == 0
    assert totals(origin_type="campaign", origin_ids=[campaign.pk], name="refund").count == 0
    assert totals(origin_type="journey", origin_ids=[campaign.pk]).count == 0
