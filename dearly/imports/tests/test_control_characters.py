"""Text a person could not have typed (NUL, other control characters, lone surrogates) is
refused cell by cell, naming line and column; the rest of the file imports."""

import pytest

from dearly.contacts.models import Contact
from dearly.core.text import text_problem
from dearly.imports.services import ImportError_, store_path
from dearly.imports.tests.helpers import actor_for, import_file, issues, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("a\x00b", "control character (U+0000)"),
        ("a\x07b", "control character (U+0007)"),
        ("a\x1bb", "control character (U+001B)"),
        ("a\x85b", "control character (U+0085)"),
        ("a\ud800b", "broken character, U+D800"),
    ],
)
def test_text_problem_names_what_is_wrong(value, words):
    assert words in (text_problem(value) or "")


@pytest.mark.parametrize("value", ["Ada", "two\nlines", "tab\there", "crlf\r\n", "Zoë 😀"])
def test_ordinary_text_has_no_problem(value):
    assert text_problem(value) is None


def test_a_cell_with_a_control_character_is_refused_with_its_line_and_column(tmp_path, owner):
    path = write(
        tmp_path,
        "First name,Email\nAda,ada@example.com\nB\x1bo,bo@example.com\nCy,cy\x7f@example.com\n",
    )
    job = import_file(path, user=owner)
    assert list(Contact.objects.values_list("email", flat=True)) == ["ada@example.com"]
    found = issues(job)
    assert [(line, column) for line, column, _ in found] == [(3, "First name"), (4, "Email")]
    assert "U+001B" in found[0][2] and "U+007F" in found[1][2]
    assert job.issues.get(line=3).value == "B<U+001B>o"


def test_a_nul_byte_past_the_files_start_is_refused_in_its_cell(tmp_path, owner):
    # A NUL among the first 64 KB marks a binary (or UTF-16) file; later, it is one bad cell.
    rows = "".join(f"P{n},p{n}@example.com\n" for n in range(4000))
    path = write(tmp_path, "First name,Email\n" + rows + "Bo,b\x00o@example.com\n")
    job = import_file(path, user=owner)
    assert job.status == "done" and job.created_count == 4000
    assert issues(job) == [
        (4002, "Email", "has an invisible control character (U+0000); remove it")
    ]
    assert job.issues.get().value == "b<U+0000>o@example.com"


def test_a_column_name_with_a_control_character_refuses_the_file(tmp_path, owner):
    path = write(tmp_path, "First name,E\x08mail\nAda,ada@example.com\n")
    with pytest.raises(
        ImportError_, match=r"The name of column 2 has an invisible control character \(U\+0008\)"
    ):
        store_path(actor=actor_for(owner), source=path)
