"""Testing a journey on one contact from its page: the picker, the path in local time, no writes."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User

from dearly.branches.models import Branch
from dearly.conftest import client_for, make_contact, make_user
from dearly.contacts.models import Contact
from dearly.core.models import AuditEvent, Role
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, Journey, StepRun
from dearly.journeys.tests.helpers import grant_marketing, make_journey, make_template, send_step
from dearly.messaging.queries import preview_contacts
from dearly.touches.models import Task

pytestmark = pytest.mark.django_db
FRIDAY_NINE_BST = dt.datetime(2026, 10, 23, 8, 0, tzinfo=dt.UTC)  # clocks go back on Sunday 25th


def two_day_welcome() -> Journey:
    template = make_template("Welcome")
    return make_journey(
        [
            {"id": "w", "type": "wait", "days": 2},
            send_step(template, "s"),
            {"id": "t", "type": "task", "kind": "call", "title": "Call them", "due_days": 1},
        ]
    )


def londoner() -> Contact:
    contact = make_contact(first_name="Grace", email="grace@example.com", time_zone="Europe/London")
    grant_marketing(contact)
    return contact


def counts() -> list[int]:
    models = (Enrollment, StepRun, OutboxMessage, Task, AuditEvent)
    return [m.objects.count() for m in models]  # type: ignore[attr-defined]


def test_the_path_crosses_the_clock_change_at_nine_local_and_writes_nothing(owner: User) -> None:
    journey = two_day_welcome()
    contact = londoner()
    client = client_for(owner)
    before = counts()

    with time_machine.travel(FRIDAY_NINE_BST, tick=False):
        response = client.get(
            f"/journeys/{journey.public_id}/rehearse",
            {"contact": str(contact.public_id)},
            headers={"HX-Request": "true"},
        )

    html = response.content.decode()
    assert "<html" not in html
    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert [t[1] for t in times] == [
        "Fri 23 Oct 2026, 09:00 BST",  # the wait starts
        "Sun 25 Oct 2026, 09:00 GMT",  # two days later, still nine on her clock
        "Sun 25 Oct 2026, 09:00 GMT",
        "Sun 25 Oct 2026, 09:00 GMT",  # the end
    ]
    assert "waits until Sun 25 Oct 2026 09:00 GMT" in html
    assert "would send “Welcome” by email" in html
    subject = re.search(r'class="rehearsal-subject">([^<]+)</span>', html)
    assert subject and "{{" not in subject[1]  # written out for her
    assert "would create a call task" in html
    assert counts() == before


def test_the_path_can_start_at_a_chosen_local_time(owner: User) -> None:
    journey = two_day_welcome()
    contact = londoner()
    response = client_for(owner).get(
        f"/journeys/{journey.public_id}/rehearse",
        {"contact": str(contact.public_id), "start": "2026-10-24T18:30"},
    )
    html = response.content.decode()
    assert "<html" in html  # without htmx, the whole page
    assert "waits until Mon 26 Oct 2026 18:30 GMT" in html


def test_a_contact_without_consent_would_be_skipped(owner: User) -> None:
    journey = two_day_welcome()
    contact = make_contact(email="nope@example.com", time_zone="Europe/London")
    html = (
        client_for(owner)
        .get(f"/journeys/{journey.public_id}/rehearse", {"contact": str(contact.public_id)})
        .content.decode()
    )
    assert "would skip: no permitted channel" in html


def test_the_picker_finds_contacts_by_name_or_email(owner: User) -> None:
    journey = two_day_welcome()
    make_contact(first_name="Grace", last_name="Hopper", email="grace@example.com")
    make_contact(first_name="Alan", last_name="Turing", email="alan@example.com")
    html = (
        client_for(owner)
        .get(f"/journeys/{journey.public_id}/contacts", {"q": "hopp"})
        .content.decode()
    )
    assert "Grace Hopper" in html and "Alan" not in html


def test_the_picker_only_finds_contacts_in_the_members_branch(north: Branch, south: Branch) -> None:
    make_contact(first_name="Nell", branch=north)
    make_contact(first_name="Sid", branch=south)
    staff = make_user("nina", role=Role.STAFF, branch=north).membership
    assert [c.first_name for c in preview_contacts(staff, "")] == ["Nell"]


def test_a_contact_outside_the_members_scope_is_not_found(owner: User, north: Branch) -> None:
    journey = two_day_welcome()
    contact = make_contact(branch=north)
    response = client_for(owner).get(
        f"/journeys/{journey.public_id}/rehearse", {"contact": "not-a-uuid"}
    )
    assert response.status_code == 404
    ok = client_for(owner).get(
        f"/journeys/{journey.public_id}/rehearse", {"contact": str(contact.public_id)}
    )
    assert ok.status_code == 200
