"""When a series' issues fall: a rule like {"weekdays": [3], "nths": [1, 3], "time": "09:00"}.

`weekdays` are Monday=0 … Sunday=6; `nths` picks which of those weekdays in the month count
(1 … 5, or -1 for the last; empty means every week); `time` is the local clock time. The rule
is read in the business's time zone, so the issue after a daylight-saving change is still at
09:00 on the wall clock. Everything here is pure and takes "after" as an aware datetime.
"""

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from dearly.delivery.timing import local_instant, zone

NTHS = (1, 2, 3, 4, 5, -1)
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# The longest gap a valid rule can have ("the fifth Monday") is well under a year.
SEARCH_DAYS = 800


class RuleError(ValueError):
    """A rule that cannot be used; `errors` maps a rule key to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True, slots=True)
class Rule:
    weekdays: frozenset[int]
    nths: frozenset[int]  # empty: every week
    at: dt.time

    def as_json(self) -> dict[str, Any]:
        return {
            "weekdays": sorted(self.weekdays),
            "nths": sorted(self.nths, key=lambda n: (n < 0, n)),
            "time": f"{self.at:%H:%M}",
        }

    def falls_on(self, day: dt.date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        if not self.nths:
            return True
        nth = (day.day - 1) // 7 + 1
        last = day.day + 7 > monthrange(day.year, day.month)[1]
        return nth in self.nths or (last and -1 in self.nths)


def parse_rule(raw: Any) -> Rule:
    """The rule, or RuleError naming what is wrong with it."""
    if not isinstance(raw, dict):
        raise RuleError({"": "The schedule must be an object with weekdays, nths and time."})
    errors: dict[str, str] = {}
    weekdays = raw.get("weekdays")
    if not _ints_within(weekdays, range(7)) or not weekdays:
        errors["weekdays"] = "Choose at least one day of the week."
    nths = raw.get("nths") or []
    if not _ints_within(nths, NTHS):
        errors["nths"] = "Choose which weeks of the month: first to fifth, or the last."
    time_text = str(raw.get("time", ""))
    match = TIME_RE.match(time_text)
    if not match:
        errors["time"] = "Give the time as HH:MM, for example 09:00."
    if errors:
        raise RuleError(errors)
    assert match is not None
    return Rule(
        weekdays=frozenset(weekdays),  # type: ignore[arg-type]
        nths=frozenset(nths),
        at=dt.time(int(match[1]), int(match[2])),
    )


def _ints_within(value: Any, allowed: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and v in allowed for v in value
    )


def business_zone() -> str:
    """The business's time zone: the installation's (DEARLY_TIME_ZONE)."""
    return str(settings.TIME_ZONE)


def issues_after(rule: Rule, after: dt.datetime, time_zone: str = "") -> Iterator[dt.datetime]:
    """The issue instants strictly after `after`, in order, as aware UTC datetimes."""
    tz = zone(time_zone or business_zone())
    day = after.astimezone(tz).date()
    quiet = 0  # days since the last issue; a rule that never falls stops the search
    while quiet < SEARCH_DAYS:
        if rule.falls_on(day) and (instant := local_instant(day, rule.at, tz)) > after:
            yield instant
            quiet = 0
        else:
            quiet += 1
        day += dt.timedelta(days=1)


def next_issue_at(rule: Rule, after: dt.datetime, time_zone: str = "") -> dt.datetime | None:
    """The first issue strictly after `after`; None only for a rule that never falls."""
    return next(issues_after(rule, after, time_zone), None)


def upcoming(rule: Rule, after: dt.datetime, count: int, time_zone: str = "") -> list[dt.datetime]:
    found: list[dt.datetime] = []
    for instant in issues_after(rule, after, time_zone):
        found.append(instant)
        if len(found) == count:
            break
    return found


def local_date(instant: dt.datetime, time_zone: str = "") -> dt.date:
    return instant.astimezone(zone(time_zone or business_zone())).date()


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NTH_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe_rule(raw: Any) -> str:
    """'the first and third Thursday of the month at 09:00', 'every Monday at 10:30'."""
    try:
        rule = parse_rule(raw)
    except RuleError:
        return "no valid schedule"
    days = _and([DAY_NAMES[d] for d in sorted(rule.weekdays)])
    if not rule.nths:
        return f"every {days} at {rule.at:%H:%M}"
    nths = _and([NTH_NAMES[n] for n in sorted(rule.nths, key=lambda n: (n < 0, n))])
    return f"the {nths} {days} of the month at {rule.at:%H:%M}"
