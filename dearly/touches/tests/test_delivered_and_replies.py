"""Messages become touches where they happen: the worker's send and a recorded reply."""

import datetime as dt

import pytest
import time_machine

from dearly.contacts.models import Contact
from dearly.delivery.compose import compose
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.helpers import ACTOR, consenting, queue
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker
from dearly.messaging.services import Draft, create_template
from dearly.touches.models import Touch
from dearly.tracking.models import EventKind, MessageEvent
from dearly.tracking.services import record_event, sent_message

pytestmark = pytest.mark.django_db
TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def server(settings):
    handler = ScriptedHandler()
    with smtp_server(handler) as controller:
        settings.MAIL_CATCHER = False
        settings.EMAIL_URL = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        settings.FROM_EMAIL = "hello@greenleaf.example"
        yield handler


def version_id() -> int:
    draft = Draft(subject="Hello", html_source="<p>Hello, our winter menu is here.</p>")
    return create_template(actor=ACTOR, name="Hello", draft=draft).pk


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_message_the_worker_sends_is_exactly_one_touch(server):
    ada = consenting("ada@example.com", first_name="Ada")
    consenting("refuse-me@example.com", first_name="Rex")  # the SMTP server refuses it
    enqueue_audience(
        Contact.objects.all(),
        origin_type="campaign",
        origin_id=7,
        purpose="promotional",
        consent_purpose="newsletter",
        template_version_id=version_id(),
        not_before=TUESDAY_10,
    )
    worker = Worker(compose=compose, transport=get_transport, name="touches")
    assert worker.run_once(now=TUESDAY_10) == 2
    assert worker.run_once(now=TUESDAY_10 + dt.timedelta(minutes=5)) == 0
    assert [tuple(r.rcpt_tos) for r in server.received] == [("ada@example.com",)]
    [touch] = Touch.objects.all()
    assert (touch.contact, touch.kind, touch.channel, touch.direction) == (
        ada,
        "message",
        "email",
        "out",
    )
    assert (touch.origin_type, touch.origin_id, touch.occurred_at) == ("campaign", 7, TUESDAY_10)
    ada.refresh_from_db()
    assert ada.last_touch_at == TUESDAY_10


def test_a_reply_is_an_inbound_touch_recorded_once(north):
    ada = consenting("ada@example.com", branch=north)
    message = queue(ada, origin_id=4)
    sent = sent_message(pk=message.pk)
    assert sent is not None
    replied_at = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    for _ in range(2):  # the provider reports it twice
        record_event(
            sent, kind=EventKind.REPLIED, occurred_at=replied_at, provider="x", event_key="x:r1"
        )
    assert MessageEvent.objects.filter(kind=EventKind.REPLIED).count() == 1
    [touch] = Touch.objects.all()
    assert (touch.kind, touch.direction, touch.channel, touch.real) == (
        "reply",
        "in",
        "email",
        True,
    )
    assert (touch.origin_type, touch.origin_id, touch.branch) == ("test", 4, north)
    ada.refresh_from_db()
    assert ada.last_touch_at == replied_at


def test_other_events_are_not_touches():
    ada = consenting("ada@example.com")
    sent = sent_message(pk=queue(ada).pk)
    assert sent is not None
    now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    for kind in (EventKind.OPENED, EventKind.CLICKED, EventKind.DELIVERED):
        record_event(sent, kind=kind, occurred_at=now, provider="x", event_key=f"x:{kind}")
    assert not Touch.objects.exists()
