from typing import Any

import pytest

from dearly.contacts.models import CustomField, FieldType
from dearly.journeys.definition import DefinitionError, validate_definition
from dearly.journeys.models import JourneyStatus
from dearly.journeys.tests.helpers import make_journey, make_template, send_step

pytestmark = pytest.mark.django_db


def definition(steps: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "trigger": {"type": "event", "name": "purchase"},
        "reentry": "never",
        "steps": steps,
        **extra,
    }


def test_a_valid_definition_has_no_errors() -> None:
    template = make_template()
    steps = [
        {"id": "w", "type": "wait", "days": 2, "hours": 0},
        {"id": "u", "type": "wait_until", "weekdays": [4], "start": "09:00", "end": "11:00"},
        {
            "id": "b",
            "type": "branch",
            "condition": {"kind": "opened_last"},
            "then": "x",
            "else": "s",
        },
        send_step(template, "s"),
        {"id": "t", "type": "task", "kind": "call", "title": "Call to say thanks", "due_days": 1},
        {"id": "g", "type": "add_tag", "tag": "vip"},
        {"id": "x", "type": "exit"},
    ]
    assert validate_definition(definition(steps, goal={"event": "purchase"})) == []


def test_it_names_a_missing_template_by_its_path() -> None:
    steps = [
        {"id": "w", "type": "wait", "days": 1},
        {
            "id": "s",
            "type": "send",
            "template_id": 999,
            "purpose": "informational",
            "consent_purpose": "marketing",
        },
    ]
    assert validate_definition(definition(steps)) == ["steps[1].template_id: no such template"]


def test_it_names_jump_targets_that_do_not_exist() -> None:
    steps = [{"id": "b", "type": "branch", "condition": {"kind": "replied"}, "then": "nowhere"}]
    assert validate_definition(definition(steps)) == ["steps[0].then: no such step nowhere"]


def test_it_refuses_duplicate_ids_bad_weekdays_and_times() -> None:
    steps = [
        {"id": "a", "type": "wait", "days": 1},
        {"id": "a", "type": "wait_until", "weekdays": [7], "start": "9am", "end": "08:00"},
    ]
    assert validate_definition(definition(steps)) == [
        "steps[1].id: a is used twice",
        "steps[1].weekdays: must list days from 0 (Monday) to 6 (Sunday)",
        "steps[1].start: must be a time like 09:00",
    ]


def test_it_refuses_an_end_before_the_start() -> None:
    steps = [{"id": "u", "type": "wait_until", "weekdays": [0], "start": "11:00", "end": "09:00"}]
    assert validate_definition(definition(steps)) == ["steps[0].end: must be after the start"]


def test_it_checks_the_trigger_reentry_and_goal() -> None:
    bad = {
        "trigger": {"type": "date", "field": "shoe_size", "days_before": -1, "at": "25:00"},
        "reentry": "sometimes",
        "goal": {"colour": "red"},
        "steps": [{"id": "x", "type": "exit"}],
    }
    assert validate_definition(bad) == [
        "trigger.field: must be birthday, anniversary, created_at or a date field",
        "trigger.days_before: must be a whole number of days from 0 to 365",
        "trigger.at: must be a time like 09:00",
        'reentry: must be "never", "after_exit" or {"after_days": n}',
        'goal: must be null, {"event": name} or {"tag": name}',
    ]


def test_a_custom_date_field_is_a_date_trigger() -> None:
    CustomField.objects.create(key="first_visit", label="First visit", field_type=FieldType.DATE)
    good = {
        "trigger": {"type": "date", "field": "first_visit"},
        "steps": [{"id": "x", "type": "exit"}],
    }
    assert validate_definition(good) == []


def test_it_checks_step_types_and_branch_conditions() -> None:
    steps = [
        {"id": "a", "type": "teleport"},
        {"id": "b", "type": "branch", "condition": {"kind": "lifecycle", "stage": "vip"}},
        {"id": "c", "type": "set_field", "field": "nope", "value": "x"},
        {"id": "d", "type": "task", "kind": "call", "title": ""},
    ]
    assert validate_definition(definition(steps)) == [
        "steps[0].type: must be one of wait, wait_until, branch, send, task, add_tag, "
        "remove_tag, set_field, exit",
        "steps[1].condition.stage: must be one of lead, customer, former",
        "steps[2].field: must be lifecycle_stage or a custom field",
        "steps[3].title: must be text of up to 200 characters",
    ]


def test_create_journey_refuses_an_invalid_definition_with_every_error() -> None:
    with pytest.raises(DefinitionError) as caught:
        make_journey([])
    assert caught.value.errors == ["steps: must be a list with at least one step"]


def test_create_journey_writes_the_first_version() -> None:
    journey = make_journey([{"id": "x", "type": "exit"}])
    assert journey.status == JourneyStatus.ACTIVE
    assert journey.trigger_key == "event.signup"
    assert journey.version is not None and journey.version.number == 1
