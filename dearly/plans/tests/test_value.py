import datetime as dt

import pytest

from dearly.campaigns.tests.helpers import draft, template
from dearly.conftest import make_contact
from dearly.plans.origins import origins_of
from dearly.plans.tests.helpers import at, plan, sent
from dearly.plans.value import distribution, plan_ratio, value_ratio_for_contact

pytestmark = pytest.mark.django_db


def campaign_plan():  # type: ignore[no-untyped-def]
    campaign = draft(template())
    return plan(campaigns=[campaign]), campaign


def test_the_plans_value_share_counts_what_its_marketing_messages_give() -> None:
    the_plan, campaign = campaign_plan()
    ada = make_contact(email="ada@example.com")
    for value in ("useful_information", "invitation", "offer", ""):
        sent(ada, origin_type="campaign", origin_id=campaign.pk, value=value, when=at(3))
    sent(
        ada, origin_type="campaign", origin_id=campaign.pk, value="", when=at(3), purpose="service"
    )
    sent(ada, origin_type="campaign", origin_id=campaign.pk + 1, value="offer", when=at(3))
    ratio = plan_ratio(origins_of(the_plan))
    assert (ratio.value, ratio.selling) == (2, 2)
    assert ratio.percent == 50
    assert not ratio.only_sells


def test_a_plan_whose_messages_only_sell_is_flagged() -> None:
    the_plan, campaign = campaign_plan()
    ada = make_contact(email="ada@example.com")
    sent(ada, origin_type="campaign", origin_id=campaign.pk, value="offer", when=at(3))
    sent(ada, origin_type="campaign", origin_id=campaign.pk, value="", when=at(3))
    assert plan_ratio(origins_of(the_plan)).only_sells


def test_a_plan_with_less_than_half_value_is_flagged_but_not_one_that_sent_nothing() -> None:
    the_plan, campaign = campaign_plan()
    assert not plan_ratio(origins_of(the_plan)).only_sells
    ada = make_contact(email="ada@example.com")
    for value in ("free_resource", "offer", "offer"):
        sent(ada, origin_type="campaign", origin_id=campaign.pk, value=value, when=at(3))
    ratio = plan_ratio(origins_of(the_plan))
    assert ratio.percent == 33
    assert ratio.only_sells


def test_cancelled_and_held_messages_do_not_count() -> None:
    the_plan, campaign = campaign_plan()
    ada = make_contact(email="ada@example.com")
    sent(
        ada, origin_type="campaign", origin_id=campaign.pk, value="offer", when=at(3), status="held"
    )
    sent(ada, origin_type="campaign", origin_id=campaign.pk, value="inspiration", when=at(3))
    assert plan_ratio(origins_of(the_plan)).only_sells is False


def test_a_contacts_ratio_covers_their_marketing_mail_of_the_last_90_days() -> None:
    ada = make_contact(email="ada@example.com")
    bob = make_contact(email="bob@example.com", first_name="Bob")
    now = at(20)
    sent(
        ada,
        origin_type="journey",
        origin_id=1,
        value="competition",
        when=now - dt.timedelta(days=5),
    )
    sent(ada, origin_type="campaign", origin_id=2, value="offer", when=now - dt.timedelta(days=89))
    sent(
        ada,
        origin_type="campaign",
        origin_id=3,
        value="inspiration",
        when=now - dt.timedelta(days=91),
    )
    sent(ada, origin_type="api", origin_id=None, value="", when=now, purpose="service")
    sent(bob, origin_type="campaign", origin_id=2, value="offer", when=now)
    ratio = value_ratio_for_contact(ada, now=now)
    assert (ratio.value, ratio.selling, ratio.percent) == (1, 1, 50)
    assert value_ratio_for_contact(bob, now=now).only_sells


def test_the_distribution_groups_the_plans_recipients_by_their_own_ratio() -> None:
    the_plan, campaign = campaign_plan()
    now = at(20)
    people = [make_contact(email=f"p{i}@example.com") for i in range(3)]
    for person, values in zip(
        people, [("offer",), ("offer", "useful_information"), ("inspiration",)], strict=True
    ):
        for value in values:
            sent(person, origin_type="campaign", origin_id=campaign.pk, value=value, when=now)
    make_contact(email="never@example.com")
    buckets = {b.key: b.contacts for b in distribution(origins_of(the_plan), now=now)}
    assert buckets == {"none": 1, "little": 0, "half": 1, "all": 1}
