import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse

from dearly.conftest import client_for, make_contact
from dearly.contacts.export import safe_cell
from dearly.contacts.models import CustomField
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def parse(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def download(user, **params):
    response = client_for(user).get("/contacts/export.csv", params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    return parse(b"".join(response.streaming_content).decode("utf-8"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_as_formulas_get_a_quote(start):
    assert safe_cell(f"{start}cmd") == f"'{start}cmd"


def test_the_export_neutralises_formulas_and_survives_a_real_csv_parse(owner):
    make_contact(
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="@SUM(1,1)",
        notes='line one\n-line two, with "quotes"',
        phone="+447911123456",
    )
    (row,) = download(owner)
    assert row["first_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["last_name"] == "'@SUM(1,1)"
    assert row["notes"] == 'line one\n-line two, with "quotes"'
    assert row["phone"] == "'+447911123456"


def test_the_export_follows_the_filters_on_screen(owner, north):
    make_contact(first_name="Ada", branch=north, tags=("vip", "regulars"))
    make_contact(first_name="Bob")
    rows = download(owner, tag="vip")
    assert [r["first_name"] for r in rows] == ["Ada"]
    assert rows[0]["branch"] == "North" and rows[0]["tags"] == "regulars, vip"


def test_branch_staff_never_export_another_branchs_contacts(north_staff, north, south):
    make_contact(first_name="Nell", branch=north)
    make_contact(first_name="Sid", branch=south)
    assert [r["first_name"] for r in download(north_staff)] == ["Nell"]
    assert [r["first_name"] for r in download(north_staff, branch=south.pk)] == ["Nell"]


def test_the_export_is_audited_with_who_and_how_many(owner):
    make_contact(first_name="Ada")
    make_contact(first_name="Bob")
    download(owner, q="a")
    event = AuditEvent.objects.get(action="contacts.exported")
    assert event.actor == owner
    assert event.new == {"rows": 2, "filters": {"q": "a"}}


def test_custom_fields_and_granted_consents_are_columns(owner):
    CustomField.objects.create(key="drink", label="Usual drink")
    contact = make_contact(first_name="Ada", email="ada@example.com")
    contact.custom_fields = {"drink": "Latte"}
    contact.save(update_fields=["custom_fields"])
    (row,) = download(owner)
    assert row["custom_drink"] == "Latte"
    assert row["consents"] == ""


def test_the_command_writes_the_same_csv_to_a_file(tmp_path, north, south):
    make_contact(first_name="Nell", branch=north)
    make_contact(first_name="=Sid", branch=south)
    out = tmp_path / "contacts.csv"
    call_command("export", "contacts", "--output", str(out), stderr=io.StringIO())
    rows = parse(out.read_text(encoding="utf-8"))
    assert sorted(r["first_name"] for r in rows) == ["'=Sid", "Nell"]
    event = AuditEvent.objects.get(action="contacts.exported")
    assert (event.source, event.new["rows"]) == ("cli", 2)


def test_the_command_exports_one_branch_to_standard_output(north, south):
    make_contact(first_name="Nell", branch=north)
    make_contact(first_name="Sid", branch=south)
    stdout = io.StringIO()
    call_command("export", "contacts", "--branch", "south", stdout=stdout)
    assert [r["first_name"] for r in parse(stdout.getvalue())] == ["Sid"]


def test_the_command_names_the_branches_when_one_is_unknown(north):
    with pytest.raises(CommandError, match="North"):
        call_command("export", "contacts", "--branch", "Westside")


def test_a_persons_data_export_is_json_and_audited(owner):
    contact = make_contact(first_name="Ada", email="ada@example.com", tags=("vip",))
    response = client_for(owner).post(f"/contacts/{contact.public_id}/data.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["contact"]["email"] == "ada@example.com" and data["tags"] == ["vip"]
    event = AuditEvent.objects.get(action="contact.data_exported")
    assert event.actor == owner and event.contact == contact


def test_a_persons_data_export_is_not_a_get(owner):
    contact = make_contact()
    response = client_for(owner).get(f"/contacts/{contact.public_id}/data.json")
    assert response.status_code == 405


def export_queries(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        download(user)
    return len(ctx.captured_queries)


def test_the_export_query_count_does_not_grow_with_the_rows(owner, north):
    for i in range(3):
        make_contact(first_name=f"A{i}", branch=north, tags=("a",))
    few = export_queries(owner)
    for i in range(30):
        make_contact(first_name=f"B{i}", branch=north, tags=("a",))
    assert export_queries(owner) == few
