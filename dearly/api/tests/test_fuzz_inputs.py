"""Property tests of the API's input schemas: whatever JSON arrives, the answer is never a 500,
a refused request writes nothing, and an accepted one stores only readable text.

Each field gets either a plausible value (so the deeper rules run) or any JSON at all,
including text with NUL bytes, other control characters and lone surrogates.
"""

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dearly.api.models import IdempotentRequest
from dearly.api.tests.conftest import bearer_client
from dearly.conftest import make_contact
from dearly.contacts.models import Consent, ConsentEvent, Contact, ContactPoint, Tag
from dearly.conversions.models import ContactEvent
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key
from dearly.core.models import AuditEvent
from dearly.core.text import text_problems
from dearly.delivery.models import OutboxMessage
from dearly.messaging.models import EmailTemplate, TemplateVersion
from dearly.messaging.services import Draft, create_template

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run and every xdist worker
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WRITTEN = [
    Contact,
    ContactPoint,
    Tag,
    Consent,
    ConsentEvent,
    AuditEvent,
    EmailTemplate,
    TemplateVersion,
    ContactEvent,
    OutboxMessage,
    IdempotentRequest,
]

NASTY = st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\x85", "\n", "\u202e"])
TEXT = st.text(st.characters(exclude_categories=()) | NASTY, max_size=12)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def field(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(plausible, plausible, ANY_JSON)


EMAIL = field(st.sampled_from(["ada@example.com", "new@example.com", "x@", "A@EXAMPLE.COM "]))
WHEN = field(st.sampled_from(["2026-12-01T10:00:00Z", "2026-12-01", "2126-01-01T00:00:00+05:45"]))
CONSENT = st.fixed_dictionaries(
    {
        "channel": field(st.sampled_from(["email", "sms", "post"])),
        "purpose": field(st.sampled_from(["newsletter", "marketing", "service"])),
        "action": field(st.sampled_from(["grant", "withdraw"])),
    },
    optional={"method": field(st.sampled_from(["api", "in_person"])), "wording": TEXT},
)
CONTACT = st.fixed_dictionaries(
    {},
    optional={
        "email": EMAIL,
        "phone": field(st.sampled_from(["07400 123456", "+44 20 7946 0958", "12"])),
        "first_name": field(TEXT),
        "notes": field(TEXT),
        "country": field(st.sampled_from(["GB", "gb", "XX"])),
        "time_zone": field(st.sampled_from(["Europe/London", "Mars/Base"])),
        "language": field(st.sampled_from(["en", "fr-CA", "??"])),
        "birthday": field(st.sampled_from(["1990-02-28", "1990-02-30"])),
        "latitude": field(st.floats()),
        "lifecycle_stage": field(st.sampled_from(["lead", "customer", "alien"])),
        "branch": field(TEXT),
        "tags": field(st.lists(TEXT, max_size=3)),
        "consents": field(st.lists(CONSENT, max_size=2)),
    },
)
TEMPLATE = st.fixed_dictionaries(
    {
        "name": field(TEXT),
        "subject": field(st.sampled_from(["Hi {{ contact.first_name }}", "{{", "Hello"]) | TEXT),
        "html": field(st.sampled_from(["<p>Hi</p>", "{% for x in y %}", "{{ 1 // 0 }}"]) | TEXT),
    },
    optional={
        "text": field(TEXT),
        "preheader": field(TEXT),
        "fallbacks": field(st.dictionaries(TEXT, TEXT, max_size=2)),
        "missing_data_policy": field(st.sampled_from(["fallback", "hold"])),
    },
)
EVENT = st.fixed_dictionaries(
    {
        "event_id": field(st.sampled_from(["order-1", "order-2"]) | TEXT),
        "name": field(st.sampled_from(["purchase", "order_delayed", "Bad Name"])),
        "contact": field(st.fixed_dictionaries({}, optional={"email": EMAIL, "id": ANY_JSON})),
    },
    optional={
        "occurred_at": WHEN,
        "value": field(st.sampled_from(["25.00", "-1", "1.234", 10])),
        "currency": field(st.sampled_from(["GBP", "gbp", "XXX"])),
        "properties": field(st.dictionaries(TEXT, ANY_JSON, max_size=3)),
    },
)


@pytest.fixture
def api(db: None) -> Client:
    _, raw = create_api_key(actor=Actor.system("tests"), name="Shop")
    make_contact(email="ada@example.com")
    return bearer_client(raw)


def written() -> list[int]:
    return [model._default_manager.count() for model in WRITTEN]


def send(api: Client, method: str, path: str, body: Any, **headers: str) -> None:
    before = written()
    response = getattr(api, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert written() == before, response.content
    else:
        assert list(text_problems(response.json())) == [], "stored text that cannot be read"


@FUZZ
@given(body=field(CONTACT))
def test_any_contact_upsert_is_answered_and_a_refusal_writes_nothing(api, body):
    send(api, "put", "/api/v1/contacts", body)


@FUZZ
@given(body=field(TEMPLATE))
def test_any_template_is_answered_and_a_refusal_writes_nothing(api, body):
    send(api, "post", "/api/v1/templates", body)


@FUZZ
@given(body=field(EVENT))
def test_any_event_is_answered_and_a_refusal_writes_nothing(api, body):
    send(api, "post", "/api/v1/events", body)


@FUZZ
@given(data=st.data())
def test_any_message_is_answered_and_a_refusal_writes_nothing(api, data):
    draft = Draft(subject="Receipt", html_source="<p>Thanks</p>")
    if not EmailTemplate.objects.exists():
        create_template(actor=Actor.system("tests"), name="Receipt", draft=draft)
    real = str(EmailTemplate.objects.get().public_id)
    body = data.draw(
        field(
            st.fixed_dictionaries(
                {
                    "contact": field(st.fixed_dictionaries({}, optional={"email": EMAIL})),
                    "template": field(st.sampled_from([real, str(uuid.UUID(int=7))])),
                },
                optional={"purpose": field(st.just("service")), "send_at": WHEN},
            )
        )
    )
    key = data.draw(st.sampled_from(["order-1", "order-2", "", "x" * 300]))
    send(api, "post", "/api/v1/messages", body, **({"Idempotency-Key": key} if key else {}))


CONTACT_TEXT = ["first_name", "last_name", "preferred_name", "town", "postcode", "notes", "source"]


@FUZZ
@given(name=st.sampled_from(CONTACT_TEXT), value=TEXT)
def test_any_text_in_a_valid_contact_is_stored_readable_or_refused(api, name, value):
    send(api, "put", "/api/v1/contacts", {"email": "ada@example.com", name: value})


@FUZZ
@given(name=st.sampled_from(["name", "subject", "preheader", "text"]), value=TEXT)
def test_any_text_in_a_valid_template_is_stored_readable_or_refused(api, name, value):
    body = {"name": "Receipt", "subject": "Thanks", "html": "<p>Thanks</p>", name: value}
    send(api, "post", "/api/v1/templates", body)


@FUZZ
@given(key=TEXT, value=TEXT, event_id=TEXT)
def test_any_text_in_a_valid_event_is_stored_readable_or_refused(api, key, value, event_id):
    body = {
        "event_id": event_id or "e",
        "name": "purchase",
        "contact": {"email": "ada@example.com"},
    }
    send(api, "post", "/api/v1/events", {**body, "properties": {key: value}})
