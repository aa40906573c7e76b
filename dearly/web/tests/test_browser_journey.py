"""The whole journey in Chromium: build a segment, write a template and preview it, launch a
campaign, see the mail in the Mailbox, unsubscribe through its link, and read the report."""

import datetime as dt
import email
import re
from email import policy

import pytest

from dearly.conftest import browser_login, make_contact, nav_to
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.core.models import Business
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import free_port
from dearly.delivery.worker import Worker
from dearly.mailbox import catcher
from dearly.mailbox.models import CaughtMail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HTML = """<html><body>
<p>Hi {{ contact.first_name | default("there") }}, our winter pruning guide is free this week.</p>
<p><a href="https://greenleaf.example/guide">Read the guide</a></p>
<p><a href="{{ links.unsubscribe_url }}">Unsubscribe</a> ·
<a href="{{ links.preferences_url }}">Your preferences</a> · {{ business.postal_address }}</p>
</body></html>"""


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def next_tuesday_ten() -> dt.datetime:
    """A moment inside the promotional window (Tuesday to Thursday, daytime, London)."""
    day = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    day += dt.timedelta(days=1)
    while day.weekday() != 1:
        day += dt.timedelta(days=1)
    return day


def customers() -> None:
    Business.objects.create(pk=1, name="Greenleaf", postal_address="14 Parliament St, Harrogate")
    for first, tags in (("Ada", ("VIP",)), ("Grace", ("VIP",)), ("Alan", ())):
        contact = make_contact(
            first_name=first,
            email=f"{first.lower()}@example.com",
            time_zone="Europe/London",
            tags=tags,
        )
        record_consent(
            actor=Actor.system("tests"),
            contact=contact,
            channel="email",
            purpose="newsletter",
            action="grant",
            evidence=Evidence(method="web_form", wording="Send me the newsletter"),
        )


def build_segment(page) -> None:
    nav_to(page, "Segments")
    page.get_by_role("button", name="New segment").click()
    page.get_by_label("Name").fill("VIPs")
    page.get_by_role("button", name="Add a condition").click()
    settled(page)
    page.get_by_label("Field of condition 1").select_option(label="Tag")
    settled(page)
    page.locator("select#c-rules-0-value").select_option("VIP")
    page.locator('#segment-count[data-count="2"]').wait_for()
    page.get_by_role("button", name="Save segment").click()
    page.wait_for_url("**/segments/")


def write_template(page) -> None:
    nav_to(page, "Templates")
    page.get_by_role("button", name="New template").click()
    page.wait_for_url("**/templates/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Pruning guide")
    page.get_by_label("Subject", exact=True).fill("{{ contact.first_name }}, your pruning guide")
    page.get_by_label("Preheader", exact=True).fill("Free this week only")
    page.get_by_label("HTML", exact=True).fill(HTML)
    page.get_by_label("HTML", exact=True).dispatch_event("change")
    page.wait_for_timeout(300)
    settled(page)
    page.get_by_label("Preview as").fill("Grace")
    page.frame_locator("iframe.preview-frame").get_by_text("Hi Grace, our winter").wait_for()
    settled(page)
    page.get_by_label("When the first name is empty, write").fill("Friend")
    page.get_by_role("button", name="Save version 1").click()
    page.get_by_role("status").get_by_text("Version 1 saved.").wait_for()


def launch_campaign(page) -> None:
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="New campaign").click()
    page.get_by_label("Name").fill("Pruning guide for VIPs")
    page.get_by_label("Segment").select_option(label="VIPs")
    page.get_by_label("Template").select_option(label="Pruning guide")
    page.get_by_label("Promotional").check()
    page.get_by_label("Send to people who agreed to").select_option("newsletter")
    page.get_by_label("A free resource", exact=True).check()
    page.get_by_label("In each recipient's send window").check()
    page.get_by_role("button", name="Create and review").click()
    assert page.locator("#recipient-count").inner_text() == "2"
    page.get_by_role("button", name="Launch to 2 recipients").click()
    page.get_by_role("status").get_by_text("Launched: 2 messages in the outbox.").wait_for()


def test_segment_template_campaign_mailbox_unsubscribe_report(page, owner, settings):
    customers()
    port = free_port()
    mail_catcher = catcher.start(port=port)
    settings.MAIL_CATCHER, settings.MAIL_CATCHER_PORT = True, port
    try:
        browser_login(page, owner)
        build_segment(page)
        write_template(page)
        launch_campaign(page)
        report_url = page.url
        sent = Worker(compose=compose, transport=get_transport).run_once(now=next_tuesday_ten())
        assert sent == 2
    finally:
        mail_catcher.stop()

    nav_to(page, "Mailbox")
    page.get_by_role("link", name="Grace, your pruning guide").click()
    page.frame_locator("iframe.mail-html").get_by_text("Hi Grace, our winter").wait_for()

    caught = CaughtMail.objects.get(rcpt_to__icontains="grace@example.com")
    mail = email.message_from_bytes(bytes(caught.raw), policy=policy.default)
    one_click = re.search(r"<(https?://[^>]+)>", str(mail["List-Unsubscribe"]))
    assert one_click is not None
    page.goto(one_click.group(1).removeprefix(settings.BASE_URL))
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_text(re.compile("unsubscribed", re.IGNORECASE)).first.wait_for()

    page.goto(report_url)
    assert page.locator("#stat-sent").inner_text() == "2"
    assert OutboxMessage.objects.filter(status="sent").count() == 2
    page.locator("#stat-unsubscribed").get_by_text("1").wait_for()
