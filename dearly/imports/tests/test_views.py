import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dearly.conftest import client_for
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import HEADER

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name="contacts.csv"):
    return client.post("/import/", {"file": SimpleUploadedFile(name, content)})


def test_branch_staff_cannot_open_the_import_page(north_staff):
    assert client_for(north_staff).get("/import/").status_code == 403


def test_uploading_a_pdf_renamed_csv_says_what_it_is(owner):
    response = upload(client_for(owner), b"%PDF-1.7\n%binary")
    assert response.status_code == 400
    assert "PDF document" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_preview_shows_stored_values_and_the_errors_of_bad_rows(owner):
    client = client_for(owner)
    response = upload(client, (HEADER + "Ada,L,ADA@Example.com,,\nBo,B,nope,,\n").encode())
    job = ImportJob.objects.get()
    assert response.url == f"/import/{job.public_id}/"
    data = {f"map-{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    data.update(consent="none", existing="update-blanks", action="preview")
    page = client.post(response.url, data).content.decode()
    assert "ada@example.com" in page
    assert "not a valid email address" in page


def test_granting_consent_without_evidence_is_refused(owner):
    client = client_for(owner)
    response = upload(client, (HEADER + "Ada,L,ada@example.com,,\n").encode())
    job = ImportJob.objects.get()
    data = {f"map-{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    data.update(consent="grant", grants="email:marketing", existing="skip", action="run")
    page = client.post(response.url, data).content.decode()
    assert "needs its evidence" in page
    job.refresh_from_db()
    assert job.status == "uploaded"
