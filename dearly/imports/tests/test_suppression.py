"""An import never brings back an erased person nor resubscribes anyone, and records the
evidence for every consent it does grant."""

import pytest

from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent, Contact, PointKind, SuppressionReason
from dearly.contacts.privacy import erase_contact
from dearly.contacts.services import Evidence, current_consents, record_consent
from dearly.contacts.suppression import suppress
from dearly.core.actor import Actor
from dearly.imports.tests.helpers import import_file, issues, write

pytestmark = pytest.mark.django_db

GRANT = {
    "grants": [["email", "marketing"]],
    "consent_wording": "Yes, email me news and offers",
    "consent_source": "Shop signup sheet, 2024",
}
ROWS = "Email,Phone,First name\nada@example.com,07400 123456,Ada\nbo@example.com,,Bo\n"


def staff_actor() -> Actor:
    return Actor.system("tests")


def test_an_erased_persons_address_is_not_imported_again_and_is_reported(tmp_path, owner):
    ada = make_contact(email="ada@example.com", phone="07400 123456")
    erase_contact(actor=staff_actor(), contact=ada)
    job = import_file(write(tmp_path, ROWS), user=owner, **GRANT)
    assert list(Contact.objects.values_list("email", flat=True)) == ["bo@example.com"]
    [line] = [line for line, _, reason in issues(job) if "erased" in reason]
    assert line == 2 and job.bad_count == 1 and job.created_count == 1


def test_an_erased_phone_typed_in_another_format_is_still_recognised(tmp_path, owner):
    erase_contact(actor=staff_actor(), contact=make_contact(phone="07400 123456"))
    job = import_file(write(tmp_path, "Phone,First name\n+44 (0)7400 123 456,Ada\n"), user=owner)
    assert not Contact.objects.exists()
    assert "erased" in issues(job)[0][2]


def test_an_unsubscribed_address_is_imported_but_not_regranted_with_a_notice(tmp_path, owner):
    ada = make_contact(email="ada@example.com")
    for action in ("grant", "withdraw"):
        record_consent(
            actor=staff_actor(), contact=ada, channel="email", purpose="marketing",
            action=action, evidence=Evidence(method="web_form", form_name="signup"),
        )  # fmt: skip
    job = import_file(write(tmp_path, ROWS), user=owner, **GRANT)
    ada.refresh_from_db()
    assert ada.phone == "+447400123456"  # the row was imported
    assert current_consents(ada) == {("email", "marketing"): "withdrawn"}
    assert ConsentEvent.objects.filter(contact=ada, action="grant").count() == 1
    [notice] = [reason for line, _, reason in issues(job) if line == 2]
    assert "suppression list (unsubscribed)" in notice or "not re-granted" in notice
    assert job.bad_count == 0 and job.notice_count >= 1


def test_a_new_contact_whose_address_unsubscribed_earlier_gets_no_consent(tmp_path, owner):
    suppress(
        kind=PointKind.EMAIL, value="bo@example.com",
        reason=SuppressionReason.UNSUBSCRIBED, source="tests",
    )  # fmt: skip
    job = import_file(write(tmp_path, ROWS), user=owner, **GRANT)
    bo = Contact.objects.get(email="bo@example.com")
    assert current_consents(bo) == {}
    assert any(line == 3 and "unsubscribed" in reason for line, _, reason in issues(job))
    ada = Contact.objects.get(email="ada@example.com")
    assert current_consents(ada) == {("email", "marketing"): "granted"}


def test_granted_rows_get_a_ledger_entry_with_method_wording_and_file_name(tmp_path, owner):
    import_file(write(tmp_path, ROWS, name="shop-signups.csv"), user=owner, **GRANT)
    event = ConsentEvent.objects.get(contact__email="bo@example.com")
    assert (event.channel, event.purpose, event.action) == ("email", "marketing", "grant")
    assert (event.method, event.form_name) == ("import", "shop-signups.csv")
    assert event.wording == "Yes, email me news and offers"
    assert "Shop signup sheet, 2024" in event.note and "line 3" in event.note
    assert event.staff == owner
    assert ConsentEvent.objects.count() == 2


def test_reimporting_with_consent_adds_no_second_ledger_entry(tmp_path, owner):
    path = write(tmp_path, ROWS)
    import_file(path, user=owner, **GRANT)
    again = import_file(path, user=owner, **GRANT)
    assert ConsentEvent.objects.count() == 2
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_a_row_without_an_email_gets_no_email_consent(tmp_path, owner):
    import_file(write(tmp_path, "Phone\n07400 123456\n"), user=owner, **GRANT)
    assert not ConsentEvent.objects.exists()
