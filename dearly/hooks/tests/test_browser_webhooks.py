"""The owner makes a webhook in the browser, copies its secret once, and replays a delivery."""

import os

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from dearly.conftest import browser_login, make_contact
from dearly.hooks.tests.helpers import run_worker
from dearly.hooks.tests.receiver import receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_makes_a_webhook_and_replays_a_delivery(page, owner):
    with receiver() as box:
        browser_login(page, owner)
        page.goto("/manage/webhooks/")
        page.get_by_label("Name").fill("Shop")
        page.get_by_label("Address (URL)").fill(box.url)
        page.get_by_label("A contact was added").check()
        page.get_by_label("Allow private network addresses").check()
        page.get_by_role("button", name="Create webhook").click()
        secret = page.get_by_test_id("secret").input_value()
        assert secret.startswith("whsec_")
        page.get_by_role("button", name="I have copied it").click()
        expect(page.get_by_test_id("secret")).to_have_count(0)

        make_contact(email="ada@example.com")
        run_worker()
        page.reload()
        expect(page.get_by_role("cell", name="Delivered")).to_be_visible()
        page.get_by_role("button", name="Replay").click()
        expect(page.get_by_text("Sending it again")).to_be_visible()
        run_worker()
        if shot := os.environ.get("DEARLY_SCREENSHOT"):
            page.reload()
            page.screenshot(path=shot, full_page=True)
    assert len(box.requests) == 2
    for request in box.requests:
        Webhook(secret).verify(request.body, request.headers)
