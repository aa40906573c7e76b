"""Small helpers for import tests: write a file, make a job for it, run it."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client

from dearly.core.actor import Actor
from dearly.imports import services
from dearly.imports.models import ImportJob

HEADER = "First name,Last name,Email,Phone,Birthday\n"


def write(tmp_path: Path, text: str | bytes, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def actor_for(user: User | None) -> Actor:
    if user is None:
        return Actor.system("tests")
    return Actor(source="ui", user=user, label=user.get_username())


def import_file(path: Path, *, user: User | None = None, **options: Any) -> ImportJob:
    job = services.store_path(actor=actor_for(user), source=path)
    settings = {
        "mapping": job.mapping,
        "grants": [],
        "consent_wording": "",
        "consent_source": "",
        "existing": "update-blanks",
        **options,
    }
    errors = services.configure(job=job, options=settings)
    assert not errors, errors
    return services.run_job(job)


def issues(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.issues.values_list("line", "column", "reason"))


def upload(client: Client, content: bytes, name: str = "contacts.csv") -> Any:
    """Post a file to the wizard's upload form, as the browser does."""
    return client.post("/import/", {"file": SimpleUploadedFile(name, content)})


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `dearly …` as a shell would: (exit code, stdout, stderr). An exception that the
    command does not turn into a message escapes, and fails the test with its traceback."""
    from dearly.cli import main

    # A command run from the shell closes its connections on the way out; here the
    # connection holds the test's transaction, so it stays open for the assertions after.
    close_all = connections.close_all
    connections.close_all = lambda: None  # type: ignore[method-assign]
    code = 0
    try:
        main(["dearly", *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        connections.close_all = close_all  # type: ignore[method-assign]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report_rows(content: str) -> list[list[str]]:
    """An error report parsed back as a spreadsheet would read it."""
    return list(csv.reader(io.StringIO(content)))


def report_from_web(client: Client, job: ImportJob) -> list[list[str]]:
    response = client.get(f"/import/{job.public_id}/errors.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return report_rows(content)
