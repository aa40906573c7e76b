"""Files that cannot be imported get a message a person understands, never a traceback: in
the wizard (shown on the upload page) and in `dearly import contacts` (stderr, exit code)."""

import io
import random
import zipfile

import pytest

from dearly.conftest import client_for
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import run_cli, upload, write

pytestmark = pytest.mark.django_db


def zip_of(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def random_bytes(*, seed: int, low: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(4096))


# (file name, content, words the message must hold)
BAD_FILES = {
    "pdf": ("contacts.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
    "binary": ("contacts.csv", random_bytes(seed=1, low=0), "binary file"),
    # No NUL byte, so it passes for text until its encoding is checked.
    "binary-without-nul": ("contacts.csv", random_bytes(seed=2, low=1), "encoding"),
    "empty": ("contacts.csv", b"", "The file is empty"),
    "header-only": ("contacts.csv", b"First name,Email,Phone\r\n", "no rows of contacts"),
    "blank-first-row": ("contacts.csv", b"\nEmail,Phone\nada@example.com,\n", "first row is empty"),
    "separators-only-first-row": (
        "contacts.csv",
        b",,\nEmail,Phone,Town\nada@example.com,,\n",
        "first row is empty",
    ),
    "old-excel": ("contacts.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "old Excel"),
    "zip": ("contacts.xlsx", zip_of(**{"readme.txt": "hello"}), "not an Excel workbook"),
    "zip-named-csv": ("contacts.csv", zip_of(**{"a.csv": "Email\n"}), "not an Excel workbook"),
    "damaged-zip": ("contacts.xlsx", b"PK\x03\x04" + bytes(200), "damaged"),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_wizard_shows_why_a_bad_file_cannot_be_imported(case, owner, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    name, content, words = case
    response = upload(client_for(owner), content, name=name)
    page = response.content.decode()
    assert response.status_code == 400
    assert words.lower() in page.lower()
    assert 'role="alert"' in page and "Traceback" not in page
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_command_exits_non_zero_with_the_reason_on_stderr(case, tmp_path, capsys):
    name, content, words = case
    path = write(tmp_path, content, name=name)
    code, out, err = run_cli(capsys, "import", "contacts", str(path))
    assert code != 0
    assert words.lower() in err.lower()
    assert "Traceback" not in err and out == ""
    assert not ImportJob.objects.exists()


def test_a_refused_upload_leaves_no_copy_of_the_file_behind(owner, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    upload(client_for(owner), b"Email,Phone\n", name="contacts.csv")
    upload(client_for(owner), b"PK\x03\x04" + bytes(200), name="contacts.xlsx")
    assert list((tmp_path / "uploads").glob("*")) == []


def test_a_file_of_the_wrong_kind_is_refused_before_it_is_stored(owner, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    response = upload(client_for(owner), b"Email\nada@example.com\n", name="contacts.numbers")
    assert response.status_code == 400
    assert "Choose a .csv, .xlsx or .vcf (vCard) file" in response.content.decode()
    assert not (tmp_path / "uploads").exists()


def test_an_upload_without_a_file_asks_for_one(owner):
    response = client_for(owner).post("/import/", {})
    assert response.status_code == 400
    assert "Choose a file to upload" in response.content.decode()
