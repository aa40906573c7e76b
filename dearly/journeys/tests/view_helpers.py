"""Helpers for the journey page tests: the builder's form data and enrolments put at steps."""

import datetime as dt
from typing import Any

from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.journeys.models import Enrollment, EnrollmentStatus, Journey, StepRun


def form_data(
    name: str, steps: list[dict[str, str]], *, action: str = "save", **meta: str
) -> dict[str, Any]:
    """What the builder posts: the journey's fields and `s<i>-<field>` per step."""
    data: dict[str, Any] = {
        "name": name,
        "trigger_type": "event",
        "trigger_event": "signup",
        "reentry": "never",
        "goal_type": "none",
        "start": "active",
        "action": action,
        "steps": str(len(steps)),
        **meta,
    }
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"s{i}-{key}"] = value
    return data


def put_at(
    journey: Journey,
    contact: Contact,
    step_id: str,
    *,
    status: str = EnrollmentStatus.ACTIVE,
    passed: tuple[str, ...] = (),
    exit_reason: str = "",
) -> Enrollment:
    """An enrolment sitting at `step_id`, having run the steps in `passed`."""
    now = timezone.now()
    assert journey.version is not None
    enrollment = Enrollment.objects.create(
        journey=journey,
        version=journey.version,
        contact=contact,
        step_id=step_id,
        status=status,
        occurrence=f"test:{contact.pk}",
        entered_at=now - dt.timedelta(days=1),
        next_run_at=now if status == EnrollmentStatus.ACTIVE else None,
        exit_reason=exit_reason,
        seq=len(passed),
    )
    StepRun.objects.bulk_create(
        StepRun(enrollment=enrollment, seq=i, step_id=sid, outcome="ok", ran_at=now)
        for i, sid in enumerate(passed)
    )
    return enrollment
