"""Phases of a rhythm: how often, for how long since the contact's stage began.

Stored as [{"until_days": 180, "every_days": 30}, {"every_days": 90}]: every 30 days while the
stage is younger than 180 days, then every 90. `until_days` grows from phase to phase; the last
phase has none and never ends.
"""

from dataclasses import dataclass
from typing import Any

MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class Phase:
    every_days: int
    until_days: int | None  # None: open-ended (the last phase)


def check(phases: Any) -> tuple[list[Phase], dict[str, str]]:
    """The phases, or errors keyed by field path ("phases.1.every_days")."""
    if not isinstance(phases, list) or not phases:
        return [], {"phases": "Add at least one phase: every how many days."}
    errors: dict[str, str] = {}
    out: list[Phase] = []
    previous = 0
    for i, raw in enumerate(phases):
        at = f"phases.{i}"
        if not isinstance(raw, dict):
            errors[at] = "Each phase says every how many days."
            continue
        every = _days(raw.get("every_days"))
        if every is None:
            errors[f"{at}.every_days"] = f"A whole number of days from 1 to {MAX_DAYS}."
        last = i == len(phases) - 1
        until = raw.get("until_days")
        if last and until not in (None, ""):
            errors[f"{at}.until_days"] = "The last phase goes on for good: leave its end empty."
            until = None
        elif not last:
            until = _days(until)
            if until is None or until <= previous:
                errors[f"{at}.until_days"] = (
                    f"Say how long this phase lasts: it must end after day {previous}."
                )
            else:
                previous = until
        out.append(Phase(every_days=every or 1, until_days=until if not last else None))
    return (out if not errors else []), errors


def as_json(phases: list[Phase]) -> list[dict[str, int]]:
    return [
        {"every_days": p.every_days}
        if p.until_days is None
        else {"until_days": p.until_days, "every_days": p.every_days}
        for p in phases
    ]


def load(stored: list[dict[str, Any]]) -> list[Phase]:
    return [Phase(every_days=int(p["every_days"]), until_days=p.get("until_days")) for p in stored]


def describe(stored: list[dict[str, Any]]) -> str:
    """ "every 30 days for 180 days, then every 90 days"."""
    parts, start = [], 0
    for p in load(stored):
        every = f"every {p.every_days} days" if p.every_days != 1 else "every day"
        if p.until_days is None:
            parts.append(every)
        else:
            parts.append(f"{every} for {p.until_days - start} days")
            start = p.until_days
    return ", then ".join(parts)


def interval_at(stored: list[dict[str, Any]], age_days: float) -> int:
    """The interval that applies when the stage is `age_days` old."""
    for p in load(stored):
        if p.until_days is None or age_days < p.until_days:
            return p.every_days
    return load(stored)[-1].every_days


def _days(value: Any) -> int | None:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and value != days:
        return None
    return days if 1 <= days <= MAX_DAYS else None
