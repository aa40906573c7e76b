"""Values that COPY's text format must escape (tabs, backslashes, a literal \\N, newlines,
quotes) are stored exactly as the file gave them, in the contact and in its audit event."""

import csv
import io

import pytest

from dearly.contacts.models import Contact
from dearly.core.models import AuditEvent
from dearly.imports.tests.helpers import import_file, write

pytestmark = pytest.mark.django_db

AWKWARD = {
    "tab@example.com": "Ada\tLovelace",
    "slash@example.com": "C:\\Users\\ada",
    "null@example.com": "\\N",
    "newline@example.com": "first line\nsecond line",
    "quote@example.com": 'Ada "the Countess"',
    "unicode@example.com": "Zoë 山田",
}


def test_values_that_copy_would_misread_are_stored_exactly_as_given(tmp_path, owner):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Email", "First name"])
    writer.writerows(AWKWARD.items())
    job = import_file(write(tmp_path, out.getvalue()), user=owner)
    assert job.status == "done" and job.created_count == len(AWKWARD), job.failure
    stored = dict(Contact.objects.values_list("email", "first_name"))
    assert stored == AWKWARD
    audited = {
        e.new["email"]: e.new["first_name"]
        for e in AuditEvent.objects.filter(action="contact.imported")
    }
    assert audited == AWKWARD
