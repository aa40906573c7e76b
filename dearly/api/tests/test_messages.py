import pytest

from dearly.api.tests.conftest import bearer_client
from dearly.api.tests.helpers import errors_of, post
from dearly.campaigns.tests.helpers import ACTOR, new_version, person, template
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.core.apikeys import create_api_key
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_one
from dearly.messaging.services import set_archived

pytestmark = pytest.mark.django_db

RECEIPT = "<p>Thanks {{ contact.first_name }}, here is your receipt.</p>"


def send(api, body, key="order-1001"):
    headers = {"Idempotency-Key": key} if key else {}
    return post(api, "/api/v1/messages", body, **headers)


def body_for(version, contact=None, **changes):
    contact = {"email": "ada@example.com"} if contact is None else contact
    return {"contact": contact, "template": str(version.template.public_id), **changes}


@pytest.fixture
def receipt():
    return template(RECEIPT, name="Receipt")


@pytest.fixture
def ada():
    return make_contact(email="ada@example.com", first_name="Ada")


def test_a_send_answers_202_and_queues_one_service_message(api, ada, receipt):
    response = send(api, body_for(receipt))
    assert response.status_code == 202, response.content
    body = response.json()
    message = OutboxMessage.objects.get()
    assert body["id"] == str(message.public_id)
    assert response["Location"] == f"/api/v1/messages/{message.public_id}"
    assert (body["status"], body["purpose"], body["template_version"]) == ("queued", "service", 1)
    assert (body["contact_id"], body["attempts"]) == (str(ada.public_id), [])
    assert (message.contact, message.purpose, message.consent_purpose) == (ada, "service", "")
    assert (message.origin_type, message.template_version_id) == ("api", receipt.pk)


def test_the_contact_can_be_named_by_id_or_by_email_in_any_case(api, ada, receipt):
    by_id = send(api, body_for(receipt, {"id": str(ada.public_id)}), key="a").json()
    by_email = send(api, body_for(receipt, {"email": " ADA@Example.com"}), key="b").json()
    assert by_id["contact_id"] == by_email["contact_id"] == str(ada.public_id)


def test_the_same_key_twice_returns_the_same_message_and_writes_one_row(api, ada, receipt):
    first = send(api, body_for(receipt))
    again = send(api, body_for(receipt))
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert OutboxMessage.objects.count() == 1


def test_a_retry_gets_the_first_answer_even_after_the_template_changed(api, ada, receipt):
    first = send(api, body_for(receipt)).json()
    new_version(receipt.template, "<p>Changed</p>")
    again = send(api, body_for(receipt)).json()
    assert again["template_version"] == first["template_version"] == 1
    fresh = send(api, body_for(receipt), key="order-1002").json()
    assert fresh["template_version"] == 2  # a new send binds the newest version


def test_the_same_key_with_a_different_body_is_a_conflict(api, ada, receipt):
    send(api, body_for(receipt))
    make_contact(email="bob@example.com")
    for changed in (
        body_for(receipt, {"email": "bob@example.com"}),
        body_for(receipt, {"id": str(ada.public_id)}),
        body_for(receipt, send_at="2030-01-01T09:00:00+00:00"),
        body_for(template(RECEIPT, name="Other")),
    ):
        response = send(api, changed)
        assert response.status_code == 409, changed
        assert "different request" in response.json()["detail"][0]["message"]
    assert OutboxMessage.objects.count() == 1


def test_keys_belong_to_the_api_key_that_sent_them(api, ada, receipt):
    _, other_raw = create_api_key(actor=ACTOR, name="Booking system")
    first = send(api, body_for(receipt)).json()
    other = send(bearer_client(other_raw), body_for(receipt))
    assert other.status_code == 202
    assert other.json()["id"] != first["id"]


def test_the_idempotency_key_header_is_required(api, ada, receipt):
    response = send(api, body_for(receipt), key=None)
    assert set(errors_of(response)) == {"Idempotency-Key"}
    response = send(api, body_for(receipt), key="x" * 256)
    assert set(errors_of(response)) == {"Idempotency-Key"}
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("purpose", ["promotional", "informational", "marketing"])
def test_marketing_purposes_are_refused(api, ada, receipt, purpose):
    response = send(api, body_for(receipt, purpose=purpose))
    assert "send marketing as a campaign" in errors_of(response)["purpose"]
    assert not OutboxMessage.objects.exists()


def test_an_unknown_contact_is_refused_and_never_created(api, receipt):
    response = send(api, body_for(receipt, {"email": "nobody@example.com"}))
    assert errors_of(response) == {"contact.email": "no contact with this email"}
    unknown = {"id": "8a1b2c3d-0000-4000-8000-000000000000"}
    assert errors_of(send(api, body_for(receipt, unknown))) == {
        "contact.id": "no contact with this id"
    }
    assert not Contact.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_contact_is_named_by_exactly_one_of_id_and_email(api, ada, receipt):
    both = {"id": str(ada.public_id), "email": "ada@example.com"}
    assert set(errors_of(send(api, body_for(receipt, both)))) == {"contact"}
    assert set(errors_of(send(api, body_for(receipt, {})))) == {"contact"}
    assert set(errors_of(send(api, body_for(receipt, {"email": "ada@"})))) == {"contact.email"}


def test_a_contact_without_an_email_address_is_refused(api, receipt):
    phone_only = make_contact(phone="07911 123456")
    response = send(api, body_for(receipt, {"id": str(phone_only.public_id)}))
    assert errors_of(response) == {"contact.id": "this contact has no email address"}


def test_a_template_that_cannot_be_sent_is_refused(api, ada, receipt):
    unknown = body_for(receipt, template="8a1b2c3d-0000-4000-8000-000000000000")
    assert errors_of(send(api, unknown, key="1")) == {"template": "no template with this id"}
    placeholder = template("<p><a href='https://example.com/x'>x</a></p>", name="Draft")
    assert "placeholder" in errors_of(send(api, body_for(placeholder), key="2"))["template"]
    set_archived(actor=ACTOR, template=receipt.template, archived=True)
    assert "archived" in errors_of(send(api, body_for(receipt), key="3"))["template"]
    assert not OutboxMessage.objects.exists()


def test_schema_errors_name_their_fields(api, ada, receipt):
    body = body_for(receipt, send_at="tomorrow", idempotency_key="k", template="nope")
    assert set(errors_of(send(api, body))) == {"send_at", "idempotency_key", "template"}


def test_send_at_sets_when_the_message_may_go(api, ada, receipt):
    body = send(api, body_for(receipt, send_at="2030-01-01T09:00:00+01:00")).json()
    assert body["not_before"] == "2030-01-01T08:00:00Z"
    assert OutboxMessage.objects.get().not_before.isoformat() == "2030-01-01T08:00:00+00:00"
    naive = send(api, body_for(receipt, send_at="2030-01-01T09:00:00"), key="naive")
    assert set(errors_of(naive)) == {"send_at"}


def test_a_message_is_read_back_with_its_status(api, ada, receipt):
    message_id = send(api, body_for(receipt)).json()["id"]
    body = api.get(f"/api/v1/messages/{message_id}").json()
    assert (body["id"], body["status"], body["hold_reason"]) == (message_id, "queued", None)


def test_only_messages_sent_through_the_api_can_be_read_there(api, receipt):
    campaign_mail, _ = enqueue_one(
        contact=person("ada@example.com"),
        origin_type="campaign",
        purpose="promotional",
        template_version_id=receipt.pk,
    )
    assert api.get(f"/api/v1/messages/{campaign_mail.public_id}").status_code == 404
    assert api.get("/api/v1/messages/not-an-id").status_code == 404
