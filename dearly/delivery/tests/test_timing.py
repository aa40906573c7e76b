import datetime as dt

import pytest

from dearly.delivery.timing import (
    DEFAULT_WINDOWS,
    QUIET_PHONE,
    QUIET_SMS,
    Window,
    allowed_now,
    local_instant,
    next_allowed,
    zone,
)

UTC = dt.UTC
PROMO = DEFAULT_WINDOWS["promotional"]
INFO = DEFAULT_WINDOWS["informational"]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_promotion_on_a_monday_waits_for_tuesday_morning_local_time():
    monday_noon_london = utc(2026, 11, 23, 12, 0)
    assert next_allowed(monday_noon_london, "Europe/London", PROMO) == utc(2026, 11, 24, 9, 0)


def test_inside_the_window_it_may_go_at_once():
    tuesday_10_london = utc(2026, 11, 24, 10, 0)
    assert allowed_now(tuesday_10_london, "Europe/London", PROMO)


def test_after_hours_on_thursday_waits_until_the_next_tuesday():
    thursday_late = utc(2026, 11, 26, 20, 30)
    assert next_allowed(thursday_late, "Europe/London", PROMO) == utc(2026, 12, 1, 9, 0)


def test_informational_goes_on_friday_or_sunday():
    saturday = utc(2026, 11, 28, 12, 0)
    assert next_allowed(saturday, "Europe/London", INFO) == utc(2026, 11, 29, 9, 0)


@pytest.mark.parametrize(
    ("tz", "expected_utc"),
    [
        ("Asia/Kathmandu", utc(2026, 11, 24, 3, 15)),  # +05:45
        ("Pacific/Chatham", utc(2026, 11, 23, 19, 15)),  # +13:45 in (southern) summer
        ("Pacific/Kiritimati", utc(2026, 11, 23, 19, 0)),  # +14:00: Tuesday starts early
        ("America/St_Johns", utc(2026, 11, 24, 12, 30)),  # -03:30
    ],
)
def test_odd_offsets_open_at_nine_local(tz, expected_utc):
    monday_early_utc = utc(2026, 11, 23, 0, 0)
    assert next_allowed(monday_early_utc, tz, PROMO) == expected_utc
    assert expected_utc.astimezone(zone(tz)).time() == dt.time(9, 0)


def test_a_window_opening_inside_the_spring_forward_gap_opens_when_clocks_jump():
    # London skips 01:00-02:00 on 29 March 2026.
    window = Window(start=dt.time(1, 30), end=dt.time(5, 0))
    before = utc(2026, 3, 29, 0, 30)
    opens = next_allowed(before, "Europe/London", window)
    assert opens == utc(2026, 3, 29, 1, 0)  # 02:00 BST, the first instant after the gap
    assert opens.astimezone(zone("Europe/London")).time() == dt.time(2, 0)


def test_in_the_autumn_fold_the_earlier_instant_is_used():
    # London repeats 01:00-02:00 on 25 October 2026.
    first = local_instant(dt.date(2026, 10, 25), dt.time(1, 30), zone("Europe/London"))
    assert first == utc(2026, 10, 25, 0, 30)


def test_the_window_follows_daylight_saving_across_the_change():
    # Tuesday 9:00 in New York is 13:00 UTC in daylight time and 14:00 UTC after 1 November.
    before = next_allowed(utc(2026, 10, 26, 0, 0), "America/New_York", PROMO)
    after = next_allowed(utc(2026, 11, 2, 0, 0), "America/New_York", PROMO)
    assert before == utc(2026, 10, 27, 13, 0)
    assert after == utc(2026, 11, 3, 14, 0)


def test_holidays_close_the_window():
    tuesday = dt.date(2026, 11, 24)
    window = Window(PROMO.days, PROMO.start, PROMO.end, frozenset({tuesday}))
    assert next_allowed(utc(2026, 11, 24, 10, 0), "Europe/London", window) == utc(
        2026, 11, 25, 9, 0
    )


def test_texts_never_go_at_night_and_calls_never_at_weekends():
    late_evening = utc(2026, 11, 24, 22, 0)
    assert not allowed_now(late_evening, "Europe/London", QUIET_SMS)
    assert next_allowed(late_evening, "Europe/London", QUIET_SMS) == utc(2026, 11, 25, 8, 0)
    saturday = utc(2026, 11, 28, 11, 0)
    assert next_allowed(saturday, "Europe/London", QUIET_PHONE) == utc(2026, 11, 30, 9, 0)


def test_an_unknown_time_zone_falls_back_to_utc_rather_than_failing():
    assert next_allowed(utc(2026, 11, 24, 10, 0), "Mars/Olympus", PROMO) == utc(2026, 11, 24, 10, 0)


def test_a_window_that_never_opens_gives_none():
    never = Window(days=frozenset())
    assert next_allowed(utc(2026, 11, 24, 10, 0), "Europe/London", never) is None


def test_a_window_lying_wholly_in_the_spring_forward_gap_is_closed_that_day():
    # London skips 01:00-02:00 on Sunday 29 March 2026; a 01:10-01:50 window never shows.
    window = Window(start=dt.time(1, 10), end=dt.time(1, 50))
    monday_0110_bst = utc(2026, 3, 30, 0, 10)
    assert next_allowed(utc(2026, 3, 29, 0, 30), "Europe/London", window) == monday_0110_bst


def test_when_the_clock_goes_back_below_the_start_it_waits_for_the_start_again():
    # Chatham goes from 03:45 back to 02:45 on 5 April 2026 (14:00 UTC): at 02:50 on the second
    # pass a 03:00-04:00 window is not open, whatever the first pass was.
    window = Window(start=dt.time(3, 0), end=dt.time(4, 0))
    second_pass_0250 = utc(2026, 4, 4, 14, 5)
    assert second_pass_0250.astimezone(zone("Pacific/Chatham")).time() == dt.time(2, 50)
    assert next_allowed(second_pass_0250, "Pacific/Chatham", window) == utc(2026, 4, 4, 14, 15)
