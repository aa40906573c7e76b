import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.contacts.services import update_contact
from dearly.core.signals import emit_contact_event
from dearly.journeys.models import Enrollment, EnrollmentStatus
from dearly.journeys.tests.helpers import ACTOR, grant_marketing, make_journey, step
from dearly.touches.services import log_touch

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
WAIT: list[dict[str, Any]] = [{"id": "w", "type": "wait", "days": 30}, {"id": "x", "type": "exit"}]


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def emit(contact: Any, name: str, **properties: Any) -> None:
    emit_contact_event(
        contact_id=contact.pk, name=name, occurred_at=timezone.now(), properties=properties
    )


def count(journey: Any) -> int:
    return Enrollment.objects.filter(journey=journey).count()


def test_confirmed_consent_for_the_purpose_enrols() -> None:
    journey = make_journey(WAIT, trigger={"type": "consent_granted", "purpose": "newsletter"})
    ada = make_contact(email="ada@example.com")
    grant_marketing(ada, purpose="marketing")
    assert count(journey) == 0
    grant_marketing(ada, purpose="newsletter")
    assert count(journey) == 1
    grant_marketing(ada, purpose="newsletter")  # reentry "never"
    assert count(journey) == 1


def test_becoming_a_former_customer_enrols() -> None:
    journey = make_journey(WAIT, trigger={"type": "lifecycle", "to": "former"})
    ada = make_contact(lifecycle_stage="customer")
    assert count(journey) == 0
    update_contact(actor=ACTOR, contact=ada, values={"lifecycle_stage": "former"})
    assert count(journey) == 1
    assert Enrollment.objects.get().step_id == "w"


def test_an_api_event_enrols_and_the_same_event_id_never_twice() -> None:
    journey = make_journey(
        WAIT, trigger={"type": "event", "name": "purchase"}, reentry="after_exit"
    )
    ada = make_contact()
    emit(ada, "event.order_delayed", event_id="e0")
    assert count(journey) == 0
    emit(ada, "event.purchase", event_id="e1")
    emit(ada, "event.purchase", event_id="e2")  # still in the journey: refused
    assert count(journey) == 1
    Enrollment.objects.update(status=EnrollmentStatus.DONE)
    emit(ada, "event.purchase", event_id="e1")  # the same event again: refused
    assert count(journey) == 1
    emit(ada, "event.purchase", event_id="e3")  # after exit, a new purchase enrols
    assert count(journey) == 2


def test_after_days_waits_that_long_since_the_last_entry() -> None:
    journey = make_journey(
        WAIT, trigger={"type": "event", "name": "purchase"}, reentry={"after_days": 90}
    )
    ada = make_contact()
    emit(ada, "event.purchase", event_id="e1")
    Enrollment.objects.update(status=EnrollmentStatus.DONE)
    emit(ada, "event.purchase", event_id="e2")
    assert count(journey) == 1
    with time_machine.travel(START + dt.timedelta(days=91), tick=False):
        emit(ada, "event.purchase", event_id="e3")
    assert count(journey) == 2


def test_overdue_for_the_rhythm_enrols() -> None:
    any_rhythm = make_journey(WAIT, trigger={"type": "overdue", "rhythm_id": None}, name="a")
    rhythm_7 = make_journey(WAIT, trigger={"type": "overdue", "rhythm_id": 7}, name="b")
    ada = make_contact()
    emit(ada, "rhythm.overdue", rhythm_id=3)
    assert (count(any_rhythm), count(rhythm_7)) == (1, 0)
    emit(ada, "rhythm.overdue", rhythm_id=7)
    assert count(rhythm_7) == 1


def test_a_survey_answer_enrols_from_a_touch_or_an_event() -> None:
    journey = make_journey(WAIT, trigger={"type": "survey"}, reentry="after_exit")
    ada = make_contact()
    log_touch(contact=ada, kind="survey", channel="web", direction="in")
    assert count(journey) == 1
    Enrollment.objects.update(status=EnrollmentStatus.DONE)
    emit(ada, "event.survey_answer", event_id="s2")
    assert count(journey) == 2


def test_a_survey_answer_also_starts_a_journey_naming_the_event() -> None:
    journey = make_journey(WAIT, trigger={"type": "event", "name": "survey_answer"})
    emit(make_contact(), "event.survey_answer", event_id="s1")
    assert count(journey) == 1


def test_a_draft_or_paused_journey_does_not_enrol() -> None:
    from dearly.journeys.services import pause

    journey = make_journey(WAIT, trigger={"type": "event", "name": "purchase"})
    draft = make_journey(WAIT, trigger={"type": "event", "name": "purchase"}, active=False)
    pause(actor=ACTOR, journey=journey)
    emit(make_contact(), "event.purchase", event_id="e1")
    assert count(journey) == 0 and count(draft) == 0


def test_the_goal_event_ends_the_walk() -> None:
    journey = make_journey(
        WAIT, trigger={"type": "event", "name": "signup"}, goal={"event": "purchase"}
    )
    ada, bob = make_contact(first_name="Ada"), make_contact(first_name="Bob")
    emit(ada, "event.signup")
    emit(bob, "event.signup")
    step(START)
    emit(ada, "event.purchase", event_id="p1")
    walks = dict(Enrollment.objects.filter(journey=journey).values_list("contact_id", "status"))
    assert walks == {ada.pk: EnrollmentStatus.EXITED, bob.pk: EnrollmentStatus.ACTIVE}
    assert Enrollment.objects.get(contact_id=ada.pk).exit_reason == "goal reached"


def test_the_goal_tag_ends_the_walk_at_its_next_step() -> None:
    from dearly.contacts.services import set_tags

    make_journey(WAIT, trigger={"type": "event", "name": "signup"}, goal={"tag": "won-back"})
    ada = make_contact()
    emit(ada, "event.signup")
    step(START)
    set_tags(actor=ACTOR, contact=ada, names=["Won-Back"])
    step(START + dt.timedelta(days=30))
    walk = Enrollment.objects.get()
    assert (walk.status, walk.exit_reason) == (EnrollmentStatus.EXITED, "goal reached")
    assert walk.runs.count() == 1  # the wait only: the exit step never ran
