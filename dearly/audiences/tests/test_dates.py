"""Birthdays and anniversaries fall on the contact's own calendar, over year ends and leap days."""

import datetime as dt

import pytest
import time_machine

from dearly.audiences.dates import month_day_ranges
from dearly.audiences.tests.helpers import cond, names, tree
from dearly.conftest import make_contact

pytestmark = pytest.mark.django_db

NEXT_WEEK = tree(cond("birthday", "in_next_days", 7))
TODAY = tree(cond("birthday", "today"))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> time_machine.travel:
    instant = dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)
    return time_machine.travel(instant, tick=False)


def born(name: str, birthday: str, time_zone: str = "") -> None:
    make_contact(first_name=name, birthday=birthday, time_zone=time_zone)


def test_the_next_seven_days_run_across_the_year_end(owner):
    born("Dec27", "1980-12-27")
    born("Dec28", "1980-12-28")
    born("Jan3", "1990-01-03")
    born("Jan4", "1990-01-04")
    with at(2026, 12, 28, 12):
        assert names(owner, NEXT_WEEK) == {"Dec28", "Jan3"}


def test_a_leap_day_birthday_counts_on_28_february_in_other_years(owner):
    born("Leap", "2000-02-29")
    born("Mar1", "1990-03-01")
    with at(2027, 2, 28, 12):
        assert names(owner, TODAY) == {"Leap"}
    with at(2027, 3, 1, 12):
        assert names(owner, TODAY) == {"Mar1"}
    with at(2028, 2, 28, 12):
        assert names(owner, TODAY) == set()
    with at(2028, 2, 29, 12):
        assert names(owner, TODAY) == {"Leap"}
    with at(2027, 2, 25, 12):
        assert names(owner, NEXT_WEEK) == {"Leap", "Mar1"}


def test_anniversaries_use_the_same_calendar(owner):
    make_contact(first_name="Wed", anniversary="2010-07-01")
    with at(2026, 6, 28, 12):
        assert names(owner, tree(cond("anniversary", "in_next_days", 7))) == {"Wed"}
        assert names(owner, tree(cond("anniversary", "today"))) == set()


def test_kiritimati_is_a_day_ahead_of_utc(owner):
    born("KiriTomorrow", "1985-06-16", "Pacific/Kiritimati")
    born("KiriToday", "1985-06-15", "Pacific/Kiritimati")
    born("London", "1985-06-15", "Europe/London")
    with at(2026, 6, 15, 10, 30):  # 00:30 on 16 June in Kiritimati (+14)
        assert names(owner, TODAY) == {"KiriTomorrow", "London"}


def test_pago_pago_is_a_day_behind_utc(owner):
    born("PagoYesterday", "1985-06-14", "Pacific/Pago_Pago")
    born("PagoToday", "1985-06-15", "Pacific/Pago_Pago")
    born("Week", "1985-06-20", "Pacific/Pago_Pago")
    born("Late", "1985-06-21", "Pacific/Pago_Pago")
    with at(2026, 6, 15, 10, 30):  # 23:30 on 14 June in Pago Pago (UTC-11)
        assert names(owner, TODAY) == {"PagoYesterday"}
        assert names(owner, NEXT_WEEK) == {"PagoYesterday", "PagoToday", "Week"}


def test_kathmandu_turns_the_day_at_a_quarter_to(owner):
    born("Kathmandu", "1985-06-16", "Asia/Kathmandu")
    born("Utc", "1985-06-16", "UTC")
    with at(2026, 6, 15, 18, 20):  # 00:05 on 16 June in Kathmandu (+05:45)
        assert names(owner, TODAY) == {"Kathmandu"}
    with at(2026, 6, 15, 18, 10):  # 23:55 on 15 June
        assert names(owner, TODAY) == set()


def test_chatham_turns_the_day_at_a_quarter_past_eleven_utc(owner):
    born("Chatham", "1985-06-16", "Pacific/Chatham")
    with at(2026, 6, 15, 11, 20):  # 00:05 on 16 June in the Chatham Islands (+12:45)
        assert names(owner, TODAY) == {"Chatham"}
    with at(2026, 6, 15, 11, 10):
        assert names(owner, TODAY) == set()


def test_a_blank_time_zone_means_the_business_time_zone(owner, settings):
    settings.TIME_ZONE = "Europe/London"
    born("Blank", "1985-06-16")
    with at(2026, 6, 15, 23, 30):  # 00:30 on 16 June in London (BST)
        assert names(owner, TODAY) == {"Blank"}


def test_contacts_without_a_birthday_never_match(owner):
    born("Someone", "1985-06-15")
    make_contact(first_name="Nobody")
    with at(2026, 6, 15, 12):
        assert names(owner, TODAY) == {"Someone"}
        assert names(owner, tree(cond("birthday", "is_blank"))) == {"Nobody"}


def test_a_window_is_a_few_ranges_of_month_and_day():
    assert month_day_ranges(dt.date(2026, 12, 28), 7) == [(101, 103), (1228, 1231)]
    assert month_day_ranges(dt.date(2027, 2, 27), 3) == [(227, 301)]
    assert month_day_ranges(dt.date(2028, 2, 27), 2) == [(227, 228)]
    assert month_day_ranges(dt.date(2026, 1, 1), 366) == [(101, 1231)]
