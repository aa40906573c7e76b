import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from dearly.audiences.services import create_segment
from dearly.conftest import make_contact
from dearly.contacts.services import update_contact
from dearly.conversions.services import record_event
from dearly.plans import metrics
from dearly.plans.progress import audience, measure
from dearly.plans.tests.helpers import ACTOR, NOV_1, NOV_30, at, plan, purchase
from dearly.touches.services import log_touch

pytestmark = pytest.mark.django_db


def total(metric: str, **kw: object) -> Decimal:
    return metrics.total(metric, start=NOV_1, end=NOV_30, **kw)  # type: ignore[arg-type]


def test_purchases_count_only_inside_the_period_in_local_time() -> None:
    ada = make_contact(email="ada@example.com")
    purchase(ada, dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))  # 31 Oct in London
    purchase(ada, dt.datetime(2026, 11, 1, 0, 30, tzinfo=dt.UTC))
    purchase(ada, dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC))
    purchase(ada, dt.datetime(2026, 12, 1, 0, 10, tzinfo=dt.UTC))
    assert total("purchases") == 2


def test_a_period_in_summer_time_starts_at_local_midnight() -> None:
    ada = make_contact(email="ada@example.com")
    purchase(ada, dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))  # 1 July 00:30 in London
    counted = metrics.total("purchases", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    assert counted == 1


def test_repeat_purchases_are_by_people_who_had_bought_before() -> None:
    ada = make_contact(email="ada@example.com")
    bob = make_contact(email="bob@example.com", first_name="Bob")
    purchase(ada, at(10, month=10))  # before the period: her first
    purchase(ada, at(5))  # a repeat
    purchase(bob, at(6))  # his first: not a repeat
    purchase(bob, at(7))  # a repeat
    assert total("purchases") == 3
    assert total("repeat_purchases") == 2


def test_revenue_adds_the_purchases_values() -> None:
    ada = make_contact(email="ada@example.com")
    purchase(ada, at(5), "12.50")
    purchase(ada, at(6), "7.50")
    purchase(ada, at(6, month=12), "100.00")
    assert total("revenue") == Decimal("20.00")


def test_won_back_counts_former_customers_who_became_customers_in_the_period() -> None:
    with time_machine.travel(at(1, month=9), tick=False):
        ada = make_contact(email="ada@example.com", lifecycle_stage="former")
        bob = make_contact(email="bob@example.com", lifecycle_stage="former", first_name="Bob")
        make_contact(email="cy@example.com", lifecycle_stage="former", first_name="Cy")
        make_contact(email="di@example.com", lifecycle_stage="former", first_name="Di")
    with time_machine.travel(at(20, month=10), tick=False):  # won back before the period
        update_contact(actor=ACTOR, contact=bob, values={"lifecycle_stage": "customer"})
    with time_machine.travel(at(10), tick=False):
        update_contact(actor=ACTOR, contact=ada, values={"lifecycle_stage": "customer"})
    assert total("won_back") == 1
    since, _ = metrics.window(NOV_1, NOV_30)
    assert metrics.former_at(since) == 3  # Ada, Cy and Di were former on 1 November


def test_a_percentage_win_back_objective_divides_by_former_customers_at_the_start() -> None:
    with time_machine.travel(at(1, month=9), tick=False):
        people = [
            make_contact(email=f"p{i}@example.com", lifecycle_stage="former") for i in range(4)
        ]
    purchase(people[0], at(3))  # a purchase wins a former customer back
    won = plan(metric="won_back", unit="percent", target=50)
    progress, _ = measure(won, now=at(15))
    assert progress.base == 4
    assert progress.count == 1
    assert progress.actual == Decimal("25.0")


def test_survey_answers_count_survey_touches_and_survey_events() -> None:
    ada = make_contact(email="ada@example.com")
    with time_machine.travel(at(5), tick=False):
        log_touch(contact=ada, kind="survey", channel="web", direction="in")
        log_touch(contact=ada, kind="call", channel="phone", direction="out")
    with time_machine.travel(at(6), tick=False):
        record_event(contact=ada, name="survey_answer", event_id="s-1", actor=ACTOR)
    assert total("survey_answers") == 2


def test_contacts_touched_counts_each_person_once() -> None:
    ada = make_contact(email="ada@example.com")
    bob = make_contact(email="bob@example.com", first_name="Bob")
    for day in (3, 4, 9):
        with time_machine.travel(at(day), tick=False):
            log_touch(contact=ada, kind="call", channel="phone", direction="out")
    with time_machine.travel(at(9), tick=False):
        log_touch(contact=bob, kind="call", channel="phone", direction="out", outcome="no_answer")
    daily = metrics.daily("contacts_touched", start=NOV_1, end=NOV_30)
    assert daily == {dt.date(2026, 11, 3): 1}  # Bob's unanswered call is not a real touch


def test_a_segment_narrows_the_objective_to_its_people() -> None:
    ada = make_contact(email="ada@example.com", tags=("vip",))
    bob = make_contact(email="bob@example.com", first_name="Bob")
    purchase(ada, at(5))
    purchase(bob, at(5))
    vips = create_segment(
        actor=ACTOR,
        name="VIPs",
        rules={"match": "all", "rules": [{"field": "tag", "op": "has", "value": "vip"}]},
    )
    narrowed = plan(segment=vips)
    assert total("purchases", contacts=audience(narrowed)) == 1
    assert total("purchases") == 2
