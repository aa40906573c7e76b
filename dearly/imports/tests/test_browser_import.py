import os

import pytest

from dearly.conftest import browser_login, make_contact
from dearly.contacts.models import Contact
from dearly.imports.tests.helpers import HEADER, write

SHOTS = os.environ.get("DEARLY_SHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/import-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_owner_uploads_maps_previews_runs_and_downloads_the_error_report(page, owner, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "Ada,Lovelace,ada@example.com,07400 123456,1985-12-10\n"
        + "Bo,Bad,not-an-email,,\n"
        + "Grace,Hopper,grace@example.com,,31/02/1990\n"
        + "Alan,Turing,alan@example.com,,\n",
    )
    browser_login(page, owner)
    page.goto("/import/")
    shot(page, "upload")
    page.get_by_label("CSV or Excel").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("button", name="Preview").click()
    problem = page.get_by_text("Email: not a valid email address")
    problem.wait_for()
    shot(page, "preview")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        box = problem.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        assert page.get_by_role("columnheader", name="First name").first.is_visible()
        wide = page.evaluate("document.querySelector('#preview').scrollWidth")
        assert wide <= width, f"the preview is {wide}px wide at {width}px"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Import finished.").wait_for()
    shot(page, "done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    report = download.value.path().read_text()
    assert "3,Email,not-an-email" in report and "4,Birthday" in report
    assert Contact.objects.count() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_recognised_export_maps_and_previews_without_sideways_scrolling(page, owner, tmp_path):
    from dearly.imports.tests.test_formats import SHOPIFY, export

    make_contact(email="ada@example.com", first_name="Ada")
    rows = [
        {"Email": "ada@example.com", "Accepts Email Marketing": "yes", "Tags": "VIP"},
        {"First Name": "Bo", "Email": "not-an-email", "Default Address City": "Leeds"},
    ]
    path = write(tmp_path, export(SHOPIFY, *rows), "customers_export.csv")
    browser_login(page, owner)
    page.goto("/import/")
    page.get_by_label("CSV or Excel").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_text("Recognised as a Shopify customers export").wait_for()
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Tags: (empty) → VIP").wait_for()
    page.get_by_text("Consent: (none) → email marketing granted").wait_for()
    shot(page, "recognised")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for selector in ("#import-form", "#preview"):
            wide = page.evaluate(f"document.querySelector('{selector}').scrollWidth")
            assert wide <= width, f"{selector} is {wide}px wide at {width}px"
    page.get_by_label("Make these changes").check()
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Import finished.").wait_for()
    ada = Contact.objects.get(email="ada@example.com")
    assert list(ada.tags.values_list("name", flat=True)) == ["VIP"]
    assert ada.consents.get(channel="email").status == "granted"
