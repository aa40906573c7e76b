import pytest

from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent, Suppression
from dearly.contacts.privacy import erase_contact, personal_data
from dearly.contacts.services import ContactError, Evidence, current_consents, record_consent
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db
STAFF = Actor.system("tests")


def grant(contact, *, method="paper_form", channel="email", purpose="marketing"):
    return record_consent(
        actor=STAFF,
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="grant",
        evidence=Evidence(method=method, form_name="Shop signup", wording_version="v2"),
    )


def withdraw(contact, *, method="unsubscribe", channel="email", purpose="marketing"):
    return record_consent(
        actor=STAFF,
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="withdraw",
        evidence=Evidence(method=method),
    )


def test_each_decision_is_appended_to_the_ledger_and_sets_current_state():
    contact = make_contact(email="ada@example.com")
    grant(contact)
    withdraw(contact)
    assert ConsentEvent.objects.filter(contact=contact).count() == 2
    assert current_consents(contact) == {("email", "marketing"): "withdrawn"}


def test_withdrawing_the_last_email_purpose_suppresses_the_address():
    contact = make_contact(email="ada@example.com")
    grant(contact)
    withdraw(contact)
    assert Suppression.objects.filter(reason="unsubscribed").count() == 1


def test_an_import_cannot_resubscribe_an_unsubscribed_address():
    contact = make_contact(email="ada@example.com")
    grant(contact)
    withdraw(contact)
    with pytest.raises(ContactError, match="suppression list"):
        grant(contact, method="import")
    assert current_consents(contact) == {("email", "marketing"): "withdrawn"}


def test_the_person_opting_back_in_themselves_lifts_the_unsubscribe():
    contact = make_contact(email="ada@example.com")
    grant(contact)
    withdraw(contact)
    grant(contact, method="web_form")
    assert current_consents(contact) == {("email", "marketing"): "granted"}
    assert not Suppression.objects.exists()


def test_sms_consent_needs_a_phone_number():
    contact = make_contact(email="ada@example.com")
    with pytest.raises(ContactError, match="no phone"):
        grant(contact, channel="sms")


def test_erasure_removes_the_person_but_keeps_a_hashed_suppression():
    contact = make_contact(email="ada@example.com", phone="07911 123456")
    grant(contact)
    assert personal_data(contact)["contact"]["email"] == "ada@example.com"
    erase_contact(actor=STAFF, contact=contact)
    assert not ConsentEvent.objects.exists()
    hashes = list(Suppression.objects.values_list("kind", "reason", "key_hash"))
    assert {(k, r) for k, r, _ in hashes} == {("email", "erased"), ("phone", "erased")}
    assert all("ada" not in h for _, _, h in hashes)
    leftovers = AuditEvent.objects.exclude(action="contact.erased")
    assert leftovers.exists()
    assert "ada@example.com" not in str(list(AuditEvent.objects.values("old", "new")))
