import pytest
from django.test import Client

from dearly.api.tests.conftest import bearer_client, put_contact
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key, revoke_api_key
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"][0]["message"].startswith("send a valid API key")


def test_a_call_without_a_key_gets_401_json():
    assert_unauthorized(Client().get("/api/v1/contacts"))


def test_a_wrong_key_gets_401(raw_key):
    assert_unauthorized(bearer_client(raw_key[:-2] + "xx").get("/api/v1/contacts"))
    assert_unauthorized(bearer_client("not-even-a-key").get("/api/v1/contacts"))


def test_a_revoked_key_gets_401():
    key, raw = create_api_key(actor=Actor.system("tests"), name="Old shop")
    assert bearer_client(raw).get("/api/v1/contacts").status_code == 200
    revoke_api_key(actor=Actor.system("tests"), key=key)
    assert_unauthorized(bearer_client(raw).get("/api/v1/contacts"))


def test_a_key_sent_another_way_than_bearer_gets_401(raw_key):
    client = Client(headers={"Authorization": f"Token {raw_key}"})
    assert_unauthorized(client.get("/api/v1/contacts"))


def test_bearer_calls_need_no_csrf_token(raw_key):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw_key}"})
    assert put_contact(client, {"email": "ada@example.com"}).status_code == 201


def test_writes_are_audited_as_the_api_key(api):
    put_contact(api, {"email": "ada@example.com"})
    event = AuditEvent.objects.get(action="contact.created")
    assert (event.source, event.actor_label) == ("api", "api key Shop")


def test_the_schema_and_docs_are_public():
    client = Client()
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Dearly API"
    assert client.get("/api/v1/docs").status_code == 200
