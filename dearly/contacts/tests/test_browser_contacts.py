import re

import pytest

from dearly.conftest import browser_login, make_contact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_searching_the_list_updates_the_results_in_place(page, owner, north):
    make_contact(first_name="Ada", last_name="Lovelace", branch=north)
    make_contact(first_name="Grace", last_name="Hopper", phone="+447911123456", branch=north)
    browser_login(page, owner)
    page.goto("/contacts/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Search", exact=True).fill("07911 123456")
    page.wait_for_url(re.compile(r"q=07911"))
    results = page.locator("#results")
    results.get_by_text("Showing 1\u20131 of").wait_for()
    assert results.get_by_role("link", name="Grace Hopper").is_visible()
    assert results.get_by_role("link", name="Ada Lovelace").count() == 0
    assert page.evaluate("window.notReloaded") is True


def test_recording_a_consent_shows_it_in_the_ledger(page, owner):
    contact = make_contact(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    browser_login(page, owner)
    page.goto("/contacts/")
    page.get_by_role("link", name="Ada Lovelace").click()
    page.wait_for_url(f"**/contacts/{contact.public_id}/")
    page.get_by_text("Record consent or a withdrawal").click()
    form = page.locator("#consent form")
    form.get_by_label("Channel").select_option("email")
    form.get_by_label("Purpose").select_option("newsletter")
    form.get_by_label("How did they tell you?").select_option("paper_form")
    form.get_by_label("Form", exact=True).fill("Till signup card")
    form.get_by_label("What they agreed to").fill("Send me the monthly newsletter")
    form.get_by_role("button", name="Record").click()
    page.get_by_role("status").get_by_text("Recorded: Email · Newsletter granted").wait_for()
    # Keyboard and screen-reader users land on the confirmation, not at the top of the page.
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    ledger = page.locator("table.ledger")
    assert ledger.get_by_text("Send me the monthly newsletter").is_visible()
    assert ledger.get_by_text("Till signup card").is_visible()
    assert page.locator(".consent-grid").get_by_text("✓ Granted").count() == 1


def test_a_consent_without_evidence_is_refused_in_the_page(page, owner):
    contact = make_contact(first_name="Ada", email="ada@example.com")
    browser_login(page, owner)
    page.goto(f"/contacts/{contact.public_id}/")
    page.get_by_text("Record consent or a withdrawal").click()
    form = page.locator("#consent form")
    form.get_by_label("How did they tell you?").select_option("in_person")
    form.get_by_role("button", name="Record").click()
    page.get_by_text("Nothing was recorded").wait_for()
    assert page.get_by_text("write what they agreed to").is_visible()
    assert page.locator("table.ledger").count() == 0


def test_branch_staff_typing_another_branchs_contact_url_see_not_found(page, south_staff, north):
    contact = make_contact(first_name="Nell", branch=north)
    browser_login(page, south_staff)
    response = page.goto(f"/contacts/{contact.public_id}/")
    assert response.status == 404
    assert page.get_by_role("heading", name=re.compile("not found", re.I)).is_visible()
    assert "Nell" not in page.content()
