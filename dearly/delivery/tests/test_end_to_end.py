"""From the outbox to a real SMTP server on loopback: claim, policy, render, MIME, send, record."""

import datetime as dt
import email
from email import policy
from typing import Any

import pytest
import time_machine

from dearly.contacts.models import Contact
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.helpers import ACTOR, consenting
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker
from dearly.messaging.services import Draft, create_template

pytestmark = pytest.mark.django_db
TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
HTML = (
    "<p>Hello {{ contact.first_name }},</p>"
    "<p>Our winter pruning guide is free this week: <a href='https://greenleaf.example/guide'>"
    "read it</a>.</p>"
    "<p><a href='{{ links.unsubscribe_url }}'>Unsubscribe</a> · "
    "<a href='{{ links.preferences_url }}'>Preferences</a></p>"
    "<p>{{ business.postal_address }}</p>"
)


def body(mail: Any, kind: str) -> str:
    part = mail.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return str(part.get_content())


def template_version() -> int:
    version = create_template(
        actor=ACTOR,
        name="Winter guide",
        draft=Draft(
            subject="{{ contact.first_name }}, your pruning guide",
            html_source=HTML,
            fallbacks={"contact.first_name": "Friend"},
        ),
    )
    return version.pk


def launch(version_id: int, at: dt.datetime = TUESDAY_10) -> int:
    return enqueue_audience(
        Contact.objects.all(),
        origin_type="campaign",
        origin_id=1,
        purpose="promotional",
        consent_purpose="newsletter",
        template_version_id=version_id,
        not_before=at,
    )


@pytest.fixture
def server(settings):
    handler = ScriptedHandler()
    with smtp_server(handler) as controller:
        settings.MAIL_CATCHER = False
        settings.EMAIL_URL = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        settings.FROM_EMAIL = "hello@greenleaf.example"
        yield handler


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_queued_campaign_arrives_personalised_with_the_right_headers(server):
    consenting("ada@example.com", first_name="Ada")
    consenting("zoe@example.com", first_name="Zoë")
    consenting("refuse-me@example.com", first_name="Rex")
    assert launch(template_version()) == 3
    worker = Worker(compose=compose, transport=get_transport, name="e2e")
    assert worker.run_once(now=TUESDAY_10) == 3
    received = {
        r.rcpt_tos[0]: email.message_from_bytes(r.content, policy=policy.default)
        for r in server.received
    }
    assert set(received) == {"ada@example.com", "zoe@example.com"}
    zoe = received["zoe@example.com"]
    assert str(zoe["Subject"]) == "Zoë, your pruning guide"
    assert "Hello Zoë" in body(zoe, "html")
    assert "Hello Zoë" in body(zoe, "plain")
    row = OutboxMessage.objects.get(to_address="zoe@example.com")
    assert zoe["Message-ID"] == f"<{row.public_id}@greenleaf.example>"
    assert row.status == "sent"
    assert OutboxMessage.objects.get(to_address="refuse-me@example.com").status == "failed"


@time_machine.travel(TUESDAY_10, tick=False)
def test_marketing_mail_carries_one_click_unsubscribe_that_holds_the_next_send(server, client):
    consenting("ada@example.com", first_name="Ada")
    version = template_version()
    launch(version)
    an_hour_later = TUESDAY_10 + dt.timedelta(hours=1)
    launch(version, at=an_hour_later)  # already queued when the person unsubscribes
    Worker(compose=compose, transport=get_transport).run_once(now=TUESDAY_10)
    [received] = server.received
    mail = email.message_from_bytes(received.content, policy=policy.default)
    https, mailto = (part.strip(" <>") for part in str(mail["List-Unsubscribe"]).split(","))
    assert mailto.startswith("mailto:unsubscribe+")
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    html = body(mail, "html")
    assert "https://greenleaf.example/guide" not in html  # the link is tracked …
    assert "/t/c/" in html and "/t/o/" in html  # … and an open pixel is added
    path = https.removeprefix("http://127.0.0.1:8000")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    # The very next send is held, though no worker ran between the click and the send.
    assert Worker(compose=compose, transport=get_transport).run_once(now=an_hour_later) == 0
    held = OutboxMessage.objects.get(status="held")
    assert held.hold_reason in {"suppressed", "no_consent"}
    assert len(server.received) == 1


def test_service_mail_has_no_unsubscribe_headers_or_tracking(server):
    consenting("ada@example.com", first_name="Ada")
    enqueue_audience(
        Contact.objects.all(),
        origin_type="api",
        origin_id=None,  # type: ignore[arg-type]
        purpose="service",
        consent_purpose="",
        template_version_id=template_version(),
    )
    Worker(compose=compose, transport=get_transport).run_once()
    [received] = server.received
    mail = email.message_from_bytes(received.content, policy=policy.default)
    assert mail["List-Unsubscribe"] is None
    assert "/t/o/" not in body(mail, "html")


def test_a_from_address_with_a_display_name_is_used_as_written(server, settings):
    settings.FROM_EMAIL = "Café Bleu <hello@cafe.example>"
    consenting("ada@example.com", first_name="Ada")
    enqueue_audience(
        Contact.objects.all(),
        origin_type="api",
        origin_id=1,
        purpose="service",
        consent_purpose="",
        template_version_id=template_version(),
    )
    Worker(compose=compose, transport=get_transport).run_once()
    [received] = server.received
    mail = email.message_from_bytes(received.content, policy=policy.default)
    assert received.mail_from == "hello@cafe.example"
    assert mail["From"].addresses[0].display_name == "Café Bleu"
    assert str(mail["Message-ID"]).endswith("@cafe.example>")
