import os
import re

import pytest

from dearly.conftest import browser_login, make_contact
from dearly.core.models import Business

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HTML = """<html><head><style>p { color: #1d6b40; }</style></head><body>
<p>Hi {{ contact.first_name | default("there") }}, the new menu is out.</p>
<p><a href="{{ links.unsubscribe_url }}">Unsubscribe</a> · {{ business.postal_address }}</p>
</body></html>"""


def shot(page, name):
    """Screenshots for people reviewing the pages: DEARLY_SHOTS=/tmp/shots."""
    folder = os.environ.get("DEARLY_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=f"{folder}/templates-{name}.png", full_page=True)


def test_write_preview_as_a_contact_save_and_edit_a_template(page, owner, north):
    Business.objects.create(pk=1, name="Corner Café", postal_address="1 High Street, Leeds")
    make_contact(first_name="Grace", last_name="Hopper", email="grace@corner.cafe", branch=north)
    make_contact(first_name="Ada", last_name="Lovelace", email="ada@corner.cafe", branch=north)
    browser_login(page, owner)
    page.goto("/templates/")
    shot(page, "empty-list")
    page.get_by_role("button", name="New template").click()
    page.wait_for_url("**/templates/new")
    shot(page, "starter")

    page.get_by_role("textbox", name="Name", exact=True).fill("Spring menu")
    page.get_by_label("Subject", exact=True).fill(
        "Our spring menu is here, with something new for everyone to try"
    )
    page.get_by_label("HTML", exact=True).fill(HTML)
    page.get_by_label("Preview as").fill("Grace")
    frame = page.frame_locator("iframe.preview-frame")
    frame.get_by_text("Hi Grace, the new menu is out.").wait_for()
    assert page.locator("#preview-contact").input_value() != ""
    assert page.locator("iframe.preview-frame").get_attribute("sandbox") == ""
    checks = page.locator(".checks")
    assert checks.get_by_text(re.compile(r"The subject is \d+ characters")).is_visible()
    shot(page, "preview")

    page.get_by_role("button", name="Save version 1").click()
    page.get_by_role("status").get_by_text("Version 1 saved.").wait_for()
    page.get_by_label("Subject", exact=True).fill("Spring menu: something new")
    page.get_by_role("button", name="Save version 2").click()
    page.get_by_role("status").get_by_text("Version 2 saved.").wait_for()
    assert page.get_by_role("button", name="Save version 3").is_visible()

    page.get_by_role("link", name="Version history").click()
    history = page.locator("table.versions")
    history.get_by_role("link", name="Version 2").wait_for()
    assert history.get_by_text("Spring menu: something new").is_visible()
    shot(page, "history")
    history.get_by_role("link", name="Version 1").click()
    page.get_by_role("heading", name="Spring menu: version 1").wait_for()
    shot(page, "version")
