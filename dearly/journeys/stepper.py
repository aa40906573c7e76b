"""The journey stepper: advance every contact whose next step is due, each step exactly once.

The protocol, for one batch:
1. Open a transaction and claim up to `size` due enrollments of active journeys, oldest
   `next_run_at` first: SELECT … WHERE status='active' AND next_run_at <= now … FOR UPDATE OF
   enrollment SKIP LOCKED on PostgreSQL, so workers share the rows without waiting on each
   other. On SQLite the write lock taken at BEGIN IMMEDIATE makes one stepper at a time.
2. Load what the steps read for the whole batch in a few queries: contacts, their tags and
   granted consents, the versions' definitions, the templates' newest versions.
3. Walk each enrollment (see walk.walk): its side effects (outbox row, task, tag, field) are
   written as its steps run, each in a savepoint, keyed by "journey:<enrollment>:<seq>".
4. Insert the StepRun rows (UNIQUE(enrollment, seq)) and write the enrollments' new step,
   seq and next_run_at in one statement per chunk (writeback), then commit.
A worker killed anywhere before the commit leaves nothing behind: its locks go with its
connection, and the next worker claims the same rows and runs the same steps once. A walk
that raises keeps its enrollment where it was and is tried again an hour later; the writes it
made before are found again by their keys, not made twice.
"""

import datetime as dt
import logging
import os
import socket
import time

from django.db import transaction
from django.db.models import QuerySet

from dearly.delivery.models import OutboxMessage
from dearly.journeys.effects import LiveEffects, queue_messages
from dearly.journeys.facts import BatchFacts, ContactFacts, load_batch
from dearly.journeys.models import (
    Enrollment,
    EnrollmentStatus,
    JourneyStatus,
    JourneyVersion,
    StepRun,
)
from dearly.journeys.walk import State, Steps, walk
from dearly.journeys.writeback import write_back

log = logging.getLogger("dearly.journeys")

BATCH = 500
TIME_BUDGET = 1.0  # seconds per chore call, so the worker gets back to sending
RETRY = dt.timedelta(hours=1)
WORKER = f"{socket.gethostname()}:{os.getpid()}"[:64]


def due(now: dt.datetime) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE,
        next_run_at__lte=now,
        journey__status=JourneyStatus.ACTIVE,
    )


def step_due(now: dt.datetime) -> int:
    """The chore: batches until nothing is due or the time budget is spent; steps taken."""
    started, steps = time.monotonic(), 0
    while time.monotonic() - started < TIME_BUDGET:
        claimed, ran = step_batch(now=now, size=BATCH)
        steps += ran
        if claimed < BATCH:
            break
    return steps


@transaction.atomic
def step_batch(*, now: dt.datetime, size: int = BATCH, worker: str = WORKER) -> tuple[int, int]:
    """One claimed batch, stepped and committed; returns (enrollments claimed, steps run)."""
    claimed = list(
        due(now)
        .select_related("journey")
        .order_by("next_run_at", "id")
        .select_for_update(skip_locked=True, of=("self",))[:size]
    )
    if not claimed:
        return 0, 0
    versions = JourneyVersion.objects.in_bulk({e.version_id for e in claimed})
    steps = {pk: Steps(v.definition) for pk, v in versions.items()}
    template_ids = {
        s["template_id"]
        for v in versions.values()
        for s in v.definition["steps"]
        if s["type"] == "send"
    }
    batch = load_batch((e.contact_id for e in claimed), template_ids)
    runs: list[StepRun] = []
    outbox: list[OutboxMessage] = []
    # Contacts are written in id order, the order the outbox claim locks them: no deadlock.
    for enrollment in sorted(claimed, key=lambda e: e.contact_id):
        ran, queued = advance(enrollment, steps[enrollment.version_id], batch, now=now)
        runs += ran
        outbox += queued
        enrollment.claimed_by, enrollment.claimed_at = worker, now
    queue_messages(outbox)
    StepRun.objects.bulk_create(runs, batch_size=1000)
    write_back(claimed)
    log.info("journeys.batch claimed=%d steps=%d worker=%s", len(claimed), len(runs), worker)
    return len(claimed), len(runs)


def advance(
    enrollment: Enrollment, steps: Steps, batch: BatchFacts, *, now: dt.datetime
) -> tuple[list[StepRun], list[OutboxMessage]]:
    """Walk one enrollment. Each write is its own savepoint (see effects); a walk that raises
    leaves the enrollment where it was, and its redo finds those writes by their keys."""
    contact = batch.contacts.get(enrollment.contact_id)
    if contact is None:  # erased while waiting
        enrollment.status, enrollment.finished_at = EnrollmentStatus.EXITED, now
        enrollment.exit_reason, enrollment.next_run_at = "contact removed", None
        return [], []
    facts = ContactFacts(
        contact=contact,
        tags=batch.tags.setdefault(contact.pk, {}),
        granted=batch.granted.get(contact.pk, set()),
        journey_id=enrollment.journey_id,
        entered_at=enrollment.entered_at,
    )
    effects = LiveEffects(
        enrollment_id=enrollment.pk,
        journey_id=enrollment.journey_id,
        journey_name=enrollment.journey.name,
        facts=facts,
        latest_versions=batch.latest_versions,
    )
    state = State(step_id=enrollment.step_id, waiting=enrollment.waiting, seq=enrollment.seq)
    try:
        ran = walk(state, steps, now=now, facts=facts, effects=effects)
    except Exception:
        log.exception("journeys.step_failed enrollment=%s", enrollment.pk)
        enrollment.next_run_at = now + RETRY
        return [], []
    batch.contacts[contact.pk] = facts.contact
    enrollment.status, enrollment.step_id, enrollment.waiting = (
        state.status,
        state.step_id,
        state.waiting,
    )
    enrollment.seq, enrollment.next_run_at = state.seq, state.next_run_at
    enrollment.finished_at, enrollment.exit_reason = state.finished_at, state.exit_reason
    return [
        StepRun(
            enrollment_id=enrollment.pk,
            seq=r.seq,
            step_id=r.step_id,
            outcome=r.outcome,
            detail=r.detail,
            ran_at=r.at,
        )
        for r in ran
    ], effects.outbox
