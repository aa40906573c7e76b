"""Yearly dates (birthdays, anniversaries) in each contact's own time zone.

1. "In the next N days" means the N local days starting today: run weekly with N=7 and every
   birthday is caught exactly once. "Today" is the one-day window.
2. Each contact's today is the date on their own clock: Kiritimati (+14) may already be on
   Tuesday while Pago Pago (-11) is still on Monday. A blank or unknown time zone means the
   business's (settings.TIME_ZONE).
3. The zones in use come from one DISTINCT query; zones that share today's date share one
   window, so at any instant there are at most three windows whatever the number of zones.
4. A window is a few ranges of month*100+day (1228-1231 and 101-103 across the year end), so the
   database compares one integer per row and no year arithmetic happens per contact.
5. A 29 February date counts on 28 February in years without one.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings


@cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def local_today(name: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zone(name)).date()


def zones_by_local_date(names: Iterable[str], now: dt.datetime) -> dict[dt.date, list[str]]:
    """The zone names in use, grouped by the date it is there now."""
    groups: dict[dt.date, list[str]] = defaultdict(list)
    for name in names:
        groups[local_today(name, now)].append(name)
    return dict(groups)


def month_day_ranges(start: dt.date, days: int) -> list[tuple[int, int]]:
    """The month*100+day ranges (inclusive) covering `days` dates from `start`."""
    codes: set[int] = set()
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        codes.add(day.month * 100 + day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            codes.add(229)
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and _next_code(ranges[-1][1]) >= code:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _next_code(code: int) -> int:
    """The month*100+day code after `code`, treating every month as ending where dates do."""
    month, day = divmod(code, 100)
    last = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    return (month + 1) * 100 + 1 if day >= last else code + 1
