"""A NUL byte, another control character or a lone surrogate anywhere in a request is refused
with 422 naming the field, and nothing is written; on SQLite and PostgreSQL alike."""

import json

import orjson
import pytest

from dearly.api.tests.conftest import put_contact
from dearly.api.tests.helpers import errors_of, post
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.conversions.models import ContactEvent
from dearly.core.models import AuditEvent
from dearly.messaging.models import EmailTemplate

pytestmark = pytest.mark.django_db

NUL, SURROGATE, ESCAPE = "a\x00b", "\ud800", "a\x1bb"
TEMPLATE = {"name": "Booking", "subject": "Booked", "html": "<p>Hi</p>"}
EVENT = {"event_id": "order-1", "name": "purchase", "contact": {"email": "ada@example.com"}}


def counts():
    return (
        Contact.objects.count(),
        EmailTemplate.objects.count(),
        ContactEvent.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("bad", [NUL, SURROGATE, ESCAPE], ids=["nul", "surrogate", "escape"])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/contacts", {"email": "new@example.com", "first_name": "?"}, "first_name"),
        ("/api/v1/contacts", {"email": "new@example.com", "notes": "?"}, "notes"),
        ("/api/v1/contacts", {"email": "new@example.com", "tags": ["vip", "?"]}, "tags.1"),
        ("/api/v1/templates", {**TEMPLATE, "name": "?"}, "name"),
        ("/api/v1/templates", {**TEMPLATE, "subject": "?"}, "subject"),
        (
            "/api/v1/templates",
            {**TEMPLATE, "fallbacks": {"contact.town": "?"}},
            "fallbacks.contact.town",
        ),
        ("/api/v1/events", {**EVENT, "event_id": "?"}, "event_id"),
        (
            "/api/v1/events",
            {**EVENT, "properties": {"gift": {"note": "?"}}},
            "properties.gift.note",
        ),
    ],
    ids=["first-name", "notes", "tag", "template-name", "subject", "fallback", "event-id", "prop"],
)
def test_a_string_that_cannot_be_stored_is_refused_naming_the_field(api, path, body, field, bad):
    make_contact(email="ada@example.com")
    before = counts()
    sent = json.loads(json.dumps(body).replace('"?"', json.dumps(bad)))
    method = api.put if path == "/api/v1/contacts" else api.post
    response = method(path, json.dumps(sent), content_type="application/json")
    errors = errors_of(response)
    assert list(errors) == [field], errors
    assert counts() == before


def test_the_error_says_what_is_wrong_in_words(api):
    nul = errors_of(put_contact(api, {"email": "a@example.com", "first_name": NUL}))
    surrogate = errors_of(put_contact(api, {"email": "a@example.com", "first_name": SURROGATE}))
    assert nul == {"first_name": "has an invisible control character (U+0000); remove it"}
    assert surrogate == {"first_name": "is not valid Unicode text (a broken character, U+D800)"}


def test_a_key_that_cannot_be_stored_is_refused_too(api):
    make_contact(email="ada@example.com")
    response = post(api, "/api/v1/events", {**EVENT, "properties": {"a\x00": 1}})
    assert errors_of(response) == {
        "properties": "has a key that has an invisible control character (U+0000); remove it"
    }


def test_bytes_that_are_not_utf8_are_refused_naming_the_field(api):
    body = b'{"email": "a@example.com", "first_name": "Ad\xffa"}'
    response = api.put("/api/v1/contacts", body, content_type="application/json")
    assert list(errors_of(response)) == ["first_name"]
    assert not Contact.objects.exists()


def test_line_breaks_and_tabs_are_kept_in_text_that_may_span_lines(api):
    response = put_contact(api, {"email": "a@example.com", "notes": "Line 1\r\n\tLine 2"})
    assert response.status_code == 201, response.content
    assert Contact.objects.get().notes == "Line 1\r\n\tLine 2"


@pytest.mark.parametrize("query", ["q=%00", "q=a%1Fb", "email=%00", "tag=vip%0A"])
def test_a_query_string_that_cannot_be_stored_is_refused_naming_the_parameter(api, query):
    response = api.get(f"/api/v1/contacts?{query}")
    assert list(errors_of(response)) == [query.split("=")[0]]


def test_a_path_parameter_with_a_nul_is_refused(api):
    assert list(errors_of(api.get("/api/v1/contacts/%00"))) == ["contact_id"]


def test_a_header_parameter_with_a_control_character_is_refused(api, raw_key):
    response = api.post(
        "/api/v1/messages",
        json.dumps({"contact": {"email": "a@example.com"}, "template": "0" * 32}),
        content_type="application/json",
        headers={"Idempotency-Key": "order\x011"},
    )
    assert list(errors_of(response)) == ["idempotency_key"]


def test_orjson_would_refuse_a_lone_surrogate_without_naming_a_field():
    """Why the body is read with json: orjson fails the whole body, json yields the string."""
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(b'{"first_name": "\\ud800"}')
    assert json.loads(b'{"first_name": "\\ud800"}') == {"first_name": SURROGATE}


def test_an_unauthenticated_request_is_still_told_to_send_a_key_first(client):
    response = put_contact(client, {"email": "a@example.com", "first_name": NUL})
    assert response.status_code == 401
