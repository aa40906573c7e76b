"""Small helpers for import tests: write a file, make a job for it, run it."""

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

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
