import pytest

from dearly.contacts.models import Contact, LifecycleChange
from dearly.core.models import AuditEvent
from dearly.imports.tests.helpers import HEADER, import_file, issues, write

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    HEADER
    + "Ada,Lovelace,ada@example.com,07400 123456,10/12/1985\n"
    + "Bad,Email,not-an-email,,\n"
    + "Grace,Hopper,grace@example.com,,1906-12-09\n"
    + "Bad,Date,date@example.com,,31/02/1990\n"
    + "Bad,Phone,phone@example.com,12345,\n"
)


def test_good_rows_are_imported_and_each_bad_row_is_reported_with_line_column_and_reason(
    tmp_path, owner
):
    job = import_file(write(tmp_path, GOOD_AND_BAD), user=owner)
    assert job.status == "done", job.failure
    assert set(Contact.objects.values_list("email", flat=True)) == {
        "ada@example.com",
        "grace@example.com",
    }
    found = issues(job)
    assert [(line, column) for line, column, _ in found] == [
        (3, "Email"),
        (5, "Birthday"),
        (6, "Phone"),
    ]
    assert "not a valid email address" in found[0][2]
    assert job.created_count == 2 and job.bad_count == 3


def test_reimporting_the_same_file_creates_no_duplicates(tmp_path, owner):
    path = write(tmp_path, GOOD_AND_BAD)
    import_file(path, user=owner)
    second = import_file(path, user=owner)
    assert Contact.objects.count() == 2
    assert second.created_count == 0 and second.unchanged_count == 2


def test_each_new_contact_gets_an_audit_event_and_a_lifecycle_change(tmp_path, owner):
    import_file(write(tmp_path, GOOD_AND_BAD), user=owner)
    ada = Contact.objects.get(email="ada@example.com")
    event = AuditEvent.objects.get(contact=ada, action="contact.imported")
    assert event.actor == owner and event.source == "import"
    assert event.new["import_result"] == "created" and event.new["phone"] == "+447400123456"
    assert LifecycleChange.objects.get(contact=ada).to_stage == "lead"
