import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dearly.contacts.models import ConsentEvent, Contact
from dearly.imports.tests.helpers import HEADER, write

pytestmark = pytest.mark.django_db

FILE = (
    "Name,Surname,E-mail address,Mobile\n"
    "Ada,Lovelace,ada@example.com,07400 123456\n"
    'Bob,Bad,=HYPERLINK("x"),\n'
)


def test_the_command_imports_with_mapping_consent_and_writes_the_error_report(tmp_path, capsys):
    path = write(tmp_path, FILE)
    report = tmp_path / "errors.csv"
    call_command(
        "import", "contacts", str(path),
        "--map", "Name=first_name", "--map", "Surname=last_name",
        "--consent", "email:marketing", "--consent-wording", "Yes, email me offers",
        "--errors-out", str(report),
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "created 1, updated 0" in out and "bad rows 1" in out
    ada = Contact.objects.get(email="ada@example.com")
    assert ada.first_name == "Ada"
    event = ConsentEvent.objects.get(contact=ada)
    assert (event.method, event.form_name, event.wording) == (
        "import", "contacts.csv", "Yes, email me offers"
    )  # fmt: skip
    rows = list(csv.reader(report.open()))
    assert rows[0] == ["line", "column", "value", "reason", "kind"]
    assert rows[1][:3] == ["3", "E-mail address", '\'=HYPERLINK("x")']


def test_a_dry_run_reports_but_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, HEADER + "Ada,L,ada@example.com,,\nB,B,bad,,\n")
    call_command("import", "contacts", str(path), "--dry-run")
    assert "would create 1" in capsys.readouterr().out
    assert Contact.objects.count() == 0


def test_the_command_fails_clearly_on_a_file_it_cannot_read(tmp_path):
    path = write(tmp_path, b"%PDF-1.4 binary\x00\x01", name="list.csv")
    with pytest.raises(CommandError, match="PDF document"):
        call_command("import", "contacts", str(path))


def test_the_dearly_command_exits_non_zero_on_an_unreadable_file(tmp_path):
    from dearly.cli import main

    path = write(tmp_path, b"", name="empty.csv")
    with pytest.raises(SystemExit) as exit_:
        main(["dearly", "import", "contacts", str(path)])
    assert exit_.value.code != 0
