"""The main nav on a phone and on a laptop: folded into one menu, opened without JavaScript."""

import pytest
from playwright.sync_api import expect

from dearly.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_nav_is_one_menu_button_that_opens_without_javascript(
    browser, live_server, owner
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    browser_login(page, owner)
    nav = page.get_by_role("navigation", name="Main")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 844 * 0.1  # was 40% of the first screen
    expect(nav.get_by_role("link", name="Contacts")).to_be_hidden()
    nav.get_by_text("Menu").click()
    expect(nav.get_by_role("link", name="Contacts")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
    nav.get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/manage/audit/")
    context.close()


def test_on_a_laptop_the_everyday_pages_stay_in_one_row_and_the_rest_sit_under_more(page, owner):
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(page, owner)
    nav = page.get_by_role("navigation", name="Main")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 90
    rows = {round(box["y"] + box["height"] / 2) for box in visible_boxes(nav)}
    assert max(rows) - min(rows) <= 4, rows  # one row, not wrapped
    expect(nav.get_by_role("link", name="Journeys")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()
    nav.get_by_text("More").click()
    nav.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/manage/**")


def visible_boxes(nav):
    items = nav.locator("a, summary, button").filter(visible=True)
    return [items.nth(i).bounding_box() for i in range(items.count())]
