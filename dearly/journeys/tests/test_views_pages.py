"""The journeys list, a journey's page with its counts per step, its status buttons, access."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dearly.conftest import client_for, make_contact
from dearly.conversions.models import ContactEvent
from dearly.core.models import AuditEvent
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_one
from dearly.journeys.models import EnrollmentStatus, Journey, JourneyStatus
from dearly.journeys.tests.helpers import make_journey, make_template, send_step
from dearly.journeys.tests.view_helpers import put_at
from dearly.messaging.models import TemplateVersion

pytestmark = pytest.mark.django_db


def three_steps() -> Journey:
    template = make_template("Welcome")
    return make_journey(
        [
            {"id": "w1", "type": "wait", "days": 2},
            send_step(template, "s1"),
            {"id": "b1", "type": "branch", "condition": {"kind": "opened_last"}, "then": "exit"},
            {"id": "t1", "type": "task", "kind": "call", "title": "Say hello", "due_days": 1},
        ],
        trigger={"type": "lifecycle", "to": "former"},
        name="Win back",
    )


def step_block(html: str, step_id: str) -> str:
    match = re.search(rf'<li class="flow-step[^"]*" id="step-{step_id}".*?</li>', html, re.S)
    assert match, f"no step {step_id}"
    return match[0]


def sent_message(journey: Journey, *, days_ago: int) -> None:
    version = TemplateVersion.objects.first()
    assert version is not None
    message, _ = enqueue_one(
        contact=make_contact(email=f"r{days_ago}@example.com"),
        origin_type="journey",
        origin_id=journey.pk,
        purpose="informational",
        consent_purpose="marketing",
        template_version_id=version.pk,
    )
    sent_at = timezone.now() - dt.timedelta(days=days_ago)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENT, sent_at=sent_at)


def test_the_list_says_what_starts_each_journey_and_counts_its_contacts(owner: User) -> None:
    journey = three_steps()
    put_at(journey, make_contact(first_name="A"), "w1")
    put_at(journey, make_contact(first_name="B"), "s1")
    put_at(journey, make_contact(first_name="C"), "", status=EnrollmentStatus.DONE)
    put_at(
        journey,
        make_contact(first_name="D"),
        "b1",
        status=EnrollmentStatus.EXITED,
        exit_reason="goal reached",
    )
    sent_message(journey, days_ago=3)
    sent_message(journey, days_ago=40)

    response = client_for(owner).get("/journeys/")

    html = response.content.decode()
    assert "When someone becomes a former customer" in html
    row = re.search(r"<tr>\s*<th scope=\"row\"><a[^>]*>Win back</a>.*?</tr>", html, re.S)
    assert row
    figures = re.findall(r'<td class="num">(\d+)</td>', row[0])
    assert figures == ["2", "1", "1", "1"]  # in it now, completed, goal reached, sent in 30 days
    assert "Active" in row[0]


def test_the_list_costs_the_same_queries_for_more_journeys(
    owner: User, django_assert_max_num_queries: object
) -> None:
    for n in range(5):
        make_journey([{"id": "w", "type": "wait", "days": 1}], name=f"J{n}")
    client = client_for(owner)
    client.get("/journeys/")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get("/journeys/").status_code == 200


def test_the_journey_page_draws_each_step_with_who_is_there_and_who_passed(owner: User) -> None:
    journey = three_steps()
    put_at(journey, make_contact(first_name="A"), "w1")
    put_at(journey, make_contact(first_name="B"), "w1")
    put_at(journey, make_contact(first_name="C"), "t1", passed=("w1", "s1", "b1"))

    html = client_for(owner).get(f"/journeys/{journey.public_id}/").content.decode()

    assert re.search(r'class="here"[^>]*>2</strong>', step_block(html, "w1"))
    assert re.search(r'class="passed">1</span>', step_block(html, "w1"))
    assert "Wait 2 days" in step_block(html, "w1")
    assert "Send “Welcome” (useful information)" in step_block(html, "s1")
    assert re.search(r'class="here"[^>]*>0</strong>', step_block(html, "s1"))
    branch = step_block(html, "b1")
    assert "If they opened the last message → exit, otherwise → next" in branch
    assert re.search(r'class="here"[^>]*>1</strong>', step_block(html, "t1"))
    assert "Create a call task: “Say hello”, due in 1 day" in html
    assert "Version 1" in html


def test_pause_and_resume_go_through_the_services_and_are_audited(owner: User) -> None:
    journey = three_steps()
    client = client_for(owner)

    client.post(f"/journeys/{journey.public_id}/status", {"action": "pause"})
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.PAUSED
    page = client.get(f"/journeys/{journey.public_id}/").content.decode()
    assert 'value="resume"' in page and 'value="pause"' not in page

    client.post(f"/journeys/{journey.public_id}/status", {"action": "resume"})
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.ACTIVE
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["journey.paused", "journey.active"]


def test_archiving_makes_everyone_leave(owner: User) -> None:
    journey = three_steps()
    walk = put_at(journey, make_contact(), "w1")
    response = client_for(owner).post(
        f"/journeys/{journey.public_id}/status", {"action": "archive"}
    )
    assert response.status_code == 302
    walk.refresh_from_db()
    assert walk.status == EnrollmentStatus.EXITED


def test_the_status_change_needs_a_post_with_the_csrf_token(owner: User) -> None:
    journey = three_steps()
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get(f"/journeys/{journey.public_id}/status").status_code == 405
    assert (
        client.post(f"/journeys/{journey.public_id}/status", {"action": "pause"}).status_code == 403
    )
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.ACTIVE


@pytest.mark.parametrize(
    "path", ["", "new", "{id}/", "{id}/edit", "{id}/rehearse", "{id}/contacts"]
)
def test_branch_staff_and_outsiders_are_refused(
    north_staff: User, outsider: User, path: str
) -> None:
    journey = three_steps()
    url = "/journeys/" + path.format(id=journey.public_id)
    assert client_for(north_staff).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_branch_staff_cannot_pause(north_staff: User) -> None:
    journey = three_steps()
    response = client_for(north_staff).post(
        f"/journeys/{journey.public_id}/status", {"action": "pause"}
    )
    assert response.status_code == 403
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.ACTIVE


def test_the_manager_sees_the_journeys(manager: User) -> None:
    three_steps()
    assert "Win back" in client_for(manager).get("/journeys/").content.decode()


def test_the_contact_partial_says_which_step_the_contact_is_at() -> None:
    journey = three_steps()
    contact = make_contact()
    put_at(journey, contact, "s1", passed=("w1",))
    other = make_contact(first_name="Other")

    html = Template("{% load journeys_tags %}{% contact_journeys contact %}")
    shown = html.render(Context({"contact": contact, "can": {"send_campaigns": True}}))
    assert "Win back</a>" in shown and "at step 2: Send “Welcome”" in shown
    assert "Not in any journey" in html.render(Context({"contact": other}))
    for_staff = html.render(Context({"contact": contact, "can": {"view_contacts": True}}))
    assert "<strong>Win back</strong>" in for_staff and "/journeys/" not in for_staff


def test_the_journey_page_costs_the_same_queries_however_many_steps_and_contacts(
    owner: User,
) -> None:
    big = three_steps()
    small = make_journey([send_step(make_template("Small"), "s")], name="Small")
    for n in range(6):
        put_at(big, make_contact(first_name=f"C{n}"), "w1", passed=("w1",))
    client = client_for(owner)
    client.get(f"/journeys/{small.public_id}/")

    def queries(journey: Journey) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"/journeys/{journey.public_id}/").status_code == 200
        return len(seen)

    assert queries(big) == queries(small)


def test_the_journey_page_shows_the_purchases_credited_to_it(owner: User) -> None:
    journey = three_steps()
    ContactEvent.objects.create(
        event_id="order-1",
        fingerprint="f",
        name="purchase",
        contact=make_contact(),
        occurred_at=timezone.now(),
        value=Decimal("42.50"),
        currency="GBP",
        origin_type="journey",
        origin_id=journey.pk,
    )
    html = client_for(owner).get(f"/journeys/{journey.public_id}/").content.decode()
    assert re.search(r">1</span> purchase credited · 42\.50 GBP", html)
