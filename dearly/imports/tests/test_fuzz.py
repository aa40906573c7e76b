"""Property tests of the importer: whatever a CSV or workbook holds, an upload is either
refused with a message or imported; nothing escapes as an exception or a 500, the counts
match what was written, and a refused or failed file writes no contact."""

import csv
import io
import itertools

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.imports import services
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import actor_for, upload

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run and every xdist worker
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = ["Email", "Phone", "First name", "Birthday", "Tags", "Branch", "Lifecycle stage", "?"]
# Cells that look like what people put in spreadsheets, and anything at all.
CELLS = st.one_of(
    st.sampled_from(["", " ", "ada@example.com", "07400 123456", "1985-12-10", "31/02/1990",
                     "=1+1", "customer", "a;b|c", "Ada\nLovelace", '"', "\ufeff", "\x00"]),
    st.emails().map(str),
    st.text(max_size=40),
)  # fmt: skip
TABLES = st.lists(st.lists(CELLS, min_size=0, max_size=len(HEADERS) + 2), min_size=0, max_size=12)
names = itertools.count()


def csv_bytes(headers: list[str], rows: list[list[str]], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def attempt(tmp_path, content: bytes, suffix: str) -> None:
    """Upload and run one file; check the outcome is one of the honest ones."""
    path = tmp_path / f"fuzz-{next(names)}{suffix}"
    path.write_bytes(content)
    before = Contact.objects.count()
    try:
        job = services.store_path(actor=actor_for(None), source=path)
    except services.ImportError_ as exc:
        assert str(exc)  # refused, with a message
        assert Contact.objects.count() == before
        return
    mapping = {h: t for h, t in job.mapping.items()}
    if not {"email", "phone"} & set(mapping.values()):
        mapping[job.headers[0]] = "email"
        mapping = {
            h: ("" if t == "email" and h != job.headers[0] else t) for h, t in mapping.items()
        }
    options = {"mapping": mapping, "grants": [], "consent_wording": "", "consent_source": "",
               "existing": "overwrite"}  # fmt: skip
    if services.configure(job=job, options=options):
        assert Contact.objects.count() == before
        return
    done = services.run_job(job)
    created = Contact.objects.count() - before
    if done.status == "failed":
        assert "internal error" not in done.failure, done.failure
        assert created == 0
    else:
        assert done.status == "done"
        assert created == done.created_count
        assert done.created_count + done.updated_count + done.unchanged_count <= done.rows_seen


@FUZZ
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=TABLES,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_is_imported_or_refused_never_crashes(tmp_path, headers, rows, encoding, delimiter):
    attempt(tmp_path, csv_bytes(headers, rows, encoding, delimiter), ".csv")


@FUZZ
@given(content=st.binary(max_size=300))
def test_any_bytes_named_csv_are_imported_or_refused(tmp_path, content):
    attempt(tmp_path, content, ".csv")


def legal(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


@FUZZ
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(
        st.lists(
            st.one_of(
                CELLS.map(legal), st.integers(), st.floats(allow_nan=False), st.dates(), st.none()
            ),
            max_size=8,
        ),
        max_size=10,
    ),
)
def test_any_workbook_is_imported_or_refused(tmp_path, headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    attempt(tmp_path, out.getvalue(), ".xlsx")


@settings(FUZZ, max_examples=10)
@given(
    content=st.one_of(
        st.binary(max_size=200),
        TABLES.map(lambda rows: csv_bytes(["Email", "First name"], rows, "utf-8", ",")),
    )
)
def test_the_upload_page_never_answers_500(owner, content):
    client = client_for(owner)
    response = upload(client, content)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert client.get(response.url).status_code == 200
        job = ImportJob.objects.get(public_id=response.url.strip("/").split("/")[-1])
        data = {f"map-{i}": t for i, t in enumerate(job.mapping.values())}
        data.update(consent="none", existing="update-blanks", action="preview")
        assert client.post(response.url, data).status_code == 200
