"""Opening hours: one list of open periods per weekday, e.g. {"mon": [["09:00", "17:30"]]}.

People type a day as "09:00-17:30" (hyphen or en dash) or "09:00-12:30, 13:30-17:00";
blank or "closed" means closed. Every period must open before it closes and
periods must not overlap.
"""

import itertools
import re
from typing import Any

DAYS = (
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
)
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
EN_DASH = "\u2013"  # times are shown as 09:00, en dash, 17:30
_DASH = re.compile(r"\s*(?:-|\u2013|\u2014|to)\s*")

Hours = dict[str, list[list[str]]]


class HoursError(ValueError):
    def __init__(self, day: str, message: str) -> None:
        super().__init__(message)
        self.day = day


def _time(raw: str, day: str) -> str:
    match = _TIME.fullmatch(raw.strip())
    if not match:
        raise HoursError(day, f"“{raw.strip()}” is not a time; write it like 09:00 or 17:30")
    return f"{int(match[1]):02d}:{match[2]}"


def _period(raw: str, day: str) -> list[str]:
    parts = _DASH.split(raw.strip())
    if len(parts) != 2:
        raise HoursError(day, f"“{raw.strip()}” should look like 09:00{EN_DASH}17:30")
    return [_time(parts[0], day), _time(parts[1], day)]


def check_day(day: str, periods: list[list[str]]) -> list[list[str]]:
    """The periods, sorted; raises HoursError if one closes before it opens or two overlap."""
    periods = sorted([_time(o, day), _time(c, day)] for o, c in periods)
    for opens, closes in periods:
        if opens >= closes:
            raise HoursError(
                day, f"{opens}{EN_DASH}{closes}: the opening time must come before closing"
            )
    for (_, closes), (opens, _) in itertools.pairwise(periods):
        if opens < closes:
            raise HoursError(day, f"the periods overlap around {opens}")
    return periods


def parse_day(day: str, text: str) -> list[list[str]]:
    text = text.strip()
    if not text or text.lower() == "closed":
        return []
    return check_day(day, [_period(p, day) for p in re.split(r"[,;]", text) if p.strip()])


def check_hours(hours: Any) -> Hours:
    """Validate a whole week as stored; unknown days are refused rather than silently kept."""
    if not isinstance(hours, dict):
        raise HoursError("", "opening hours must map weekdays to lists of periods")
    names = {d for d, _ in DAYS}
    for day in hours:
        if day not in names:
            raise HoursError(day, f"“{day}” is not a weekday (use mon…sun)")
    return {day: check_day(day, [list(p) for p in hours.get(day) or []]) for day, _ in DAYS}


def periods_text(periods: list[list[str]]) -> str:
    """The periods as the form shows them, comma-separated; empty when closed."""
    return ", ".join(f"{o}{EN_DASH}{c}" for o, c in periods)


def week(hours: Hours) -> list[tuple[str, str]]:
    """(day label, periods or "Closed") for Monday to Sunday, for display."""
    return [(label, periods_text(hours.get(day) or []) or "Closed") for day, label in DAYS]
