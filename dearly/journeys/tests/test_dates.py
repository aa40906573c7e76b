import datetime as dt

import pytest
import time_machine

from dearly.conftest import make_contact
from dearly.contacts.models import Contact, CustomField, FieldType
from dearly.core.chores import run_due
from dearly.journeys.dates import enrol_due
from dearly.journeys.models import Enrollment, EnrollmentStatus
from dearly.journeys.tests.helpers import make_journey

pytestmark = pytest.mark.django_db


def birthday_journey(reentry: object = "after_exit", **trigger: object) -> None:
    make_journey(
        [{"id": "x", "type": "exit"}],
        trigger={"type": "date", "field": "birthday", "days_before": 0, "at": "09:00", **trigger},
        reentry=reentry,
    )


def enrolled() -> set[str]:
    return set(Enrollment.objects.values_list("contact__first_name", flat=True))


def at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return enrol_due(moment)


def people() -> None:
    make_contact(first_name="London", birthday=dt.date(1990, 6, 10), time_zone="Europe/London")
    make_contact(first_name="York", birthday=dt.date(1985, 6, 10), time_zone="America/New_York")
    make_contact(first_name="Blank", birthday=dt.date(1970, 6, 10))  # the business's zone
    make_contact(first_name="Other", birthday=dt.date(1990, 6, 11), time_zone="Europe/London")


def test_each_contact_is_enrolled_once_their_own_clock_passes_nine() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        people()
        birthday_journey()
    assert at(dt.datetime(2026, 6, 10, 7, 30, tzinfo=dt.UTC)) == 0  # 08:30 in London
    assert at(dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC)) == 2  # 09:30 in London
    assert enrolled() == {"London", "Blank"}
    assert at(dt.datetime(2026, 6, 10, 12, 30, tzinfo=dt.UTC)) == 0  # 08:30 in New York
    assert at(dt.datetime(2026, 6, 10, 13, 30, tzinfo=dt.UTC)) == 1
    assert enrolled() == {"London", "Blank", "York"}
    assert at(dt.datetime(2026, 6, 10, 20, 30, tzinfo=dt.UTC)) == 0  # never twice a year
    assert set(Enrollment.objects.values_list("occurrence", flat=True)) == {"2026"}


def test_next_year_enrols_again_but_never_means_never() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        people()
        birthday_journey(reentry="never")
    at(dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC))
    Enrollment.objects.update(status=EnrollmentStatus.DONE)
    assert at(dt.datetime(2027, 6, 10, 8, 30, tzinfo=dt.UTC)) == 0


def test_after_exit_enrols_again_the_next_year() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        people()
        birthday_journey()
    at(dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC))
    Enrollment.objects.update(status=EnrollmentStatus.DONE)
    assert at(dt.datetime(2027, 6, 10, 8, 30, tzinfo=dt.UTC)) == 2
    assert Enrollment.objects.filter(occurrence="2027").count() == 2


def test_days_before_counts_from_the_contacts_local_date() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        people()
        birthday_journey(days_before=3)
    assert at(dt.datetime(2026, 6, 7, 8, 30, tzinfo=dt.UTC)) == 2
    assert enrolled() == {"London", "Blank"}


def test_the_pass_runs_hourly_as_a_chore() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        people()
        birthday_journey()
    moment = dt.datetime(2026, 6, 10, 8, 30, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        assert run_due(moment, names={"journeys.dates"}) == 2
        assert run_due(moment + dt.timedelta(minutes=30), names={"journeys.dates"}) == 0


def test_customer_since_and_custom_dates_match_their_day() -> None:
    CustomField.objects.create(key="first_visit", label="First visit", field_type=FieldType.DATE)
    with time_machine.travel(dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC), tick=False):
        old = make_contact(first_name="Old", time_zone="Europe/London")
    with time_machine.travel(dt.datetime(2026, 3, 5, 8, tzinfo=dt.UTC), tick=False):
        make_contact(first_name="New", time_zone="Europe/London")  # created today: not yet
        visitor = make_contact(first_name="Visitor")
        Contact.objects.filter(pk=visitor.pk).update(custom_fields={"first_visit": "2020-03-05"})
        make_journey([{"id": "x", "type": "exit"}], trigger={"type": "date", "field": "created_at"})
        make_journey(
            [{"id": "x", "type": "exit"}], trigger={"type": "date", "field": "first_visit"}
        )
    assert at(dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC)) == 2
    assert set(Enrollment.objects.values_list("contact_id", flat=True)) == {old.pk, visitor.pk}


def test_a_29_february_birthday_counts_on_28_february_in_other_years() -> None:
    with time_machine.travel(dt.datetime(2027, 2, 1, tzinfo=dt.UTC), tick=False):
        make_contact(first_name="Leap", birthday=dt.date(2000, 2, 29))
        birthday_journey()
    assert at(dt.datetime(2027, 2, 28, 10, tzinfo=dt.UTC)) == 1
