import datetime as dt
from typing import Any

import pytest
import time_machine

from dearly.conftest import make_contact
from dearly.contacts.models import Contact, CustomField, FieldType
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, StepRun
from dearly.journeys.tests.helpers import make_journey, send_step, signup, step
from dearly.messaging.models import TemplateVersion
from dearly.touches.services import log_touch
from dearly.tracking.models import EventKind, MessageEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


def outcome_of(condition: dict[str, Any], contact: Contact, before: Any = None) -> str:
    """Enrol the contact in a journey that branches on `condition` after a day's wait."""
    with time_machine.travel(START, tick=False):
        make_journey(
            [
                {"id": "w", "type": "wait", "days": 1},
                {"id": "b", "type": "branch", "condition": condition, "then": "exit"},
            ]
        )
        signup(contact)
        step(START)
    if before:
        before()
    later = START + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        step(later)
    return StepRun.objects.get(step_id="b").outcome


def journey_message(contact: Contact, kind: str | None) -> None:
    """The journey's last message to the contact, with an event of `kind` on it."""
    from dearly.journeys.tests.helpers import make_template

    template = make_template("Other")
    version = TemplateVersion.objects.get(template=template)
    journey_id = Enrollment.objects.get().journey_id
    older = OutboxMessage.objects.create(
        contact=contact,
        origin_type="journey",
        origin_id=journey_id,
        purpose="service",
        template_version_id=version.pk,
        not_before=START,
    )
    last = OutboxMessage.objects.create(
        contact=contact,
        origin_type="journey",
        origin_id=journey_id,
        purpose="service",
        template_version_id=version.pk,
        not_before=START,
    )
    for message, event in ((older, EventKind.OPENED), (last, kind)):
        if event:
            MessageEvent.objects.create(
                message=message,
                contact=contact,
                origin_type="journey",
                origin_id=journey_id,
                kind=event,
                occurred_at=START,
                provider="dearly",
            )


@pytest.mark.parametrize(
    ("kind", "event", "expected"),
    [
        ("opened_last", EventKind.OPENED, "yes"),
        ("opened_last", None, "no"),  # only an older message was opened
        ("clicked_last", EventKind.CLICKED, "yes"),
        ("clicked_last", EventKind.OPENED, "no"),
    ],
)
def test_engagement_reads_the_journeys_last_message(
    kind: str, event: str | None, expected: str
) -> None:
    ada = make_contact(email="ada@example.com")
    assert outcome_of({"kind": kind}, ada, before=lambda: journey_message(ada, event)) == expected


def test_replied_counts_a_reply_since_they_entered() -> None:
    ada = make_contact()

    def reply() -> None:
        with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
            log_touch(contact=ada, kind="reply", channel="email", direction="in")

    assert outcome_of({"kind": "replied"}, ada, before=reply) == "yes"


def test_replied_ignores_a_reply_from_before_they_entered() -> None:
    with time_machine.travel(START - dt.timedelta(days=3), tick=False):
        ada = make_contact()
        log_touch(contact=ada, kind="reply", channel="email", direction="in")
    assert outcome_of({"kind": "replied"}, ada) == "no"


def test_has_tag_ignores_case() -> None:
    assert outcome_of({"kind": "has_tag", "tag": "vip"}, make_contact(tags=("VIP",))) == "yes"


def test_lifecycle_reads_the_stage_at_the_step() -> None:
    assert outcome_of({"kind": "lifecycle", "stage": "customer"}, make_contact()) == "no"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"op": "set", "field": "first_name"}, "yes"),
        ({"op": "empty", "field": "town"}, "yes"),
        ({"op": "eq", "field": "first_name", "value": "ADA"}, "yes"),
        ({"op": "eq", "field": "shoe", "value": "42"}, "yes"),
        ({"op": "set", "field": "shoe_colour"}, "no"),
    ],
)
def test_field_conditions(condition: dict[str, Any], expected: str) -> None:
    for key in ("shoe", "shoe_colour"):
        CustomField.objects.create(key=key, label=key, field_type=FieldType.TEXT)
    ada = make_contact(first_name="Ada")
    Contact.objects.filter(pk=ada.pk).update(custom_fields={"shoe": "42"})
    assert outcome_of({"kind": "field", **condition}, ada) == expected


def test_a_send_records_the_template_version_it_used() -> None:
    from dearly.journeys.tests.helpers import make_template

    template = make_template()
    with time_machine.travel(START, tick=False):
        make_journey([send_step(template, purpose="service", consent_purpose="")])
        signup(make_contact(email="ada@example.com"))
        step(START)
    message = OutboxMessage.objects.get()
    assert message.template_version_id == TemplateVersion.objects.get(template=template).pk
    assert message.idempotency_key == f"journey:{Enrollment.objects.get().pk}:0"
