import datetime as dt
from decimal import Decimal

import pytest

from dearly.conftest import make_contact
from dearly.plans.progress import measure
from dearly.plans.tests.helpers import at, plan, purchase

pytestmark = pytest.mark.django_db
HALFWAY = dt.datetime(2026, 11, 16, 0, 0, tzinfo=dt.UTC)  # 15 of 30 days gone


def buy(n: int, day: int = 2) -> None:
    ada = make_contact(email="ada@example.com")
    for _ in range(n):
        purchase(ada, at(day))


@pytest.mark.parametrize(
    ("bought", "status"),
    [(0, "behind"), (40, "behind"), (50, "on_pace"), (56, "ahead"), (100, "met")],
)
def test_progress_compares_with_where_a_steady_pace_would_be_today(
    bought: int, status: str
) -> None:
    buy(bought)
    progress, _ = measure(plan(target=100), now=HALFWAY)
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
    buy(3)
    before, _ = measure(plan(target=10), now=at(20, month=10))
    assert (before.expected, before.status) == (0, "upcoming")
    after, _ = measure(plan(target=10), now=at(5, month=12))
    assert (after.expected, after.status) == (10, "missed")


def test_the_chart_runs_day_by_day_to_today_with_the_pace_line_to_the_target() -> None:
    ada = make_contact(email="ada@example.com")
    purchase(ada, at(2))
    purchase(ada, at(4))
    purchase(ada, at(4))
    _, chart = measure(plan(target=30), now=at(5, 8))
    assert [v for _, v in chart.points] == [0, 1, 1, 3, 3]
    assert chart.points[-1][0] == dt.date(2026, 11, 5)
    x1, y1, x2, y2 = chart.pace
    assert (x1, y1) == (chart.left, chart.baseline)
    assert x2 == chart.right
    assert y2 == chart.target_y < chart.baseline
    assert chart.today_x is not None and x1 < chart.today_x < x2
    assert len(chart.actual_path.split()) == 6  # the origin and one point a day


def test_a_shop_ahead_of_target_grows_the_chart_to_fit() -> None:
    buy(12)
    _, chart = measure(plan(target=10), now=at(5))
    assert chart.peak == 12
    assert chart.target_y > 14  # the target line sits below the top of the plot
