"""The owner's settings in real Chromium: a new branch-staff account, and an API key shown once."""

import re

import pytest
from playwright.sync_api import expect

from dearly.conftest import browser_login, nav_to
from dearly.core.apikeys import authenticate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "Sunny-Harbour-Lantern-42"


def test_a_new_branch_staff_account_logs_in_and_sees_only_its_branch(page, owner, north, south):
    browser_login(page, owner)
    nav_to(page, "Settings")
    page.get_by_role("button", name="Add a staff account").click()
    page.get_by_label("Username").fill("bea")
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("First password").fill(PASSWORD)
    page.get_by_label("Role").select_option(label="Branch staff")
    page.get_by_label("Branch").select_option(label="North")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_text("Added bea.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Username").fill("bea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    header = page.locator("header.topbar .who")
    expect(header).to_contain_text("Bea · Branch staff · North")
    expect(header).not_to_contain_text("South")


def test_the_owner_creates_an_api_key_and_sees_it_only_once(page, owner):
    browser_login(page, owner)
    page.goto("/manage/api-keys/")
    page.get_by_label("Name").fill("Booking system")
    page.get_by_role("button", name="Create key").click()
    raw = page.get_by_test_id("raw-key").input_value()
    assert re.fullmatch(r"dly_[0-9a-f]{12}_\S+", raw)
    assert authenticate(raw) is not None
    expect(page.get_by_text(f"Authorization: Bearer {raw}")).to_be_visible()

    page.get_by_role("button", name="I have copied it").click()
    expect(page.get_by_role("cell", name="Booking system")).to_be_visible()
    assert raw not in page.content()
