import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dearly.conftest import make_contact
from dearly.plans.models import Plan
from dearly.plans.progress import measure
from dearly.plans.tests.helpers import at, part_of, plan, purchase

pytestmark = pytest.mark.django_db
HALFWAY = dt.datetime(2026, 11, 16, 0, 0, tzinfo=dt.UTC)  # 15 of 30 days gone


def buy(n: int, day: int = 2, *, via: int | None = None) -> None:
    ada = make_contact(email="ada@example.com")
    for _ in range(n):
        purchase(ada, at(day), via=via)


def credited_plan(**kw: Any) -> tuple[Plan, int]:
    found = plan(**kw)
    return found, part_of(found)


@pytest.mark.parametrize(
    ("bought", "status"),
    [(0, "behind"), (40, "behind"), (50, "on_pace"), (56, "ahead"), (100, "met")],
)
def test_progress_compares_with_where_a_steady_pace_would_be_today(
    bought: int, status: str
) -> None:
    target, campaign = credited_plan(target=100)
    buy(bought, via=campaign)
    progress, _ = measure(target, now=HALFWAY)
    assert progress.actual == bought
    assert progress.elapsed == Decimal("0.5")
    assert progress.expected == 50
    assert progress.status == status
    assert progress.share == bought


def test_less_than_one_short_early_on_is_still_on_pace() -> None:
    progress, _ = measure(plan(target=10), now=at(2))  # a day gone: 0.33 expected
    assert progress.actual == 0
    assert progress.status == "on_pace"


def test_before_the_period_nothing_is_expected_and_after_it_a_shortfall_is_missed() -> None:
    target, campaign = credited_plan(target=10, made=at(15, month=10))
    buy(3, via=campaign)
    before, _ = measure(target, now=at(20, month=10))
    assert (before.expected, before.status) == (0, "upcoming")
    after, _ = measure(target, now=at(5, month=12))
    assert (after.expected, after.status) == (10, "missed")


def test_the_chart_runs_day_by_day_to_today_with_the_pace_line_to_the_target() -> None:
    target, campaign = credited_plan(target=30)
    ada = make_contact(email="ada@example.com")
    purchase(ada, at(2), via=campaign)
    purchase(ada, at(4), via=campaign)
    purchase(ada, at(4), via=campaign)
    _, chart = measure(target, now=at(5, 8))
    assert [v for _, v in chart.points] == [0, 1, 1, 3, 3]
    assert chart.points[-1][0] == dt.date(2026, 11, 5)
    x1, y1, x2, y2 = chart.pace
    assert (x1, y1) == (chart.left, chart.baseline)
    assert x2 == chart.right
    assert y2 == chart.target_y < chart.baseline
    assert chart.today_x is not None and x1 < chart.today_x < x2
    assert len(chart.actual_path.split()) == 6  # the origin and one point a day


def test_a_shop_ahead_of_target_grows_the_chart_to_fit() -> None:
    target, campaign = credited_plan(target=10)
    buy(12, via=campaign)
    _, chart = measure(target, now=at(5))
    assert chart.peak == 12
    assert chart.target_y > 14  # the target line sits below the top of the plot


def test_purchases_not_credited_to_the_plans_messages_do_not_count() -> None:
    target, campaign = credited_plan(target=10)
    other = part_of(plan(name="Another plan"))
    buy(2, via=campaign)
    ada = make_contact(email="bea@example.com")
    purchase(ada, at(3))  # no message from us at all
    purchase(ada, at(4), via=other)  # credited to another plan's campaign
    progress, _ = measure(target, now=HALFWAY)
    assert (progress.actual, progress.credited_only) == (2, True)


def test_a_plan_made_a_minute_ago_counts_nothing_from_before_and_is_too_early_to_judge() -> None:
    ada = make_contact(email="ada@example.com")
    for hour in (8, 9, 10):
        purchase(ada, at(16, hour))  # bought this morning, before the plan existed
    made = at(16, 11)
    target, _ = credited_plan(target=10, made=made)
    progress, _ = measure(target, now=made + dt.timedelta(minutes=1))
    assert progress.actual == 0
    assert progress.counting_from == made
    assert (progress.status, progress.label) == ("too_early", "Too early to tell")


def test_the_pace_runs_from_when_the_plan_was_made_and_judges_after_a_day() -> None:
    made = at(16, 0)  # halfway through November: fifteen days left
    target, campaign = credited_plan(target=15, made=made)
    buy(1, day=16, via=campaign)
    progress, chart = measure(target, now=at(17, 0))
    assert (progress.elapsed, progress.expected) == (Decimal("0.0667"), 1)
    assert progress.status == "on_pace"
    assert chart.pace[0] > chart.left  # the pace line starts on the day the plan was made


def test_a_target_already_met_is_met_however_early() -> None:
    made = at(16, 11)
    target, campaign = credited_plan(target=1, made=made)
    ada = make_contact(email="ada@example.com")
    purchase(ada, made + dt.timedelta(minutes=30), via=campaign)
    progress, _ = measure(target, now=made + dt.timedelta(hours=1))
    assert progress.status == "met"
