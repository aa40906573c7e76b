import re

import pytest

from dearly.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_sees_the_charts_and_follows_the_overdue_count(page, seeded, owner):
    browser_login(page, owner)
    page.goto("/")
    ring = page.get_by_role("img", name="% of contacts on rhythm")
    assert ring.is_visible()
    assert page.locator("svg.dash-chart").first.is_visible()  # touches per day
    assert page.get_by_role("img", name="Overdue contacts by branch").is_visible()
    assert page.get_by_role("img", name="Messages held or waiting, by reason").is_visible()
    assert page.get_by_role("img", name="25% of target").is_visible()
    box = page.locator("svg.dash-chart rect").first.bounding_box()
    assert box is not None and box["height"] > 0  # the bars are drawn, not just declared
    overdue = page.get_by_test_id("overdue-link")
    assert re.fullmatch(r"5\s+overdue", overdue.inner_text().strip())
    overdue.click()
    page.wait_for_url("**/rhythms/overdue/")
    assert page.get_by_role("heading", level=1).is_visible()
