import pytest

from dearly.api.tests.conftest import put_contact
from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent, Contact
from dearly.contacts.privacy import erase_contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent, Business

pytestmark = pytest.mark.django_db

GRANT = {
    "channel": "email",
    "purpose": "newsletter",
    "action": "grant",
    "method": "web_form",
    "form_name": "Checkout",
    "wording_version": "v3",
    "wording": "Send me the monthly newsletter",
    "ip_address": "203.0.113.9",
    "user_agent": "Mozilla/5.0",
    "occurred_at": "2026-01-02T10:00:00+00:00",
}


def errors_of(response):
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def unsubscribed(email):
    contact = make_contact(email=email)
    for action, method in (("grant", "paper_form"), ("withdraw", "unsubscribe")):
        record_consent(
            actor=Actor.system("tests"),
            contact=contact,
            channel="email",
            purpose="newsletter",
            action=action,
            evidence=Evidence(method=method),
        )
    return contact


def test_upsert_creates_a_contact_and_answers_201(api):
    response = put_contact(api, {"email": "Ada@Example.COM", "first_name": "Ada"})
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["first_name"]) == ("ada@example.com", "Ada")
    assert Contact.objects.get().public_id.hex == body["id"].replace("-", "")


def test_upsert_updates_the_contact_with_the_same_email_and_answers_200(api):
    first = put_contact(api, {"email": "ada@example.com", "first_name": "Ada"}).json()
    response = put_contact(api, {"email": " ADA@example.com ", "last_name": "King"})
    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name) == ("Ada", "King")


def test_upsert_finds_a_contact_by_phone_in_national_format(api):
    first = put_contact(api, {"phone": "+44 7911 123456", "first_name": "Ada"}).json()
    response = put_contact(api, {"phone": "07911 123456", "town": "Leeds"})
    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert response.json()["phone"] == "+447911123456"
    assert Contact.objects.get().town == "Leeds"


def test_national_numbers_are_read_in_the_businesss_country(api):
    Business.objects.create(pk=1, default_country="FR")
    response = put_contact(api, {"phone": "06 12 34 56 78"})
    assert response.json()["phone"] == "+33612345678"


def test_only_the_fields_sent_are_changed_and_null_clears_one(api):
    put_contact(api, {"email": "ada@example.com", "first_name": "Ada", "town": "Leeds"})
    put_contact(api, {"email": "ada@example.com", "town": None})
    contact = Contact.objects.get()
    assert (contact.first_name, contact.town) == ("Ada", "")


def test_consent_evidence_lands_in_the_ledger_with_source_api(api):
    response = put_contact(api, {"email": "ada@example.com", "consents": [GRANT]})
    event = ConsentEvent.objects.get()
    assert (event.source, event.method, event.action) == ("api", "web_form", "grant")
    assert (event.form_name, event.wording_version) == ("Checkout", "v3")
    assert (event.wording, event.ip_address) == ("Send me the monthly newsletter", "203.0.113.9")
    assert event.occurred_at.isoformat() == "2026-01-02T10:00:00+00:00"
    assert event.actor_label == "api key Shop"
    consents = response.json()["consents"]
    assert consents == [
        {
            "channel": "email",
            "purpose": "newsletter",
            "status": "granted",
            "updated_at": consents[0]["updated_at"],
        }
    ]


def test_a_grant_without_evidence_is_refused_and_nothing_is_written(api):
    grant = {"channel": "email", "purpose": "newsletter", "action": "grant"}
    response = put_contact(api, {"email": "ada@example.com", "consents": [grant]})
    assert "needs evidence" in errors_of(response)["consents.0.wording"]
    assert not Contact.objects.exists()


def test_a_suppressed_address_cannot_be_resubscribed_and_nothing_is_written(api):
    contact = unsubscribed("ada@example.com")
    before = ConsentEvent.objects.count()
    body = {
        "email": "ada@example.com",
        "first_name": "Changed",
        "tags": ["vip"],
        "consents": [GRANT],
    }
    response = put_contact(api, body)
    assert "suppression list (unsubscribed)" in errors_of(response)["consents.0.channel"]
    contact.refresh_from_db()
    assert contact.first_name == "Ada"
    assert not contact.tags.exists()
    assert ConsentEvent.objects.count() == before
    assert not AuditEvent.objects.filter(source="api").exists()


def test_an_erased_address_cannot_be_resubscribed(api):
    erase_contact(actor=Actor.system("tests"), contact=make_contact(email="ada@example.com"))
    response = put_contact(api, {"email": "ada@example.com", "consents": [GRANT]})
    assert "erased" in errors_of(response)["consents.0.channel"]
    assert not Contact.objects.exists()


def test_a_withdrawal_is_always_accepted(api):
    unsubscribed("ada@example.com")
    withdraw = {"channel": "email", "purpose": "marketing", "action": "withdraw"}
    response = put_contact(api, {"email": "ada@example.com", "consents": [withdraw]})
    assert response.status_code == 200


def test_an_invalid_email_answers_422_naming_the_field(api):
    response = put_contact(api, {"email": "ada@", "first_name": "Ada"})
    assert errors_of(response)["email"].startswith("not a valid email address")
    assert not Contact.objects.exists()


def test_every_bad_field_is_reported_at_once(api):
    body = {"email": "ada@example.com", "country": "Britain", "time_zone": "Mars/Base"}
    assert set(errors_of(put_contact(api, body))) == {"country", "time_zone"}


def test_schema_errors_name_the_field_path(api):
    body = {"email": "ada@example.com", "consents": [{**GRANT, "channel": "pigeon"}]}
    assert "'email'" in errors_of(put_contact(api, body))["consents.0.channel"]


def test_unknown_fields_are_refused_rather_than_dropped(api):
    response = put_contact(api, {"email": "ada@example.com", "fname": "Ada"})
    assert errors_of(response) == {"fname": "Extra inputs are not permitted"}


def test_a_body_that_is_not_json_gets_a_json_error(api):
    response = api.put("/api/v1/contacts", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] is None


def test_a_contact_needs_an_email_or_a_phone_to_match_on(api):
    assert "email address or a phone" in errors_of(put_contact(api, {"first_name": "Ada"}))["email"]


def test_an_email_of_one_contact_and_the_phone_of_another_is_refused(api):
    make_contact(email="ada@example.com")
    make_contact(email="bob@example.com", phone="07911 123456")
    response = put_contact(api, {"email": "ada@example.com", "phone": "07911123456"})
    assert "another contact already has this phone" in errors_of(response)["phone"]


def test_the_branch_is_found_by_name_or_id_and_tags_replace(api, north, south):
    put_contact(api, {"email": "ada@example.com", "branch": "north", "tags": ["VIP", "glasses"]})
    response = put_contact(
        api, {"email": "ada@example.com", "branch": str(south.public_id), "tags": ["vip"]}
    )
    body = response.json()
    assert body["branch"] == {"id": str(south.public_id), "name": "South"}
    assert (body["branch_chosen"], body["tags"]) == (True, ["VIP"])


def test_an_unknown_branch_is_refused(api):
    response = put_contact(api, {"email": "ada@example.com", "branch": "Atlantis"})
    assert errors_of(response) == {"branch": "no branch with this name or id"}


def test_a_blank_branch_leaves_the_branch_as_it_was(api, north):
    put_contact(api, {"email": "ada@example.com", "branch": "North"})
    body = put_contact(api, {"email": "ada@example.com", "branch": " "}).json()
    assert body["branch"]["name"] == "North"
