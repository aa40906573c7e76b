import pytest
from django.utils import timezone

from dearly.campaigns.recurring_rule import parse_rule, upcoming
from dearly.campaigns.tests.helpers import business, template
from dearly.campaigns.tests.test_browser_campaigns import shot
from dearly.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_create_a_series_and_see_its_next_dates(page, owner):
    business()
    template(name="Newsletter")
    browser_login(page, owner)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="Recurring series").click()
    page.get_by_role("button", name="New series").click()
    page.get_by_label("Name").fill("The newsletter")
    page.get_by_label("Template").select_option(label="Newsletter")
    page.get_by_label("Informational").check()
    page.get_by_label("Send to people who agreed to").select_option("newsletter")
    page.get_by_label("Useful information", exact=True).check()
    page.get_by_role("checkbox", name="Thursday").check()
    page.get_by_role("checkbox", name="First").check()
    page.get_by_role("checkbox", name="Third").check()
    page.get_by_label("At what time").fill("09:00")
    page.get_by_label("In each recipient's send window").check()
    shot(page, "series-form")
    page.get_by_role("button", name="Create series").click()

    page.get_by_role("heading", name="The newsletter").wait_for()
    rule = parse_rule({"weekdays": [3], "nths": [1, 3], "time": "09:00"})
    tz = timezone.get_current_timezone()
    expected = [
        f"{at.astimezone(tz):%A} {at.astimezone(tz).day} {at.astimezone(tz):%B %Y, 09:00}"
        for at in upcoming(rule, timezone.now(), 3)
    ]
    assert (
        page.locator("#rule")
        .inner_text()
        .startswith("Sent on the first and third Thursday of the month at 09:00")
    )
    listed = page.locator("#upcoming li").all_inner_texts()
    assert listed[:3] == expected
    assert page.locator("#issues").get_by_text("No issue has been due yet.").is_visible()
    shot(page, "series")

    page.get_by_role("button", name="Pause").click()
    page.locator("#upcoming").get_by_text("Paused: nothing will be sent").wait_for()
    page.get_by_role("link", name="← Recurring series").click()
    assert page.locator("#series-table").get_by_text("Paused").is_visible()
