import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.core.actor import Actor
from dearly.rhythms.overdue import overdue_contacts
from dearly.rhythms.tests.helpers import FORMER_PHASES, days, make_rhythm
from dearly.touches.services import log_touch

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)


def former(**kw: Any) -> Contact:
    with time_machine.travel(START, tick=False):
        contact = make_contact(lifecycle_stage="former", **kw)
    return contact


def overdue_ids(rhythm_kw: dict[str, object] | None = None) -> dict[int, float]:
    rhythm = make_rhythm(**(rhythm_kw or {"lifecycle_stage": "former", "phases": FORMER_PHASES}))
    qs = overdue_contacts(rhythm, now=timezone.now())
    return dict(qs.values_list("pk", "days_overdue"))


def test_a_former_customer_needs_monthly_then_quarterly_touches() -> None:
    contact = former()
    touched = START + days(60)
    Contact.objects.filter(pk=contact.pk).update(last_touch_at=touched)
    # Day 100 of being former, 40 days since the last touch: monthly applies, 10 days overdue.
    with time_machine.travel(START + days(100), tick=False):
        found = overdue_ids()
        assert found.keys() == {contact.pk}
        assert found[contact.pk] == pytest.approx(10)
    # Day 200, 140 days since the touch: quarterly applies, 50 days overdue.
    with time_machine.travel(START + days(200), tick=False):
        assert overdue_ids()[contact.pk] == pytest.approx(50)
    # Day 200 with a touch 80 days ago: within the quarter, not overdue.
    Contact.objects.filter(pk=contact.pk).update(last_touch_at=START + days(120))
    with time_machine.travel(START + days(200), tick=False):
        assert overdue_ids() == {}


def test_a_never_touched_contact_counts_from_the_stage_change() -> None:
    contact = former()
    with time_machine.travel(START + days(29), tick=False):
        assert overdue_ids() == {}
    with time_machine.travel(START + days(31), tick=False):
        assert overdue_ids()[contact.pk] == pytest.approx(1)


@pytest.mark.parametrize("kind", ["call", "visit"])
def test_a_call_or_a_visit_resets_overdue(kind: str, owner: User, north: Branch) -> None:
    contact = former(branch=north)
    with time_machine.travel(START + days(45), tick=False):
        assert contact.pk in overdue_ids()
        log_touch(
            contact=contact,
            kind=kind,
            channel="phone" if kind == "call" else "in_person",
            direction="out",
            actor=Actor(source="ui", user=owner),
            outcome="spoke",
        )
        assert contact.pk not in overdue_ids({"name": "again", "lifecycle_stage": "former"})


def test_an_unanswered_call_does_not_reset_overdue(owner: User) -> None:
    contact = former()
    with time_machine.travel(START + days(45), tick=False):
        log_touch(
            contact=contact,
            kind="call",
            channel="phone",
            direction="out",
            actor=Actor(source="ui", user=owner),
            outcome="no_answer",
        )
        assert contact.pk in overdue_ids({"lifecycle_stage": "former", "phases": FORMER_PHASES})


def test_only_the_rhythms_stage_counts() -> None:
    former()
    with time_machine.travel(START + days(45), tick=False):
        assert overdue_ids({"lifecycle_stage": "customer"}) == {}
        assert len(overdue_ids({"name": "anyone", "lifecycle_stage": ""})) == 1
