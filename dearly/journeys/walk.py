"""Walking one contact through a journey's steps: the part the stepper and the rehearsal share.

`walk` runs steps from the contact's current one until it reaches a wait that has not ended,
or the journey ends. Conditions read `Facts`; everything that changes the world goes through
`Effects`, which the stepper implements with real writes and the rehearsal with descriptions.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from dearly.contacts.models import Contact
from dearly.journeys.definition import CONTACT_FIELDS, EXIT, parse_time
from dearly.journeys.models import EnrollmentStatus
from dearly.journeys.waits import after, next_window

# More steps than this in one go without a wait is a loop of branches; it resumes later.
MAX_STEPS_PER_WALK = 50
LOOP_PAUSE = dt.timedelta(hours=1)


@dataclass
class State:
    step_id: str
    waiting: bool = False
    seq: int = 0
    status: str = EnrollmentStatus.ACTIVE
    next_run_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    exit_reason: str = ""


@dataclass(frozen=True, slots=True)
class Ran:
    seq: int
    step_id: str
    outcome: str
    detail: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Result:
    outcome: str
    detail: str = ""
    goto: str | None = None  # a step id, EXIT, or None for the next step
    until: dt.datetime | None = None  # wait until then


class Facts(Protocol):
    contact: Contact
    tz: ZoneInfo

    def has_tag(self, name: str) -> bool: ...

    def engaged(self, kind: str) -> bool: ...  # opened_last, clicked_last, replied


class Effects(Protocol):
    def send(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result: ...

    def task(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result: ...

    def tag(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result: ...

    def set_field(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result: ...


@dataclass
class Steps:
    definition: dict[str, Any]
    by_id: dict[str, dict[str, Any]] = field(init=False)
    following: dict[str, str | None] = field(init=False)

    def __post_init__(self) -> None:
        steps = self.definition["steps"]
        self.by_id = {s["id"]: s for s in steps}
        ids = [s["id"] for s in steps]
        self.following = dict(zip(ids, [*ids[1:], None], strict=True))


def walk(
    state: State, steps: Steps, *, now: dt.datetime, facts: Facts, effects: Effects
) -> list[Ran]:
    """Advance `state` in place as far as it goes at `now`; returns the steps that ran."""
    ran: list[Ran] = []
    goal = steps.definition.get("goal") or {}
    if goal.get("tag") and facts.has_tag(goal["tag"]):
        finish(state, now, EnrollmentStatus.EXITED, "goal reached")
        return ran
    for _ in range(MAX_STEPS_PER_WALK):
        step = steps.by_id.get(state.step_id)
        if step is None:
            finish(state, now, EnrollmentStatus.DONE)
            return ran
        if state.waiting:
            # Woken after its window closed (the journey was paused, or no worker ran):
            # a window means the window, so it waits for the next one.
            if step["type"] == "wait_until" and (until := window(step, facts, now)) > now:
                state.next_run_at = until
                return ran
            state.waiting = False
            if not move(state, steps.following[step["id"]], now):
                return ran
            continue
        result = run_step(step, state.seq, now=now, facts=facts, effects=effects)
        ran.append(Ran(state.seq, step["id"], result.outcome, result.detail[:300], now))
        state.seq += 1
        if result.until is not None and result.until > now:
            state.waiting = True
            state.next_run_at = result.until
            return ran
        target = result.goto if result.goto is not None else steps.following[step["id"]]
        if not move(state, target, now, reason=result.detail or "exit step"):
            return ran
    state.next_run_at = now + LOOP_PAUSE
    return ran


def move(state: State, target: str | None, now: dt.datetime, *, reason: str = "") -> bool:
    """Go to `target`; False when that ends the walk (past the last step, or an exit)."""
    if target is None:
        finish(state, now, EnrollmentStatus.DONE)
        return False
    if target == EXIT:
        finish(state, now, EnrollmentStatus.EXITED, reason)
        return False
    state.step_id = target
    return True


def finish(state: State, now: dt.datetime, status: str, reason: str = "") -> None:
    state.status = status
    state.finished_at = now
    state.next_run_at = None
    state.waiting = False
    state.exit_reason = reason[:200]


def run_step(
    step: dict[str, Any], seq: int, *, now: dt.datetime, facts: Facts, effects: Effects
) -> Result:
    kind = step["type"]
    if kind == "wait":
        until = after(now, facts.tz, days=step.get("days", 0), hours=step.get("hours", 0))
        return Result("waiting", f"until {until.isoformat()}", until=until)
    if kind == "wait_until":
        until = window(step, facts, now)
        if until <= now:
            return Result("in window")
        return Result("waiting", f"until {until.isoformat()}", until=until)
    if kind == "branch":
        met = condition_met(step["condition"], facts)
        target = step.get("then" if met else "else")
        return Result("yes" if met else "no", "condition met" if met else "not met", goto=target)
    if kind == "send":
        return effects.send(step, seq, now)
    if kind == "task":
        return effects.task(step, seq, now)
    if kind in ("add_tag", "remove_tag"):
        return effects.tag(step, seq, now)
    if kind == "set_field":
        return effects.set_field(step, seq, now)
    return Result("exited", "exit step", goto=EXIT)


def window(step: dict[str, Any], facts: Facts, now: dt.datetime) -> dt.datetime:
    return next_window(
        now,
        facts.tz,
        weekdays=step["weekdays"],
        start=parse_time(step["start"]) or dt.time(9),
        end=parse_time(step["end"]) or dt.time(17),
    )


def condition_met(condition: dict[str, Any], facts: Facts) -> bool:
    kind = condition["kind"]
    contact = facts.contact
    if kind in ("opened_last", "clicked_last", "replied"):
        return facts.engaged(kind)
    if kind == "has_tag":
        return facts.has_tag(condition["tag"])
    if kind == "lifecycle":
        return bool(contact.lifecycle_stage == condition["stage"])
    value = field_value(contact, condition["field"])
    if condition["op"] == "set":
        return value != ""
    if condition["op"] == "empty":
        return value == ""
    return value.casefold() == str(condition.get("value", "")).strip().casefold()


def field_value(contact: Contact, name: str) -> str:
    if name in CONTACT_FIELDS or name == "lifecycle_stage":
        raw = getattr(contact, name)
    else:
        raw = (contact.custom_fields or {}).get(name)
    return "" if raw is None else str(raw).strip()
