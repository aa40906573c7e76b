"""Building a journey with the form: create, add rows, errors beside their step, new versions."""

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from dearly.conftest import client_for, make_contact
from dearly.journeys.models import Enrollment, Journey, JourneyStatus
from dearly.journeys.tests.helpers import make_journey, make_template, send_step
from dearly.journeys.tests.view_helpers import form_data, put_at

pytestmark = pytest.mark.django_db


def row_block(html: str, index: int) -> str:
    match = re.search(rf'<li class="step-row[^"]*" id="row-{index}".*?</li>', html, re.S)
    assert match, f"no row {index}"
    return match[0]


def test_the_owner_creates_a_journey_with_the_form(owner: User) -> None:
    template = make_template("Welcome")
    steps = [
        {"id": "step1", "type": "wait", "days": "1", "hours": "0"},
        {
            "id": "step2",
            "type": "send",
            "template_id": str(template.pk),
            "purpose": "informational",
            "consent_purpose": "marketing",
            "value": "free_resource",
        },
    ]
    data = form_data(
        "Welcome series",
        steps,
        trigger_type="lifecycle",
        trigger_to="former",
        goal_type="event",
        goal_value="purchase",
    )

    response = client_for(owner).post("/journeys/new", data)

    journey = Journey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/journeys/{journey.public_id}/"
    assert journey.name == "Welcome series"
    assert journey.status == JourneyStatus.ACTIVE
    assert journey.version is not None
    assert journey.version.definition == {
        "trigger": {"type": "lifecycle", "to": "former"},
        "reentry": "never",
        "goal": {"event": "purchase"},
        "steps": [
            {"id": "step1", "type": "wait", "days": 1, "hours": 0},
            {
                "id": "step2",
                "type": "send",
                "template_id": template.pk,
                "purpose": "informational",
                "consent_purpose": "marketing",
                "value": "free_resource",
            },
        ],
    }


def test_a_journey_can_be_kept_as_a_draft(owner: User) -> None:
    data = form_data("Later", [{"id": "a", "type": "add_tag", "tag": "x"}], start="draft")
    client_for(owner).post("/journeys/new", data)
    assert Journey.objects.get().status == JourneyStatus.DRAFT


def test_the_new_page_offers_the_members_templates(owner: User) -> None:
    template = make_template("Birthday treat")
    html = client_for(owner).get("/journeys/new").content.decode()
    assert f'<option value="{template.pk}">Birthday treat</option>' in html


def test_add_step_redraws_the_form_with_one_more_row_and_saves_nothing(owner: User) -> None:
    data = form_data("Draft", [{"id": "step1", "type": "wait", "days": "2"}], action="add")
    data["new_type"] = "task"

    response = client_for(owner).post("/journeys/new", data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert not Journey.objects.exists()
    assert "<html" not in html  # the editor fragment only
    assert 'name="steps" value="2"' in html
    assert 'value="2"' in row_block(html, 0)  # the first row kept its days
    assert 'name="s1-title"' in row_block(html, 1)  # the new row has the task's fields


def test_rows_move_and_go(owner: User) -> None:
    steps = [
        {"id": "a", "type": "add_tag", "tag": "first"},
        {"id": "b", "type": "add_tag", "tag": "second"},
        {"id": "c", "type": "branch", "cond_kind": "replied", "then": "b"},
    ]
    client = client_for(owner)
    html = client.post("/journeys/new", form_data("J", steps, action="up:1")).content.decode()
    assert 'value="second"' in row_block(html, 0) and 'value="first"' in row_block(html, 1)

    html = client.post("/journeys/new", form_data("J", steps, action="remove:1")).content.decode()
    assert 'name="steps" value="2"' in html
    assert '<option value="" selected>the next step</option>' in row_block(html, 1)


def test_a_validation_error_is_shown_beside_the_step_it_names(owner: User) -> None:
    steps = [
        {"id": "step1", "type": "wait", "days": "2"},
        {"id": "step2", "type": "send", "template_id": "", "purpose": "informational"},
        {"id": "step3", "type": "wait", "days": "soon"},
    ]
    data = form_data("Broken", steps, trigger_event="Not An Event!")

    response = client_for(owner).post("/journeys/new", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Journey.objects.exists()
    assert "no such template" not in row_block(html, 0)
    assert re.search(r'id="s1-template_id-error">no such template', row_block(html, 1))
    assert 'aria-invalid="true"' in row_block(html, 1)
    assert "must be a whole number of days" in row_block(html, 2)
    assert re.search(r'id="trigger_event-error">must be an event name', html)


def test_editing_an_active_journey_publishes_version_2_and_in_flight_stays_on_1(
    owner: User,
) -> None:
    template = make_template("Hello")
    journey = make_journey([{"id": "w", "type": "wait", "days": 2}, send_step(template, "s")])
    walking = put_at(journey, make_contact(), "w")
    client = client_for(owner)
    page = client.get(f"/journeys/{journey.public_id}/edit").content.decode()
    assert 'name="s0-days"' in page and "publishes version 2" in page
    steps = [
        {"id": "w", "type": "wait", "days": "3", "hours": "0"},
        {
            "id": "s",
            "type": "send",
            "template_id": str(template.pk),
            "purpose": "informational",
            "consent_purpose": "marketing",
            "value": "useful_information",
        },
    ]

    response = client.post(f"/journeys/{journey.public_id}/edit", form_data("Welcome", steps))

    journey.refresh_from_db()
    assert response.status_code == 302
    assert journey.version is not None and journey.version.number == 2
    assert journey.version.definition["steps"][0]["days"] == 3
    walking.refresh_from_db()
    assert walking.version.number == 1
    said = client.get(response["Location"]).content.decode()
    assert "Saved as version 2" in said
    assert "1 contact already on their way stay on their earlier version" in said


def test_saving_an_unchanged_journey_publishes_nothing(owner: User) -> None:
    journey = make_journey([{"id": "w", "type": "wait", "days": 2}])
    data = form_data("Renamed", [{"id": "w", "type": "wait", "days": "2", "hours": "0"}])
    client_for(owner).post(f"/journeys/{journey.public_id}/edit", data)
    journey.refresh_from_db()
    assert journey.name == "Renamed"
    assert journey.versions.count() == 1


def test_the_json_tab_saves_a_definition_and_names_its_errors(owner: User) -> None:
    client = client_for(owner)
    definition: dict[str, Any] = {
        "trigger": {"type": "survey"},
        "steps": [{"id": "x", "type": "add_tag", "tag": ""}],
    }
    data = form_data("Json", [], action="save_json", definition_json=json.dumps(definition))
    html = client.post("/journeys/new", data).content.decode()
    assert "steps[0].tag: must be a tag name" in html
    assert not Journey.objects.exists()

    definition["steps"][0]["tag"] = "answered"
    data["definition_json"] = json.dumps(definition)
    assert client.post("/journeys/new", data).status_code == 302
    assert Journey.objects.get().trigger_key == "survey"


def test_an_archived_journey_cannot_be_edited(owner: User) -> None:
    journey = make_journey([{"id": "w", "type": "wait", "days": 2}])
    client = client_for(owner)
    client.post(f"/journeys/{journey.public_id}/status", {"action": "archive"})
    response = client.get(f"/journeys/{journey.public_id}/edit")
    assert response.status_code == 302
    assert Enrollment.objects.count() == 0


def test_staff_cannot_create(north_staff: User) -> None:
    data = form_data("Nope", [{"id": "a", "type": "add_tag", "tag": "x"}])
    assert client_for(north_staff).post("/journeys/new", data).status_code == 403
    assert not Journey.objects.exists()


def test_an_earlier_version_can_be_looked_at(owner: User) -> None:
    journey = make_journey([{"id": "w", "type": "wait", "days": 2}])
    client = client_for(owner)
    data = form_data("Welcome", [{"id": "w", "type": "wait", "days": "5", "hours": "0"}])
    client.post(f"/journeys/{journey.public_id}/edit", data)

    current = client.get(f"/journeys/{journey.public_id}/").content.decode()
    earlier = client.get(f"/journeys/{journey.public_id}/?version=1").content.decode()

    assert "Wait 5 days" in current and "Wait 2 days" not in current
    assert "Wait 2 days" in earlier and "of version 1" in earlier


def test_a_journey_without_steps_or_name_says_so_where_they_go(owner: User) -> None:
    html = client_for(owner).post("/journeys/new", form_data(" ", [])).content.decode()
    assert re.search(r'<p class="field-error">must be a list with at least one step', html)
    assert not Journey.objects.exists()
    steps = [{"id": "a", "type": "add_tag", "tag": "x"}]
    html = client_for(owner).post("/journeys/new", form_data(" ", steps)).content.decode()
    assert re.search(r'id="name-error">a journey needs a name', html)


@pytest.mark.parametrize(
    ("windows", "note"),
    [
        (True, "consent, budget and send windows are checked when it leaves."),
        (False, "send windows are switched off here, so it goes at once"),
    ],
)
def test_a_send_step_says_whether_send_windows_apply(
    owner: User, settings: Any, windows: bool, note: str
) -> None:
    settings.SEND_WINDOWS = windows
    journey = make_journey([send_step(make_template("Hello"), "s")])
    page = client_for(owner).get(f"/journeys/{journey.public_id}/edit").content.decode()
    assert note in page


def test_text_that_cannot_be_stored_is_refused_by_its_path(owner: User) -> None:
    definition = {"trigger": {"type": "survey"}, "steps": [{"id": "x", "type": "add_tag"}]}
    definition["steps"][0]["tag"] = "a\u0000b"  # type: ignore[index]
    data = form_data("Json", [], action="save_json", definition_json=json.dumps(definition))
    html = client_for(owner).post("/journeys/new", data).content.decode()
    assert "steps[0].tag: has an invisible control character (U+0000)" in html
    assert not Journey.objects.exists()


def test_a_journey_name_with_a_control_character_is_refused(owner: User) -> None:
    data = form_data("Wel\x07come", [{"id": "w", "type": "wait", "days": "1", "hours": "0"}])
    response = client_for(owner).post("/journeys/new", data)
    assert "has an invisible control character (U+0007)" in response.content.decode()
    assert not Journey.objects.exists()
