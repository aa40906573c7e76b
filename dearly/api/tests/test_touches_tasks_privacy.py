"""Touches, tasks, and a person's export and erasure through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from dearly.api.tests.helpers import errors_of, post
from dearly.conftest import make_contact
from dearly.contacts.models import Contact, PointKind
from dearly.contacts.suppression import reasons_for
from dearly.core.models import AuditEvent
from dearly.touches.models import Task, Touch
from dearly.touches.services import create_task, log_touch

pytestmark = pytest.mark.django_db


def test_a_contacts_touches_are_listed_newest_first(api):
    ada = make_contact(email="ada@example.com")
    now = timezone.now()
    for days in (3, 1, 2):
        log_touch(
            contact=ada,
            kind="call",
            channel="phone",
            direction="out",
            occurred_at=now - dt.timedelta(days=days),
        )
    page = api.get(f"/api/v1/contacts/{ada.public_id}/touches?limit=2").json()
    assert [t["occurred_at"][:10] for t in page["items"]] == [
        (now - dt.timedelta(days=d)).date().isoformat() for d in (1, 2)
    ]
    assert page["next_offset"] == 2


def test_logging_a_call_that_reached_nobody_keeps_it_but_not_as_a_real_touch(api):
    ada = make_contact(email="ada@example.com")
    body = {"kind": "call", "channel": "phone", "outcome": "no_answer", "note": "Try Friday"}
    response = post(api, f"/api/v1/contacts/{ada.public_id}/touches", body)
    assert response.status_code == 201, response.content
    assert (response.json()["real"], response.json()["origin"]) == (False, "API")
    touch = Touch.objects.get()
    assert (touch.kind, touch.note) == ("call", "Try Friday")
    assert AuditEvent.objects.filter(action="touch.call", source="api").exists()


def test_a_touch_in_the_future_is_refused_naming_the_field(api):
    ada = make_contact(email="ada@example.com")
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    body = {"kind": "visit", "channel": "in_person", "occurred_at": later}
    errors = errors_of(post(api, f"/api/v1/contacts/{ada.public_id}/touches", body))
    assert "future" in errors["occurred_at"]
    assert not Touch.objects.exists()


def test_purchases_are_not_logged_as_touches_here(api):
    ada = make_contact(email="ada@example.com")
    body = {"kind": "purchase", "channel": "web"}
    assert "kind" in errors_of(post(api, f"/api/v1/contacts/{ada.public_id}/touches", body))


def test_a_task_is_created_listed_and_completed_with_its_touch(api):
    ada = make_contact(email="ada@example.com")
    created = post(
        api, "/api/v1/tasks", {"contact": str(ada.public_id), "kind": "call", "title": "Ring Ada"}
    )
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]
    listed = api.get("/api/v1/tasks").json()["items"]
    assert [t["id"] for t in listed] == [task_id]
    done = post(api, f"/api/v1/tasks/{task_id}/complete", {"outcome": "spoke"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert done.json()["touch"] == str(Touch.objects.get(kind="call").public_id)
    assert api.get("/api/v1/tasks").json()["items"] == []
    assert len(api.get("/api/v1/tasks?status=done").json()["items"]) == 1


def test_a_closed_task_cannot_be_completed_again(api):
    ada = make_contact(email="ada@example.com")
    task, _ = create_task(contact=ada, kind="card", title="Birthday card")
    post(api, f"/api/v1/tasks/{task.public_id}/complete", {})
    errors = errors_of(post(api, f"/api/v1/tasks/{task.public_id}/complete", {}))
    assert "already closed" in errors["status"]


def test_tasks_can_be_listed_for_one_contact(api):
    ada, bob = make_contact(email="ada@example.com"), make_contact(email="bob@example.com")
    create_task(contact=ada, kind="call", title="Ring Ada")
    create_task(contact=bob, kind="call", title="Ring Bob")
    items = api.get(f"/api/v1/tasks?contact={ada.public_id}").json()["items"]
    assert [t["title"] for t in items] == ["Ring Ada"]


def test_listing_the_tasks_of_an_unknown_contact_is_refused_on_the_field(api):
    response = api.get("/api/v1/tasks?contact=00000000-0000-0000-0000-000000000000")
    assert "no contact" in errors_of(response)["contact"]


def test_a_task_for_an_unknown_contact_is_refused_on_the_field(api):
    body = {"contact": "00000000-0000-0000-0000-000000000000", "kind": "call", "title": "x"}
    assert "no contact" in errors_of(post(api, "/api/v1/tasks", body))["contact"]
    assert not Task.objects.exists()


def test_an_unknown_task_is_not_found(api):
    response = post(api, "/api/v1/tasks/00000000-0000-0000-0000-000000000000/complete", {})
    assert response.status_code == 404


def test_a_persons_export_holds_their_data_and_is_audited(api):
    ada = make_contact(email="ada@example.com", tags=("vip",))
    response = api.get(f"/api/v1/contacts/{ada.public_id}/export")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["contact"]["email"] == "ada@example.com"
    assert data["tags"] == ["vip"]
    assert AuditEvent.objects.filter(action="contact.data_exported", source="api").exists()


def test_erasing_a_person_deletes_them_and_keeps_their_address_suppressed(api):
    ada = make_contact(email="ada@example.com")
    response = api.post(f"/api/v1/contacts/{ada.public_id}/erase")
    assert response.status_code == 204
    assert not Contact.objects.exists()
    assert reasons_for(kind=PointKind.EMAIL, value="ada@example.com") == {"erased"}
    assert api.get(f"/api/v1/contacts/{ada.public_id}").status_code == 404
    assert api.post(f"/api/v1/contacts/{ada.public_id}/erase").status_code == 404


def test_the_task_list_costs_the_same_few_queries_however_long(api, django_assert_max_num_queries):
    for i in range(5):
        create_task(contact=make_contact(email=f"c{i}@example.com"), kind="call", title=f"Ring {i}")
    api.get("/api/v1/tasks")  # the key's last use is written once a minute
    with django_assert_max_num_queries(3):
        assert len(api.get("/api/v1/tasks").json()["items"]) == 5
