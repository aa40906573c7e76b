"""In Chromium: the owner builds a two-step journey, sees it listed and tries it on a contact."""

import os
from typing import Any

import pytest
from django.contrib.auth.models import User

from dearly.conftest import browser_login, make_contact
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, Journey
from dearly.journeys.tests.helpers import grant_marketing, make_template

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page: Any, name: str) -> None:
    """Screenshots for people reviewing the pages: DEARLY_SHOTS=/tmp/shots."""
    folder = os.environ.get("DEARLY_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=f"{folder}/journeys-{name}.png", full_page=True)


def test_the_owner_builds_a_journey_sees_it_listed_and_rehearses_it(page: Any, owner: User) -> None:
    template = make_template("Welcome")
    grace = make_contact(first_name="Grace", last_name="Hopper", email="grace@example.com")
    grant_marketing(grace)
    make_contact(first_name="Alan", last_name="Turing", email="alan@example.com")

    browser_login(page, owner)
    page.get_by_role("navigation").get_by_role("link", name="Journeys", exact=True).click()
    page.wait_for_url("**/journeys/")
    page.get_by_role("button", name="New journey").click()
    page.get_by_label("Name", exact=True).fill("Welcome series")
    page.get_by_label("Starts when").select_option("event")
    page.get_by_label("Event name").fill("signup")  # drawn by htmx once the trigger changed

    # Start from an empty list: remove the two suggested steps, then add ours.
    page.get_by_role("button", name="Remove step 2").click()
    page.wait_for_selector("#row-1", state="detached")  # each button redraws the form
    page.get_by_role("button", name="Remove step 1").click()
    page.wait_for_selector("#row-0", state="detached")
    page.get_by_label("Kind of step to add").select_option("wait")
    page.get_by_role("button", name="Add step").click()
    page.locator("#s0-days").fill("1")
    page.get_by_label("Kind of step to add").select_option("send")
    page.get_by_role("button", name="Add step").click()
    page.wait_for_selector("#row-1")
    page.locator("#s1-template_id").select_option(str(template.pk))
    page.locator("#s1-value").select_option("free_resource")
    shot(page, "builder")
    page.get_by_role("button", name="Create journey").click()

    page.wait_for_url("**/journeys/*-*/")
    assert "Wait 1 day" in page.locator("#flow").inner_text()
    assert "Send “Welcome” (a free resource)" in page.locator("#flow").inner_text()
    journey = Journey.objects.get()
    assert journey.version is not None and len(journey.version.definition["steps"]) == 2

    page.get_by_role("link", name="← Journeys").click()
    row = page.get_by_role("row", name="Welcome series")
    assert "When the “signup” event is reported" in row.inner_text()
    row.get_by_role("link", name="Welcome series").click()

    page.get_by_label("Find a contact").fill("hopper")
    page.wait_for_function(
        "() => document.querySelector('#rehearse-contact').options.length === 1"
        " && document.querySelector('#rehearse-contact').options[0].text.includes('Grace')"
    )
    page.get_by_role("button", name="Show the path").click()
    result = page.locator("#rehearsal-result")
    result.get_by_text("would send “Welcome” by email").wait_for()
    assert "Grace Hopper\u2019s path" in result.inner_text()
    assert "Step 1: Wait 1 day" in result.inner_text()
    shot(page, "rehearsal")
    assert not Enrollment.objects.exists() and not OutboxMessage.objects.exists()
