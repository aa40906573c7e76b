"""Tasks set by hand, from the tasks page or a contact's page, within the member's branch."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from dearly.conftest import client_for, make_contact, make_user
from dearly.core.models import AuditEvent, Membership, Role
from dearly.touches.models import Task

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)  # a Tuesday
FRIDAY = "2026-12-11"
NEW = "/tasks/new"


@pytest.fixture(autouse=True)
def tuesday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def nell(north):
    return make_contact(first_name="Nell", last_name="North", phone="+447911123456", branch=north)


@pytest.fixture
def sid(south):
    return make_contact(first_name="Sid", last_name="South", branch=south)


def task_data(**overrides):
    return {"kind": "call", "title": "Ring back with a quote", "due_date": FRIDAY} | overrides


def member_id(user):
    return str(Membership.objects.get(user=user).pk)


def test_from_a_contact_page_staff_add_a_task_with_due_date_assignee_and_kind(north_staff, nell):
    client = client_for(north_staff)
    page = client.get(f"/contacts/{nell.public_id}/").content.decode()
    assert f'href="{NEW}?contact={nell.public_id}"' in page
    form = client.get(f"{NEW}?contact={nell.public_id}").content.decode()
    assert "New task for Nell North" in form and 'name="back" value="contact"' in form
    response = client.post(
        NEW,
        task_data(
            contact=str(nell.public_id),
            back="contact",
            kind="call",
            due_time="15:30",
            assigned_to=member_id(north_staff),
            note="Wants the hedge and the lawn priced separately",
        ),
    )
    assert response["Location"] == f"/contacts/{nell.public_id}/#touches"
    task = Task.objects.get()
    assert (task.contact, task.kind, task.title) == (nell, "call", "Ring back with a quote")
    assert task.assigned_to == north_staff and task.branch == nell.branch
    local = timezone.localtime(task.due_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (FRIDAY, "15:30")
    event = AuditEvent.objects.get(action="task.created")
    assert event.contact == nell and event.actor == north_staff
    assert event.new["assigned_to"] == "nora" and event.new["kind"] == "call"
    assert "Task added" in client.get(f"/contacts/{nell.public_id}/").content.decode()


def test_a_task_due_on_a_day_is_not_overdue_until_the_day_is_over(owner, nell):
    client_for(owner).post(NEW, task_data(contact=str(nell.public_id)))
    local = timezone.localtime(Task.objects.get().due_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (FRIDAY, "23:59")


def test_from_the_task_list_a_contact_is_found_by_name(owner, nell, sid):
    client = client_for(owner)
    assert f'href="{NEW}"' in client.get("/tasks/").content.decode()
    response = client.post(NEW, task_data(find="nell"))
    assert response["Location"] == "/tasks/"
    assert Task.objects.get().contact == nell
    assert "Nell North" in client.get("/tasks/").content.decode()


def test_several_matches_are_offered_to_choose_from_and_nothing_is_added(owner, north):
    make_contact(first_name="Nell", last_name="Ames", branch=north)
    other = make_contact(first_name="Nell", last_name="Bell", branch=north)
    client = client_for(owner)
    response = client.post(NEW, task_data(find="Nell"))
    html = response.content.decode()
    assert "2 contacts match: choose one below." in html
    assert f'name="contact" value="{other.public_id}"' in html
    assert not Task.objects.exists()
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', html)[1]  # type: ignore[index]
    client.post(NEW, task_data(find="Nell", contact=str(other.public_id), submission=token))
    assert Task.objects.get().contact == other


def test_branch_staff_cannot_find_or_add_tasks_for_another_branchs_contacts(north_staff, sid):
    client = client_for(north_staff)
    response = client.post(NEW, task_data(find="Sid"))
    assert "No contact you can see matches “Sid”." in response.content.decode()
    assert client.get(f"{NEW}?contact={sid.public_id}").status_code == 404
    assert client.post(NEW, task_data(contact=str(sid.public_id))).status_code == 404
    assert not Task.objects.exists()


def test_a_task_cannot_be_given_to_staff_of_another_branch(owner, nell, south_staff):
    response = client_for(owner).post(
        NEW, task_data(contact=str(nell.public_id), assigned_to=member_id(south_staff))
    )
    assert "assigned_to" in response.context["form"].errors
    assert not Task.objects.exists()


def test_only_people_who_see_the_contact_are_offered_as_assignees(owner, nell, south_staff):
    manager = make_user("manny", role=Role.MANAGER)
    html = client_for(owner).get(f"{NEW}?contact={nell.public_id}").content.decode()
    assert f'value="{member_id(manager)}"' in html
    assert f'value="{member_id(south_staff)}"' not in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "dance"}, "kind"),
        ({"due_date": "2026-12-07"}, "due_date"),
        ({"due_date": "2026-12-08", "due_time": "09:00"}, "due_date"),
        ({"due_date": "next friday"}, "due_date"),
        ({"find": ""}, "find"),
    ],
    ids=["no-title", "unknown-kind", "yesterday", "earlier-today", "not-a-date", "no-contact"],
)
def test_a_bad_task_is_refused_next_to_its_field(owner, nell, overrides, field):
    data = task_data(find="Nell") | overrides
    response = client_for(owner).post(NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Task.objects.exists()


def test_a_double_submitted_task_is_added_once(owner, nell):
    client = client_for(owner)
    html = client.get(f"{NEW}?contact={nell.public_id}").content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', html)[1]  # type: ignore[index]
    data = task_data(contact=str(nell.public_id), submission=token)
    client.post(NEW, data)
    again = client.post(NEW, data, follow=True)
    assert "That task was already added." in again.content.decode()
    assert Task.objects.count() == 1
    assert AuditEvent.objects.filter(action="task.created").count() == 1


def test_the_form_offers_today_in_the_format_a_date_input_reads(owner, nell):
    html = client_for(owner).get(f"{NEW}?contact={nell.public_id}").content.decode()
    assert 'type="date" name="due_date" value="2026-12-08"' in html
