"""A transactional send through the API, delivered by the worker to a real SMTP server."""

import datetime as dt
import email
from email import policy
from typing import Any

import pytest
import time_machine

from dearly.api.tests.helpers import post
from dearly.campaigns.tests.helpers import ACTOR, template
from dearly.conftest import make_contact
from dearly.contacts.services import Evidence, record_consent
from dearly.contacts.suppression import suppress
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_one
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker

pytestmark = pytest.mark.django_db
# A Sunday night: outside every marketing window, which service mail does not wait for.
SUNDAY_23 = dt.datetime(2026, 11, 29, 23, 0, tzinfo=dt.UTC)
RECEIPT = (
    "<p>Thanks {{ contact.first_name }}, your order is on its way.</p>"
    "<p><a href='https://cornercafe.test/orders'>Your orders</a></p>"
)


@pytest.fixture
def server(settings):
    handler = ScriptedHandler()
    with smtp_server(handler) as controller:
        settings.MAIL_CATCHER = False
        settings.EMAIL_URL = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        settings.FROM_EMAIL = "hello@cornercafe.test"
        yield handler


@pytest.fixture(autouse=True)
def _sunday_night():
    with time_machine.travel(SUNDAY_23, tick=False):
        yield


@pytest.fixture
def send(api: Any) -> Any:
    version = template(
        RECEIPT, name="Order shipped", subject="Your order, {{ contact.first_name }}"
    )

    def send(address: str, key: str, status: int = 202) -> dict[str, Any]:
        body = {"contact": {"email": address}, "template": str(version.template.public_id)}
        response = post(api, "/api/v1/messages", body, **{"Idempotency-Key": key})
        assert response.status_code == status, response.content
        return dict(response.json())

    return send


def run_worker() -> int:
    return Worker(compose=compose, transport=get_transport, name="e2e").run_once(now=SUNDAY_23)


def status_of(api: Any, message_id: str) -> dict[str, Any]:
    return api.get(f"/api/v1/messages/{message_id}").json()


def test_a_transactional_send_arrives_without_marketing_consent_or_unsubscribe(api, server, send):
    make_contact(email="zoe@example.com", first_name="Zoë")  # no consent of any kind
    sent = send("zoe@example.com", key="order-1001")
    assert run_worker() == 1
    [received] = server.received
    mail = email.message_from_bytes(received.content, policy=policy.default)
    assert received.rcpt_tos == ("zoe@example.com",)
    assert str(mail["Subject"]) == "Your order, Zoë"
    html = mail.get_body(("html",))
    assert html is not None and "Thanks Zoë" in html.get_content()
    assert mail["List-Unsubscribe"] is None
    assert mail["Message-ID"] == f"<{sent['id']}@cornercafe.test>"
    body = status_of(api, sent["id"])
    assert (body["status"], body["sent_at"]) == ("sent", "2026-11-29T23:00:00Z")
    [attempt] = body["attempts"]
    assert attempt["outcome"] == "sent"
    # A retry of the request after delivery sends nothing more.
    send("zoe@example.com", key="order-1001", status=200)
    assert run_worker() == 0
    assert len(server.received) == 1


def test_service_mail_is_not_counted_against_the_contact_budget(api, server, send):
    ada = make_contact(email="ada@example.com", first_name="Ada")
    record_consent(
        actor=ACTOR,
        contact=ada,
        channel="email",
        purpose="newsletter",
        action="grant",
        evidence=Evidence(method="web_form", wording="Yes please"),
    )
    for _ in range(2):  # this week's marketing budget, already used
        enqueue_one(
            contact=ada, origin_type="campaign", purpose="promotional", template_version_id=1
        )
    OutboxMessage.objects.update(status="sent", sent_at=SUNDAY_23 - dt.timedelta(days=1))
    sent = send("ada@example.com", key="order-1002")
    assert run_worker() == 1
    assert status_of(api, sent["id"])["status"] == "sent"
    assert [r.rcpt_tos for r in server.received] == [("ada@example.com",)]


def test_a_refused_address_fails_and_a_complaint_holds_with_the_reason(api, server, send):
    make_contact(email="refuse-me@example.com", first_name="Rex")
    make_contact(email="cross@example.com", first_name="Cass")
    suppress(kind="email", value="cross@example.com", reason="complaint", source="tests")
    refused = send("refuse-me@example.com", key="order-1003")
    held = send("cross@example.com", key="order-1004")
    run_worker()
    failed = status_of(api, refused["id"])
    assert failed["status"] == "failed"
    assert [a["outcome"] for a in failed["attempts"]] == ["permanent"]
    assert "550" in failed["attempts"][0]["detail"]
    body = status_of(api, held["id"])
    assert (body["status"], body["hold_reason"], body["attempts"]) == ("held", "suppressed", [])
    assert server.received == []
