"""Periodic chores run by the workers: the journey stepper, the daily date-trigger pass, the
overdue pass, recurring campaigns.

1. Apps register their chores in `AppConfig.ready()` with how often they run.
2. Each loop a worker calls `run_due(now)`. For each chore it tries one conditional UPDATE:
   `next_run_at = now + every WHERE name = %s AND next_run_at <= now`. The worker whose UPDATE
   changed a row runs the chore; every other worker sees zero rows and moves on. No lock is
   held while the chore runs.
3. A worker that dies mid-chore leaves it to run again at the next period, so chores are
   written to be idempotent (they resume from durable state, never from memory).
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from dearly.core.models import ChoreRun

log = logging.getLogger("dearly.chores")

ChoreFn = Callable[[dt.datetime], int]  # returns how much work it did (0 when idle)


@dataclass(frozen=True, slots=True)
class Chore:
    name: str
    every: dt.timedelta
    fn: ChoreFn


REGISTRY: dict[str, Chore] = {}


def register(name: str, *, every: dt.timedelta, fn: ChoreFn) -> None:
    REGISTRY[name] = Chore(name=name, every=every, fn=fn)


def claim(chore: Chore, now: dt.datetime) -> bool:
    """True when this caller won the chore's current period."""
    updated = ChoreRun.objects.filter(name=chore.name, next_run_at__lte=now).update(
        next_run_at=now + chore.every, last_started_at=now
    )
    if updated:
        return True
    if ChoreRun.objects.filter(name=chore.name).exists():
        return False
    try:
        with transaction.atomic():
            ChoreRun.objects.create(
                name=chore.name, next_run_at=now + chore.every, last_started_at=now
            )
    except IntegrityError:  # another worker created it first and runs it
        return False
    return True


def run_due(now: dt.datetime, *, names: set[str] | None = None) -> int:
    """Run every registered chore whose period has come; returns the work done."""
    done = 0
    for chore in list(REGISTRY.values()):
        if names is not None and chore.name not in names:
            continue
        if not claim(chore, now):
            continue
        started = time.monotonic()
        try:
            work = chore.fn(now)
        except Exception:
            log.exception("chore.failed name=%s", chore.name)
            ChoreRun.objects.filter(name=chore.name).update(last_result="failed")
            continue
        done += work
        ChoreRun.objects.filter(name=chore.name).update(
            last_finished_at=now, last_result=f"{work} in {time.monotonic() - started:.2f}s"
        )
        if work:
            log.info("chore.done name=%s work=%d", chore.name, work)
    return done
