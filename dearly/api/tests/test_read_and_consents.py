import json
import uuid

import pytest

from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent, Suppression
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor

pytestmark = pytest.mark.django_db


def post_consent(api, contact_id, body):
    return api.post(
        f"/api/v1/contacts/{contact_id}/consents", json.dumps(body), content_type="application/json"
    )


def test_a_contact_is_read_with_its_tags_branch_and_consents(api, north):
    contact = make_contact(email="ada@example.com", branch=north, tags=("vip", "glasses"))
    record_consent(
        actor=Actor.system("tests"),
        contact=contact,
        channel="email",
        purpose="marketing",
        action="grant",
        evidence=Evidence(method="paper_form"),
    )
    body = api.get(f"/api/v1/contacts/{contact.public_id}").json()
    assert body["id"] == str(contact.public_id)
    assert body["tags"] == ["glasses", "vip"]
    assert body["branch"]["name"] == "North"
    assert [(c["channel"], c["purpose"], c["status"]) for c in body["consents"]] == [
        ("email", "marketing", "granted")
    ]


@pytest.mark.parametrize("contact_id", [uuid.uuid4(), "not-a-uuid", "12"])
def test_an_unknown_or_malformed_id_is_a_json_404(api, contact_id):
    make_contact(email="ada@example.com")
    response = api.get(f"/api/v1/contacts/{contact_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": [{"field": None, "message": "no contact with this id"}]}


def test_a_grant_is_recorded_and_the_ledger_entry_returned(api):
    contact = make_contact(email="ada@example.com")
    body = {"channel": "email", "purpose": "surveys", "action": "grant", "note": "Said yes by chat"}
    response = post_consent(api, contact.public_id, body)
    assert response.status_code == 201
    entry = response.json()
    event = ConsentEvent.objects.get()
    assert entry["id"] == str(event.public_id)
    assert entry["contact_id"] == str(contact.public_id)
    assert (entry["source"], entry["method"], entry["note"]) == ("api", "api", "Said yes by chat")


def test_a_withdrawal_through_the_api_suppresses_the_address(api):
    contact = make_contact(email="ada@example.com")
    body = {"channel": "email", "purpose": "marketing", "action": "withdraw"}
    assert post_consent(api, contact.public_id, body).status_code == 201
    assert Suppression.objects.filter(reason="unsubscribed").exists()
    grant = {**body, "action": "grant", "method": "web_form", "wording": "Yes"}
    response = post_consent(api, contact.public_id, grant)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "channel"
    assert ConsentEvent.objects.count() == 1


def test_a_grant_needs_evidence(api):
    contact = make_contact(email="ada@example.com")
    body = {"channel": "email", "purpose": "marketing", "action": "grant"}
    response = post_consent(api, contact.public_id, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "wording"
    assert not ConsentEvent.objects.exists()


def test_a_grant_for_a_channel_the_contact_cannot_receive_is_refused(api):
    contact = make_contact(email="ada@example.com")
    body = {"channel": "sms", "purpose": "marketing", "action": "grant", "note": "Asked in shop"}
    response = post_consent(api, contact.public_id, body)
    assert response.status_code == 422
    assert "no phone" in response.json()["detail"][0]["message"]


def test_a_consent_dated_in_the_future_is_refused(api):
    contact = make_contact(email="ada@example.com")
    body = {
        "channel": "email",
        "purpose": "marketing",
        "action": "grant",
        "note": "Signed up",
        "occurred_at": "2999-01-01T00:00:00Z",
    }
    response = post_consent(api, contact.public_id, body)
    assert response.json()["detail"] == [{"field": "occurred_at", "message": "is in the future"}]


def test_a_consent_for_an_unknown_contact_is_a_404(api):
    body = {"channel": "email", "purpose": "marketing", "action": "withdraw"}
    assert post_consent(api, uuid.uuid4(), body).status_code == 404
