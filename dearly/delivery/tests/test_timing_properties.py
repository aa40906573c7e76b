"""Property tests of send windows and quiet hours, over every time zone the system knows, across
daylight-saving changes and the odd offsets (+05:45 Kathmandu, +12:45 Chatham, -09:30
Marquesas). For any instant and any window, `next_allowed` answers an instant that is

1. not before now;
2. inside the window by the recipient's own wall clock (an opening day, at or after the start,
   before the end), and
3. the earliest such: one second earlier is outside the window, unless it is before now.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dearly.delivery.timing import (
    DEFAULT_WINDOWS,
    QUIET_PHONE,
    QUIET_SMS,
    SEARCH_DAYS,
    Window,
    next_allowed,
    zone,
)

pytestmark = pytest.mark.battery

UTC = dt.UTC
ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
ODD_OFFSETS = ["Asia/Kathmandu", "Pacific/Chatham", "Pacific/Marquesas"]
NAMED = [*DEFAULT_WINDOWS.values(), QUIET_SMS, QUIET_PHONE]
SECOND = dt.timedelta(seconds=1)
PROPERTY = settings(
    max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def inside(instant: dt.datetime, time_zone: str, window: Window) -> bool:
    """The rule as a person states it, by the wall clock in the recipient's zone."""
    local = instant.astimezone(zone(time_zone))
    return window.opens_on(local.date()) and window.start <= local.time() < window.end


@lru_cache(maxsize=4096)
def transitions(time_zone: str, year: int) -> tuple[dt.datetime, ...]:
    """The instants in `year` when the zone's offset changes (found to the second)."""
    tz = zone(time_zone)
    found = []
    day = dt.datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        low, high = day, day + dt.timedelta(days=1)
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            while high - low > SECOND:
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = mid
                else:
                    high = mid
            found.append(high.replace(microsecond=0))
        day += dt.timedelta(days=1)
    return tuple(found)


instants = st.datetimes(
    # hypothesis takes naive bounds and makes them aware with `timezones`
    min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2040, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def near_a_change(draw: st.DrawFn, time_zone: str) -> dt.datetime:
    """An instant within a day of one of the zone's offset changes, when it has any."""
    year = draw(st.integers(2000, 2040))
    changes = transitions(time_zone, year)
    if not changes:
        return draw(instants)
    change = draw(st.sampled_from(changes))
    return change + dt.timedelta(seconds=draw(st.integers(-86_400, 86_400)))


times = st.times().map(lambda t: t.replace(microsecond=0))


@st.composite
def windows(draw: st.DrawFn) -> Window:
    if draw(st.booleans()):
        return draw(st.sampled_from(NAMED))
    start, end = sorted(draw(st.lists(times, min_size=2, max_size=2, unique=True)))
    days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
    return Window(days, start, end)


def check(now: dt.datetime, time_zone: str, window: Window) -> None:
    opens = next_allowed(now, time_zone, window)
    if opens is None:  # only when no opening day comes within the search horizon
        local_today = now.astimezone(zone(time_zone)).date()
        days = (local_today + dt.timedelta(days=n) for n in range(SEARCH_DAYS - 1))
        assert not any(window.opens_on(d) and window.start < window.end for d in days)
        return
    assert opens >= now
    assert inside(opens, time_zone, window), opens.astimezone(zone(time_zone))
    earlier = opens - SECOND
    assert earlier < now or not inside(earlier, time_zone, window)


@PROPERTY
@given(time_zone=st.sampled_from(ZONES), now=instants, window=windows())
def test_any_zone_any_instant_gets_the_first_allowed_moment(time_zone, now, window):
    check(now, time_zone, window)


@PROPERTY
@given(data=st.data(), time_zone=st.sampled_from(ZONES), window=windows())
def test_around_daylight_saving_changes_the_window_still_holds(data, time_zone, window):
    check(data.draw(near_a_change(time_zone)), time_zone, window)


@pytest.mark.parametrize("time_zone", ODD_OFFSETS)
@PROPERTY
@given(data=st.data(), window=windows())
@example(data=None, window=QUIET_SMS)
def test_quarter_and_half_hour_offsets_keep_windows_and_quiet_hours(data, time_zone, window):
    now = (
        dt.datetime(2026, 4, 5, 14, 0, tzinfo=UTC)
        if data is None
        else data.draw(near_a_change(time_zone))
    )
    check(now, time_zone, window)
