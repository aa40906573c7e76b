"""When a message may go, in the recipient's own local time (F1 send windows, F2 quiet hours).

Everything here is pure: it takes "now" as an aware UTC datetime and returns aware datetimes,
so tests can walk across daylight-saving changes and odd offsets (+05:45, +12:45, +14:00).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from dearly.core.zones import zone

UTC = dt.UTC
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
EVERY_DAY = frozenset(range(7))
SEARCH_DAYS = 21  # a window that never opens within three weeks is treated as closed


@dataclass(frozen=True, slots=True)
class Window:
    """Days of the week and a daily time span (local time) in which sending is allowed."""

    days: frozenset[int] = EVERY_DAY
    start: dt.time = dt.time(0, 0)
    end: dt.time = dt.time(23, 59, 59)
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def opens_on(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays


# The articles' advice (002): informational content on Friday or Sunday, purchase prompts
# Tuesday to Thursday, both in daytime. Service messages (an order delay) go at any time.
DEFAULT_WINDOWS: dict[str, Window] = {
    "informational": Window(frozenset({FRI, SUN}), dt.time(9, 0), dt.time(20, 0)),
    "promotional": Window(frozenset({TUE, WED, THU}), dt.time(9, 0), dt.time(20, 0)),
    "service": Window(),
}
# With send windows switched off (the demo): every purpose may go at any time.
ANY_TIME: dict[str, Window] = dict.fromkeys(DEFAULT_WINDOWS, Window())


def windows_in_force() -> dict[str, Window]:
    """The windows the outbox applies now: the defaults, or any time for every purpose when
    send windows are switched off (settings.SEND_WINDOWS; DEARLY_SEND_WINDOWS_OFF=1, the demo).
    Whatever tells people when mail goes reads this too, so it says what will happen."""
    return DEFAULT_WINDOWS if settings.SEND_WINDOWS else ANY_TIME


# Quiet hours for texts and calls: never at night; calls never at weekends (F2).
QUIET_SMS = Window(EVERY_DAY, dt.time(8, 0), dt.time(21, 0))
QUIET_PHONE = Window(frozenset({MON, TUE, WED, THU, FRI}), dt.time(9, 0), dt.time(19, 0))


def local_instant(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant the local clock shows `at` on `day`; inside a spring-forward gap, the first
    instant after it (when the clocks jump); in an autumn fold, the earlier of the two."""
    naive = dt.datetime.combine(day, at)
    early = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if early.astimezone(tz).replace(tzinfo=None) == naive:
        return early
    # A gap: fold=1 maps with the offset after the jump (an instant before the gap), fold=0
    # with the offset before it (after the gap). The jump lies between; find it to the second.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = early
    after_offset = high.astimezone(tz).utcoffset()
    while high - low > dt.timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).utcoffset() == after_offset:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0)


def next_allowed(now: dt.datetime, time_zone: str, window: Window) -> dt.datetime | None:
    """The earliest instant at or after `now` inside the window in `time_zone`, or None when
    the window does not open within SEARCH_DAYS."""
    tz = zone(time_zone)
    today = now.astimezone(tz).date()
    for offset in range(SEARCH_DAYS):
        day = today + dt.timedelta(days=offset)
        if not window.opens_on(day):
            continue
        start = local_instant(day, window.start, tz)
        end = local_instant(day, window.end, tz)
        if end <= start:  # the whole window fell in a spring-forward gap: none that day
            continue
        if now < start:
            return start
        if now < end:
            if now.astimezone(tz).time() >= window.start:
                return now
            # In an autumn fold the clock went back below the start: it reads the start again
            # on its second pass.
            return dt.datetime.combine(day, window.start).replace(tzinfo=tz, fold=1).astimezone(UTC)
    return None


def allowed_now(now: dt.datetime, time_zone: str, window: Window) -> bool:
    return next_allowed(now, time_zone, window) == now


def at_usual_hour(window: Window, hour: int | None) -> Window:
    """The window narrowed to the person's usual hour (F3) when that hour starts inside it;
    otherwise the window itself, so the message goes when it opens."""
    if hour is None:
        return window
    start = dt.time(hour)
    if not (window.start <= start < window.end):
        return window
    end = dt.time(hour + 1) if hour < 23 else dt.time(23, 59, 59)
    return Window(window.days, start, min(end, window.end), window.holidays)
