"""Several stepper processes on PostgreSQL, one killed with SIGKILL while it holds claimed rows
whose side effects it has written: every step still runs exactly once."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.db import connection
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, StepRun
from dearly.journeys.tests.helpers import make_journey, make_template, send_step, signup
from dearly.touches.models import Task

CONTACTS = 60
BATCH = "10"


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def spawn(env: dict[str, str], now: dt.datetime, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "dearly.journeys.tests.stepping_process",
            now.isoformat(),
            mode,
            BATCH,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_stepper_killed_mid_batch_leaves_every_step_run_exactly_once(
    requires_postgres: None, settings: LazySettings, tmp_path: Path
) -> None:
    template = make_template()
    make_journey(
        [
            send_step(template, "s1", purpose="service", consent_purpose=""),
            {"id": "t1", "type": "task", "kind": "call", "title": "Welcome call", "due_days": 1},
            {"id": "w", "type": "wait", "days": 7},
        ]
    )
    for i in range(CONTACTS):
        signup(make_contact(first_name=f"P{i}", email=f"p{i}@example.com"))
    env = {
        **os.environ,
        "DEARLY_DATABASE_URL": database_url(),
        "DEARLY_SECRET_KEY": settings.SECRET_KEY,
        "DEARLY_DATA_DIR": str(tmp_path),
        "JOURNEYS_GO": str(tmp_path / "go"),
    }
    now = timezone.now() + dt.timedelta(seconds=1)

    frozen = spawn(env, now, "freeze")
    workers = [spawn(env, now, "work") for _ in range(3)]
    assert frozen.stdout is not None
    holding = frozen.stdout.readline().split()
    assert holding[0] == "HOLDING" and int(holding[1]) > 0, "it must hold written side effects"
    (tmp_path / "go").touch()
    deadline = time.monotonic() + 60
    while not StepRun.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # the others are stepping around the frozen rows
    os.kill(frozen.pid, signal.SIGKILL)
    frozen.wait()
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert "DONE" in out

    runs = Counter(StepRun.objects.values_list("enrollment_id", "step_id"))
    assert len(runs) == CONTACTS * 3 and set(runs.values()) == {1}
    assert OutboxMessage.objects.filter(origin_type="journey").count() == CONTACTS
    assert Task.objects.count() == CONTACTS
    walks = Enrollment.objects.all()
    assert {(w.step_id, w.waiting, w.seq) for w in walks} == {("w", True, 3)}
    steppers = set(walks.values_list("claimed_by", flat=True))
    assert "frozen" not in steppers and len(steppers) >= 2  # the work was shared
