"""Excel workbooks as Excel writes them: typed cells, blank rows, merged headers."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dearly.contacts.models import Contact
from dearly.imports.tests.helpers import import_file, issues, run_cli

pytestmark = pytest.mark.django_db


def workbook(path: Path, rows: list[list[object]], merge: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def test_a_workbook_with_typed_cells_imports_dates_numbers_and_numeric_phones(tmp_path, owner):
    path = workbook(
        tmp_path / "customers.xlsx",
        [
            ["First name", "Email", "Phone", "Birthday", "Customer since", "Latitude", "Postcode"],
            ["Ada", "ADA@example.com", 7400123456, dt.date(1985, 12, 10), dt.datetime(2020, 5, 1),  # noqa: DTZ001 - Excel has no zones
             53.8, 12345],
            ["Bo", "bo@example.com", 447400123457, None, None, None, None],
            ["Cy", "not-an-email", None, None, None, None, None],
        ],
    )  # fmt: skip
    job = import_file(path, user=owner)
    assert job.status == "done" and job.file_format == "xlsx"
    ada = Contact.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.phone) == ("Ada", "+447400123456")
    assert (ada.birthday, ada.anniversary) == (dt.date(1985, 12, 10), dt.date(2020, 5, 1))
    assert (ada.latitude, ada.postcode) == (53.8, "12345")
    assert Contact.objects.get(email="bo@example.com").phone == "+447400123457"
    assert [(line, column) for line, column, _ in issues(job)] == [(4, "Email")]


def test_a_workbook_whose_first_row_is_empty_is_refused_with_the_reason(tmp_path, capsys):
    path = workbook(tmp_path / "list.xlsx", [[None, None], ["Email", "Phone"], ["a@b.co", None]])
    code, _, err = run_cli(capsys, "import", "contacts", str(path))
    assert code != 0 and "first row is empty" in err


def test_a_merged_header_cell_names_the_column_it_covers_and_says_so(tmp_path, owner):
    path = workbook(
        tmp_path / "list.xlsx",
        [["Name", None, "Email"], ["Ada", "Lovelace", "ada@example.com"]],
        merge="A1:B1",
    )
    job = import_file(path, user=owner, mapping={"Name": "first_name", "Email": "email"})
    assert job.headers == ["Name", "Column 2", "Email"]
    assert any("Column 2 has no name" in notice for notice in job.file_notices)
    assert Contact.objects.get(email="ada@example.com").first_name == "Ada"


def test_blank_rows_in_a_workbook_are_skipped_and_line_numbers_stay_true(tmp_path, owner):
    path = workbook(
        tmp_path / "list.xlsx",
        [["Email"], ["ada@example.com"], [None], [None], ["bad-address"], ["cy@example.com"]],
    )
    job = import_file(path, user=owner)
    assert job.created_count == 2
    assert [line for line, _, _ in issues(job)] == [5]
