import datetime as dt
import os
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.conftest import browser_login, make_contact
from dearly.contacts.models import Contact
from dearly.rhythms.fill import fill_rhythm
from dearly.rhythms.snapshot import refresh
from dearly.rhythms.tests.helpers import make_rhythm, make_template

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page: Any, name: str) -> None:
    """Screenshots for people reviewing the pages: DEARLY_SHOTS=/tmp/shots."""
    folder = os.environ.get("DEARLY_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=f"{folder}/rhythms-{name}.png", full_page=True)


def test_the_owner_sees_who_is_overdue_by_how_much_and_why_they_were_not_reached(
    page: Any, owner: User, north: Branch
) -> None:
    now = timezone.now()
    contact = make_contact(
        lifecycle_stage="customer", branch=north, first_name="Grace", email="grace@example.com"
    )
    Contact.objects.filter(pk=contact.pk).update(
        lifecycle_changed_at=now - dt.timedelta(days=90),
        last_touch_at=now - dt.timedelta(days=30, hours=1),
    )
    rhythm = make_rhythm(name="Customers fortnightly", phases=[{"every_days": 14}])
    fill_rhythm(rhythm, now=now)  # Grace never consented: a conflict, nothing queued
    refresh(now)

    browser_login(page, owner)
    page.get_by_role("navigation").get_by_role("link", name="Overdue", exact=True).click()
    page.wait_for_url("**/rhythms/overdue/")
    row = page.get_by_role("row", name="Grace Lovelace")
    assert row.get_by_role("cell").nth(3).inner_text() == "16"
    assert "no consent on email for marketing" in row.inner_text()
    assert "1 overdue" in page.locator(".overdue-summary").inner_text()
    shot(page, "overdue")
    row.get_by_role("link", name="Log a call").click()
    page.wait_for_url(f"**/contacts/{contact.public_id}/?log=call#log-touch")
    assert page.locator("#log-touch").is_visible()


def test_the_owner_sets_a_rhythm_with_three_phases(page: Any, owner: User) -> None:
    make_template("What is new since you left")
    browser_login(page, owner)
    page.goto("/rhythms/")
    page.get_by_role("button", name="New rhythm").click()
    page.get_by_label("Name").fill("Former customers")
    page.get_by_label("Lifecycle stage").select_option("former")
    page.get_by_role("button", name="Add a phase").click()
    page.get_by_label("Every how many days (phase 2)").fill("60")
    page.get_by_label("For how many days (phase 2)").fill("180")
    page.get_by_label("Every how many days (phase 3)").fill("120")
    page.get_by_label("What is new since you left").check()
    shot(page, "editor")
    page.get_by_role("button", name="Save rhythm").click()
    page.wait_for_url("**/rhythms/")
    row = page.get_by_role("row", name="Former customers")
    assert "every 30 days for 180 days, then every 60 days for 180 days, then every 120 days" in (
        row.inner_text()
    )
