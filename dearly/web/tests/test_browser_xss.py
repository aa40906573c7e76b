"""Hostile text stored in every field a member can fill in is shown as text, never run.

Each payload would open a dialog if it ran; a Content-Security-Policy violation (an inline
script the page refused) counts as a failure too. Every page is also checked to show the
payload as text, so a page that stopped showing the field cannot pass by accident.
"""

from typing import Any

import pytest

from dearly.audiences.rules import empty_tree
from dearly.audiences.services import create_segment
from dearly.branches.services import create_branch
from dearly.campaigns.services import Details, create_campaign
from dearly.conftest import browser_login, make_contact
from dearly.contacts.field_definitions import create_custom_field
from dearly.contacts.services import set_custom_fields
from dearly.core.actor import Actor
from dearly.journeys.tests.helpers import make_journey, make_template, send_step
from dearly.messaging.services import Draft, create_template
from dearly.touches.services import create_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ACTOR = Actor.system("tests")
MARK = "onerror=alert(1)"
PAYLOAD = "<img src=x onerror=alert(1)>\"'><svg onload=alert(2)><script>alert(3)</script>"
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def hostile_data() -> dict[str, Any]:
    branch = create_branch(
        actor=ACTOR,
        values={
            "name": PAYLOAD[:60],
            "town": PAYLOAD,
            "country": "GB",
            "time_zone": "Europe/London",
        },
    )
    create_custom_field(actor=ACTOR, key="mood", label=PAYLOAD, field_type="text", choices=[])
    contact = make_contact(
        first_name=PAYLOAD,
        last_name=PAYLOAD,
        notes=PAYLOAD,
        town=PAYLOAD,
        tags=(PAYLOAD[:50],),
        branch=branch,
    )
    set_custom_fields(actor=ACTOR, contact=contact, values={"mood": PAYLOAD})
    template = create_template(
        actor=ACTOR,
        name=PAYLOAD,
        draft=Draft(subject=PAYLOAD, html_source="<p>Hi</p>", preheader=PAYLOAD),
    ).template
    segment = create_segment(actor=ACTOR, name=PAYLOAD, rules=empty_tree(), description=PAYLOAD)
    campaign = create_campaign(
        actor=ACTOR,
        details=Details(
            name=PAYLOAD,
            template=template,
            purpose="informational",
            consent_purpose="marketing",
            value="useful_information",
            segment=segment,
        ),
    )
    journey = make_journey([send_step(make_template("Welcome"))], name=PAYLOAD)
    create_task(contact=contact, kind="call", title=PAYLOAD, note=PAYLOAD)
    return {
        "contact": contact,
        "template": template,
        "campaign": campaign,
        "journey": journey,
        "branch": branch,
    }


def pages(made: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/contacts/",
        f"/contacts/{made['contact'].public_id}/",
        f"/contacts/{made['contact'].public_id}/edit",
        "/tasks/",
        "/templates/",
        f"/templates/{made['template'].public_id}/",
        "/segments/",
        "/campaigns/",
        f"/campaigns/{made['campaign'].public_id}/",
        f"/campaigns/{made['campaign'].public_id}/edit",
        "/journeys/",
        f"/journeys/{made['journey'].public_id}/",
        "/manage/branches/",
        "/manage/fields/",
        "/manage/audit/",
    ]


def test_hostile_text_in_every_stored_field_never_runs(page, owner):
    made = hostile_data()
    at = [""]
    dialogs: list[tuple[str, str]] = []
    refused: list[str] = []  # CSP refusals the browser reports on the console

    def on_dialog(dialog: Any) -> None:
        dialogs.append((at[0], dialog.message))
        dialog.dismiss()

    def on_console(msg: Any) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            refused.append(f"{at[0]}: {msg.text}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.add_init_script(WATCH_CSP)
    browser_login(page, owner)
    shown_as_text = []
    for path in pages(made):
        at[0] = path
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
        if MARK in page.locator("body").inner_text():
            shown_as_text.append(path)
    assert dialogs == []
    assert refused == []
    assert shown_as_text == pages(made), shown_as_text
