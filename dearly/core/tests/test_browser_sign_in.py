"""Signing in, in real Chromium: setting up the app, the code step, and a lockout's message."""

import datetime as dt

import pyotp
import pytest
import time_machine
from playwright.sync_api import expect

from dearly.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_owner_sets_up_an_app_then_signs_in_with_its_code(page, owner):
    browser_login(page, owner)
    page.get_by_role("link", name="Security").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    app = pyotp.TOTP(page.get_by_test_id("secret").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(app.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("button", name="I have kept them").click()

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Username").fill("olive")
    page.get_by_label("Password").fill("pw-olive")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    # The setup's code is spent; the app shows the next one half a minute later.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)):
        page.get_by_label("Code").fill(app.now())
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Good to see you, Olive")).to_be_visible()


def test_too_many_wrong_passwords_say_so_on_the_page(page, owner, settings):
    page.goto("/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("olive")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("Username").fill("olive")
    page.get_by_label("Password").fill("pw-olive")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many wrong passwords")
