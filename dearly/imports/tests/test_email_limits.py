"""An import reports an address past RFC 5321's limits on its line and column."""

import pytest

from dearly.contacts.models import Contact
from dearly.imports.tests.helpers import import_file, issues, write

pytestmark = pytest.mark.django_db


def test_an_import_row_with_a_65_character_local_part_is_reported_on_its_email_column(
    tmp_path, owner
):
    text = f"First name,Email\nAda,ada@example.com\nBo,{'b' * 65}@example.com\n"
    job = import_file(write(tmp_path, text), user=owner)
    [(line, column, reason)] = issues(job)
    assert (line, column) == (3, "Email") and "too long before the @-sign" in reason
    assert list(Contact.objects.values_list("email", flat=True)) == ["ada@example.com"]
