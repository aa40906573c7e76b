"""A run that dies part-way is seen as interrupted and resumes after its last committed
chunk: nothing is lost, nothing is imported twice, and the counts add up."""

import datetime as dt
import time
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from dearly.conftest import client_for
from dearly.contacts.models import ConsentEvent, Contact
from dearly.core.actor import Actor
from dearly.imports import services
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import actor_for, issues, write

# Enough rows for more than one chunk of the runner, however it is tuned.
ROWS = 6_000
LATER = dt.timedelta(minutes=3)  # longer than services.STALE_AFTER
GRANT = {
    "grants": [["email", "marketing"]],
    "consent_wording": "Yes, email me offers",
    "consent_source": "Till signup, 2025",
}


class RunnerDied(BaseException):
    """Stands for the process being killed: nothing in the import catches it."""


def die(_seen: int) -> None:
    raise RunnerDied


def big_file(tmp_path: Path) -> Path:
    """ROWS people, a bad row near the end, and the first person again on the last line."""
    lines = ["Email,First name"]
    lines += [f"person{n}@example.com,Name{n}" for n in range(ROWS)]
    lines += ["not-an-email,Bad", "person0@example.com,Renamed"]
    return write(tmp_path, "\n".join(lines) + "\n")


def configured_job(path: Path, actor: Actor) -> ImportJob:
    job = services.store_path(actor=actor, source=path)
    options = {"mapping": job.mapping, "existing": "update-blanks", **GRANT}
    assert services.configure(job=job, options=options) == []
    return job


def interrupted_job(path: Path, actor: Actor) -> ImportJob:
    job = configured_job(path, actor)
    with pytest.raises(RunnerDied):
        services.run_job(job, on_progress=die)
    job.refresh_from_db()
    assert 0 < job.created_count < ROWS, "the file must span more than one chunk"
    return job


def assert_finished_once(job: ImportJob) -> None:
    job.refresh_from_db()
    assert job.status == "done", job.failure
    assert Contact.objects.count() == ROWS
    assert (job.created_count, job.bad_count, job.rows_seen) == (ROWS, 1, ROWS + 2)
    assert ConsentEvent.objects.count() == ROWS
    # the first person again on the last line: one contact, the later row wins
    assert Contact.objects.get(email="person0@example.com").first_name == "Renamed"
    assert [line for line, _, _ in issues(job) if line > ROWS] == [ROWS + 2, ROWS + 3]


@pytest.mark.django_db
def test_a_run_that_died_resumes_after_its_last_chunk_without_duplicates(tmp_path, owner):
    job = interrupted_job(big_file(tmp_path), actor_for(owner))
    assert job.status == "running" and not services.is_interrupted(job)
    with pytest.raises(services.ImportError_, match="already running"):
        services.run_job(job)  # its heart still beats: it may be alive
    with time_machine.travel(timezone.now() + LATER, tick=True):
        assert services.is_interrupted(job)
        services.run_job(job)
    assert_finished_once(job)


@pytest.mark.django_db
def test_the_job_page_shows_an_interrupted_import_with_a_resume_button(tmp_path, owner):
    job = configured_job(write(tmp_path, "Email\nada@example.com\n"), actor_for(owner))
    assert services.claim(job)  # a runner took it, then its process died
    client = client_for(owner)
    assert "interrupted" not in client.get(f"/import/{job.public_id}/").content.decode()
    with time_machine.travel(timezone.now() + LATER, tick=True):
        page = client.get(f"/import/{job.public_id}/").content.decode()
        fragment = client.get(f"/import/{job.public_id}/progress/").content.decode()
    assert "This import was interrupted at line" in page
    assert f'action="/import/{job.public_id}/resume/"' in page and ">Resume</button>" in page
    assert ">Resume</button>" in fragment


@pytest.mark.django_db
def test_resuming_a_job_whose_runner_is_alive_starts_no_second_runner(tmp_path, owner):
    job = configured_job(write(tmp_path, "Email\nada@example.com\n"), actor_for(owner))
    assert services.claim(job)
    response = client_for(owner).post(f"/import/{job.public_id}/resume/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "running" and not Contact.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_resume_button_finishes_an_interrupted_import_in_the_background(tmp_path, owner):
    job = interrupted_job(big_file(tmp_path), actor_for(owner))
    with time_machine.travel(timezone.now() + LATER, tick=True):
        response = client_for(owner).post(f"/import/{job.public_id}/resume/")
        assert response.status_code == 302
        deadline = time.monotonic() + 60
        while ImportJob.objects.get(pk=job.pk).status != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
    assert_finished_once(job)
