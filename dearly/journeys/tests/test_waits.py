import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dearly.conftest import make_contact
from dearly.journeys.models import Enrollment, StepRun
from dearly.journeys.tests.helpers import make_journey, signup, step
from dearly.journeys.waits import after, next_window

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def local(moment: dt.datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(LONDON).strftime("%a %Y-%m-%d %H:%M %Z")


def walk_to_first_wait(wait: dict[str, Any], start: dt.datetime, time_zone: str) -> Enrollment:
    with time_machine.travel(start, tick=False):
        make_journey([{"id": "w", **wait}, {"id": "x", "type": "exit"}])
        signup(make_contact(time_zone=time_zone))
        step(start)
    return Enrollment.objects.get()


def test_a_two_day_wait_over_the_spring_change_lands_at_the_same_local_hour() -> None:
    start = utc(2026, 3, 27, 9)  # Friday 09:00 GMT
    walk = walk_to_first_wait({"type": "wait", "days": 2}, start, time_zone="Europe/London")
    assert local(walk.next_run_at) == "Sun 2026-03-29 09:00 BST"
    assert walk.next_run_at == utc(2026, 3, 29, 8)  # 47 hours later


def test_a_one_day_wait_over_the_autumn_change_lands_at_the_same_local_hour() -> None:
    start = utc(2026, 10, 24, 8)  # Saturday 09:00 BST
    walk = walk_to_first_wait({"type": "wait", "days": 1}, start, time_zone="Europe/London")
    assert local(walk.next_run_at) == "Sun 2026-10-25 09:00 GMT"
    assert walk.next_run_at == utc(2026, 10, 25, 9)  # 25 hours later


def test_wait_until_finds_monday_morning_after_the_spring_change() -> None:
    start = utc(2026, 3, 28, 12)  # Saturday
    window = {"type": "wait_until", "weekdays": [0], "start": "09:00", "end": "11:00"}
    walk = walk_to_first_wait(window, start, time_zone="Europe/London")
    assert local(walk.next_run_at) == "Mon 2026-03-30 09:00 BST"
    with time_machine.travel(walk.next_run_at, tick=False):
        assert step(walk.next_run_at) == 1  # the exit step
    assert list(StepRun.objects.values_list("step_id", flat=True)) == ["w", "x"]


def test_wait_until_after_the_autumn_change_uses_winter_time() -> None:
    start = utc(2026, 10, 23, 12)  # Friday, BST
    window = {"type": "wait_until", "weekdays": [0, 6], "start": "09:00", "end": "11:00"}
    walk = walk_to_first_wait(window, start, time_zone="Europe/London")
    assert walk.next_run_at == utc(2026, 10, 25, 9)  # Sunday 09:00 GMT


def test_wait_until_inside_the_window_goes_straight_on() -> None:
    start = utc(2026, 6, 1, 9)  # Monday 10:00 BST
    window = {"type": "wait_until", "weekdays": [0], "start": "09:00", "end": "11:00"}
    walk_to_first_wait(window, start, time_zone="Europe/London")
    assert list(StepRun.objects.values_list("outcome", flat=True)) == ["in window", "exited"]


def test_the_window_is_in_the_contacts_own_zone() -> None:
    start = utc(2026, 6, 1, 12)  # Monday 08:00 in New York
    window = {"type": "wait_until", "weekdays": [0], "start": "09:00", "end": "11:00"}
    walk = walk_to_first_wait(window, start, time_zone="America/New_York")
    assert walk.next_run_at == utc(2026, 6, 1, 13)


def test_a_window_opening_inside_the_spring_gap_opens_after_it() -> None:
    opens = next_window(
        utc(2026, 3, 28, 12), LONDON, weekdays=[6], start=dt.time(1, 30), end=dt.time(4)
    )
    assert local(opens) == "Sun 2026-03-29 02:30 BST"


def test_hours_are_counted_on_the_local_clock() -> None:
    assert after(utc(2026, 3, 28, 21), LONDON, hours=12) == utc(2026, 3, 29, 8)


def test_a_window_missed_while_paused_waits_for_the_next_one() -> None:
    from dearly.journeys.services import pause, resume
    from dearly.journeys.tests.helpers import ACTOR

    start = utc(2026, 6, 1, 12)  # Monday 13:00 BST
    window = {"type": "wait_until", "weekdays": [4], "start": "09:00", "end": "11:00"}
    walk = walk_to_first_wait(window, start, time_zone="Europe/London")
    assert walk.next_run_at == utc(2026, 6, 5, 8)  # Friday 09:00 BST
    pause(actor=ACTOR, journey=walk.journey)
    resume(actor=ACTOR, journey=walk.journey)
    saturday = utc(2026, 6, 6, 10)
    with time_machine.travel(saturday, tick=False):
        assert step(saturday) == 0
    walk.refresh_from_db()
    assert (walk.waiting, walk.next_run_at) == (True, utc(2026, 6, 12, 8))
    with time_machine.travel(walk.next_run_at, tick=False):
        assert step(walk.next_run_at) == 1  # the exit step, inside the window
