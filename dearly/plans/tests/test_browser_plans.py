import os

import pytest
from playwright.sync_api import expect

from dearly.campaigns.tests.helpers import business
from dearly.conftest import browser_login
from dearly.plans.models import Plan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page, name):
    """Screenshots for people reviewing the pages: DEARLY_SHOTS=/tmp/shots."""
    folder = os.environ.get("DEARLY_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=f"{folder}/plans-{name}.png", full_page=True)


def test_install_a_playbook_and_open_its_plan(page, owner):
    business()
    browser_login(page, owner)
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("button", name="Starter playbooks").click()
    card = page.locator("#playbook-win-back")
    expect(card.get_by_text("What it gives:")).to_be_visible()  # waits for the new page
    shot(page, "playbooks")
    card.get_by_role("button", name="Install “Former-customer win-back”").click()

    page.get_by_role("heading", name="Win back former customers").wait_for()
    assert page.get_by_text("Installed “Former-customer win-back”").is_visible()
    assert (
        "Former customers won back: 5% of former customers"
        in page.locator("#objective").inner_text()
    )
    assert page.locator("svg[role=img] polyline.actual").count() == 1
    assert page.locator("svg[role=img] line.pace").count() == 1
    table = page.locator("table.plan-contributions")
    assert table.get_by_text("Win back former customers").is_visible()
    assert table.get_by_text("Former customers: monthly for 6 months, then quarterly").is_visible()
    shot(page, "detail")
    assert Plan.objects.get().playbook == "win-back"

    page.get_by_role("link", name="← Plans").click()
    assert page.get_by_role("link", name="Win back former customers").is_visible()
    page.goto("/plans/playbooks/")
    assert page.locator("#playbook-win-back").get_by_text("Installed:").is_visible()
