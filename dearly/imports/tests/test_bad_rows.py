"""Every bad row is reported (line, column, reason) in a report safe to open in a
spreadsheet, and no good row is lost or imported twice."""

import pytest

from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.imports.tests.helpers import (
    import_file,
    issues,
    report_from_web,
    report_rows,
    run_cli,
    write,
)

pytestmark = pytest.mark.django_db

INTERLEAVED = (
    "First name,Email,Phone,Birthday,Lifecycle stage\n"
    "Ada,ada@example.com,07400 123456,1985-12-10,customer\n"  # 2 good
    'Bad1,=HYPERLINK("http://x"),,,\n'  # 3 bad email, a formula
    "Bo,bo@example.com,,,\n"  # 4 good
    "Bad2,bad2@example.com,+12,,\n"  # 5 bad phone
    "Cy,cy@example.com,,,\n"  # 6 good
    "Bad3,bad3@example.com,,31/02/1990,\n"  # 7 bad date
    "Di,,07400 123457,,\n"  # 8 good, phone only
    "Bad4,,,,\n"  # 9 nothing to recognise the contact by
    "Bad5,bad5@example.com,,,sleeping\n"  # 10 bad lifecycle stage
    "Ed,ed@example.com,,,\n"  # 11 good
    "Bad6,@bad6,-1 555,+1 2,\n"  # 12 three bad cells, each starting like a formula
)
GOOD = {"ada@example.com", "bo@example.com", "cy@example.com", None, "ed@example.com"}
BAD = [
    (3, "Email"),
    (5, "Phone"),
    (7, "Birthday"),
    (9, ""),
    (10, "Lifecycle stage"),
    (12, "Email"),
    (12, "Phone"),
    (12, "Birthday"),
]


def test_interleaved_bad_rows_leave_exactly_the_good_rows_imported(tmp_path, owner):
    job = import_file(write(tmp_path, INTERLEAVED), user=owner)
    assert set(Contact.objects.values_list("email", flat=True)) == GOOD
    assert Contact.objects.get(first_name="Di").phone == "+447400123457"
    assert (job.created_count, job.bad_count, job.rows_seen) == (5, 6, 11)
    found = issues(job)
    assert [(line, column) for line, column, _ in found] == BAD
    assert all(reason for _, _, reason in found)


def test_the_downloaded_report_lists_every_bad_row_and_neutralises_formulas(tmp_path, owner):
    job = import_file(write(tmp_path, INTERLEAVED), user=owner)
    client = client_for(owner)
    assert 'filename="contacts-errors.csv"' in client.get(
        f"/import/{job.public_id}/errors.csv"
    ).get("Content-Disposition", "")
    assert_report(report_from_web(client, job))


def test_the_command_writes_the_same_report_to_errors_out(tmp_path, capsys):
    report = tmp_path / "errors.csv"
    code, out, _ = run_cli(
        capsys, "import", "contacts", str(write(tmp_path, INTERLEAVED)), "--errors-out", str(report)
    )
    assert code == 0 and "created 5" in out and "bad rows 6" in out
    assert_report(report_rows(report.read_text(encoding="utf-8")))


def test_a_dry_run_reports_the_same_bad_rows_and_writes_no_contact(tmp_path, capsys):
    report = tmp_path / "errors.csv"
    code, out, _ = run_cli(
        capsys,
        "import", "contacts", str(write(tmp_path, INTERLEAVED)), "--dry-run",
        "--errors-out", str(report),
    )  # fmt: skip
    assert code == 0 and "would create 5" in out and "bad rows 6" in out
    assert_report(report_rows(report.read_text(encoding="utf-8")))
    assert not Contact.objects.exists()


def assert_report(rows: list[list[str]]) -> None:
    assert rows[0] == ["line", "column", "value", "reason", "kind"]
    errors = [r for r in rows[1:] if r[4] == "error"]
    assert [(int(r[0]), r[1]) for r in errors] == BAD
    assert all(r[3] for r in errors)
    by_cell = {(r[0], r[1]): r[2] for r in errors}
    assert by_cell[("3", "Email")] == '\'=HYPERLINK("http://x")'
    assert by_cell[("12", "Email")] == "'@bad6"
    assert by_cell[("12", "Phone")] == "'-1 555"
    assert by_cell[("12", "Birthday")] == "'+1 2"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_reimporting_the_same_file_creates_nothing_and_counts_every_row_unchanged(tmp_path, owner):
    path = write(tmp_path, INTERLEAVED)
    import_file(path, user=owner)
    again = import_file(path, user=owner)
    assert Contact.objects.count() == 5
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert again.bad_count == 6


def test_reimporting_with_new_values_updates_blank_fields_without_duplicating(tmp_path, owner):
    import_file(write(tmp_path, "Email,First name\nada@example.com,Ada\nbo@example.com,Bo\n"))
    path = write(tmp_path, "Email,Town\nADA@example.com,Leeds\nbo@example.com,\n", "more.csv")
    job = import_file(path, user=owner)
    assert Contact.objects.count() == 2
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    assert Contact.objects.get(email="ada@example.com").town == "Leeds"


def test_national_and_international_forms_of_one_phone_are_one_contact(tmp_path, owner):
    first = import_file(write(tmp_path, "Phone,First name\n07400 123456,Ada\n"), user=owner)
    text = "Phone,Town\n+44 7400 123456,Leeds\n0044 (0)7400-123456,\n+447400123456,\n"
    second = import_file(write(tmp_path, text, "again.csv"), user=owner)
    ada = Contact.objects.get()
    assert (ada.phone, ada.first_name, ada.town) == ("+447400123456", "Ada", "Leeds")
    assert first.created_count == 1 and second.created_count == 0
    assert second.bad_count == 0


def test_rows_for_one_person_within_a_file_become_one_contact_and_say_so(tmp_path, owner):
    text = (
        "Email,Phone,First name,Town\n"
        "ada@example.com,,Ada,\n"
        "ADA@EXAMPLE.COM,07400 123456,,Leeds\n"
        ",+44 7400 123456,Augusta,\n"
    )
    job = import_file(write(tmp_path, text), user=owner)
    ada = Contact.objects.get()
    assert (ada.email, ada.phone, ada.town) == ("ada@example.com", "+447400123456", "Leeds")
    assert ada.first_name == "Augusta"  # the later row's value wins
    assert job.created_count == 1 and job.bad_count == 0
    assert [line for line, _, reason in issues(job) if "later row wins" in reason] == [3, 4]
