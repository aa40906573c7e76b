"""CSV files as spreadsheets and other systems really write them import without fuss."""

import pytest

from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import import_file, issues, run_cli, upload, write

pytestmark = pytest.mark.django_db


def names_by_email() -> dict[str | None, str]:
    return dict(Contact.objects.values_list("email", "first_name"))


def test_a_byte_order_mark_does_not_hide_the_first_column_name(tmp_path, owner):
    path = write(tmp_path, "\ufeffEmail,First name\nada@example.com,Ada\n")
    job = import_file(path, user=owner)
    assert job.headers[0] == "Email" and job.mapping["Email"] == "email"
    assert names_by_email() == {"ada@example.com": "Ada"}


def test_windows_1252_text_keeps_its_accents_and_says_how_it_was_read(tmp_path, owner):
    text = "First name,Last name,Email\nZoë,Brontë,zoe@example.com\nRenée,Doña,renee@example.com\n"
    path = write(tmp_path, text.encode("cp1252"))
    job = import_file(path, user=owner)
    assert names_by_email() == {"zoe@example.com": "Zoë", "renee@example.com": "Renée"}
    assert Contact.objects.get(email="renee@example.com").last_name == "Doña"
    assert any("Windows-1252" in notice for notice in job.file_notices)


def test_the_wizard_and_the_command_show_how_a_windows_1252_file_was_read(
    tmp_path, owner, settings, capsys
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    content = "Email,First name\nzoe@example.com,Zoë\n".encode("cp1252")
    response = upload(client_for(owner), content)
    assert "Windows-1252" in client_for(owner).get(response.url).content.decode()
    code, _, err = run_cli(capsys, "import", "contacts", str(write(tmp_path, content)))
    assert code == 0 and "notice:" in err and "Windows-1252" in err


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Email;First name;Town\nada@example.com;Ada;Leeds, West Yorkshire\n", "c.csv"),
        ("Email\tFirst name\tTown\nada@example.com\tAda\tLeeds, West Yorkshire\n", "c.tsv"),
        ("Email\tFirst name\tTown\nada@example.com\tAda\tLeeds, West Yorkshire\n", "c.txt"),
        ('Email|First name|Town\nada@example.com|Ada|"Leeds, West Yorkshire"\n', "c.csv"),
    ],
    ids=["semicolon", "tab-tsv", "tab-txt", "pipe"],
)
def test_semicolon_tab_and_pipe_delimited_files_are_read(tmp_path, owner, text, name):
    job = import_file(write(tmp_path, text, name=name), user=owner)
    assert job.headers == ["Email", "First name", "Town"]
    ada = Contact.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.town) == ("Ada", "Leeds, West Yorkshire")


def test_repeated_and_blank_column_names_are_renamed_with_a_notice(tmp_path, owner):
    path = write(tmp_path, "Email,Notes,Notes,,Town\nada@example.com,one,two,x,Leeds\n")
    job = import_file(path, user=owner)
    assert job.headers == ["Email", "Notes", "Notes (2)", "Column 4", "Town"]
    assert any("'Notes' appears more than once" in n for n in job.file_notices)
    assert any("Column 4 has no name" in n for n in job.file_notices)
    assert Contact.objects.get(email="ada@example.com").notes == "one"


def test_short_rows_are_padded_and_a_row_with_extra_filled_cells_is_reported(tmp_path, owner):
    text = (
        "Email,First name,Town\n"
        "ada@example.com,Ada\n"  # short: Town is blank
        "bo@example.com\n"
        "cy@example.com,Cy,Leeds,,\n"  # trailing empty cells are harmless
        "di@example.com,Di,Leeds,Yorkshire\n"  # an extra filled cell: shifted columns
        "ed@example.com,Ed,York\n"
    )
    job = import_file(write(tmp_path, text), user=owner)
    assert set(names_by_email()) == {
        "ada@example.com",
        "bo@example.com",
        "cy@example.com",
        "ed@example.com",
    }
    assert Contact.objects.get(email="ada@example.com").town == ""
    [(line, _column, reason)] = issues(job)
    assert line == 5 and "4 cells but there are 3 columns" in reason
    assert job.bad_count == 1 and job.created_count == 4


def test_line_numbers_count_the_lines_inside_quoted_cells(tmp_path, owner):
    text = (
        "Email,Notes\n"
        'ada@example.com,"Met at the fair.\nLikes roses.\nCall after 5."\n'  # lines 2-4
        "not-an-email,\n"  # line 5
        'bad@,"two\nlines"\n'  # lines 6-7
        "cy@example.com,\n"  # line 8
        "also-bad,\n"  # line 9
    )
    job = import_file(write(tmp_path, text), user=owner)
    assert Contact.objects.get(email="ada@example.com").notes.count("\n") == 2
    assert [(line, column) for line, column, _ in issues(job)] == [
        (5, "Email"),
        (6, "Email"),
        (9, "Email"),
    ]


@pytest.mark.xfail(strict=True, reason="an unclosed quote swallows the rest of the file")
def test_a_quote_left_open_does_not_silently_swallow_the_rows_after_it(tmp_path, owner):
    text = 'Email,Notes\nada@example.com,fine\nbo@example.com,"never closed\ncy@example.com,x\n'
    job = import_file(write(tmp_path, text), user=owner)
    reported = "quote" in job.failure or any("quote" in reason for *_, reason in issues(job))
    assert Contact.objects.filter(email="cy@example.com").exists() or reported


def test_crlf_line_endings_and_a_final_line_without_newline_are_read(tmp_path, owner):
    job = import_file(
        write(tmp_path, b"Email,First name\r\nada@example.com,Ada\r\nbo@example.com,Bo"),
        user=owner,
    )
    assert names_by_email() == {"ada@example.com": "Ada", "bo@example.com": "Bo"}
    assert job.created_count == 2 and not ImportJob.objects.exclude(pk=job.pk).exists()
