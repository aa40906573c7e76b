"""When a wait ends, in the contact's own wall time.

Both kinds are computed on the local clock and converted back to UTC at the end, so "2 days"
from 09:00 lands at 09:00 even when the clocks change in between, and "Friday 09:00 to 11:00"
means 09:00 on the contact's Friday whatever the offset is that day. A wall time that does not
exist (inside the spring-forward gap) is read with the offset before the change: 01:30 on the
last Sunday of March in London becomes 02:30 BST, the first moment after the gap.
"""

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def local_wall(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def from_wall(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def after(now: dt.datetime, tz: ZoneInfo, *, days: int = 0, hours: int = 0) -> dt.datetime:
    """`days` and `hours` later on the contact's clock."""
    return from_wall(local_wall(now, tz) + dt.timedelta(days=days, hours=hours), tz)


def next_window(
    now: dt.datetime, tz: ZoneInfo, *, weekdays: list[int], start: dt.time, end: dt.time
) -> dt.datetime:
    """`now` if it is inside a window, else the next window's start (weekday 0 = Monday)."""
    today = local_wall(now, tz).date()
    for offset in range(8):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        opens = from_wall(dt.datetime.combine(day, start), tz)
        closes = from_wall(dt.datetime.combine(day, end), tz)
        if now < opens:
            return opens
        if now < closes:
            return now
    raise ValueError("no weekday given")  # unreachable for a validated step
