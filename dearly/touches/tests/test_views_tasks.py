"""The tasks page: scope, order, overdue, mine/all, done and cancel, from there or the contact."""

import pytest
from django.test import Client

from dearly.conftest import client_for, make_contact
from dearly.core.models import AuditEvent
from dearly.touches.models import Task, TaskStatus, Touch
from dearly.touches.tests.helpers import a_task

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def nell(north):
    return make_contact(first_name="Nell", branch=north)


@pytest.fixture
def sid(south):
    return make_contact(first_name="Sid", branch=south)


def titles(response):
    return [task.title for task in response.context["page"].object_list]


def test_branch_staff_see_only_their_branchs_open_tasks_soonest_first(north_staff, nell, sid):
    a_task(nell, title="Call Nell later", days=3)
    a_task(nell, title="Call Nell first", days=-2)
    a_task(sid, title="Call Sid")
    done = a_task(nell, title="Already done")
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE)
    response = client_for(north_staff).get("/tasks/")
    assert titles(response) == ["Call Nell first", "Call Nell later"]
    html = response.content.decode()
    assert "Overdue by 2\xa0days" in html
    assert 'class="overdue"' in html


def test_the_owner_sees_every_branch_and_the_nav_counts_open_tasks(owner, nell, sid):
    a_task(nell)
    a_task(sid)
    response = client_for(owner).get("/tasks/")
    assert len(titles(response)) == 2
    assert 'Tasks <span class="badge">2</span>' in response.content.decode()


def test_a_task_follows_its_contact_to_another_branch(north_staff, south, nell):
    a_task(nell, title="Call Nell")
    nell.branch = south
    nell.save(update_fields=["branch"])
    assert titles(client_for(north_staff).get("/tasks/")) == []


def test_mine_shows_only_the_tasks_assigned_to_me(north_staff, manager, nell):
    a_task(nell, title="For Nora", assigned_to_id=north_staff.pk)
    a_task(nell, title="For Manny", assigned_to_id=manager.pk)
    client = client_for(north_staff)
    assert titles(client.get("/tasks/", {"show": "mine"})) == ["For Nora"]
    assert sorted(titles(client.get("/tasks/"))) == ["For Manny", "For Nora"]


def test_done_logs_the_call_with_its_outcome_and_leaves_the_list(north_staff, nell):
    task = a_task(nell, title="Call about the cake order")
    response = client_for(north_staff).post(
        f"/tasks/{task.public_id}/done",
        {"outcome": "left_message", "note": "Voicemail"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Done: Call about the cake order." in response.content.decode()
    assert titles(response) == []
    task.refresh_from_db()
    touch = Touch.objects.get()
    assert task.status == TaskStatus.DONE and task.touch == touch and task.done_by == north_staff
    assert (touch.kind, touch.outcome, touch.note, touch.real) == (
        "call",
        "left_message",
        "Voicemail",
        True,
    )
    assert (touch.origin_type, touch.origin_id) == ("task", task.pk)
    assert AuditEvent.objects.filter(action="task.done", contact=nell).exists()


def test_a_card_needs_no_outcome(north_staff, nell):
    task = a_task(nell, kind="card", title="Birthday card")
    client_for(north_staff).post(f"/tasks/{task.public_id}/done", {}, headers=HTMX)
    touch = Touch.objects.get()
    assert (touch.kind, touch.channel, touch.outcome) == ("message", "post", "")


def test_a_bad_outcome_is_shown_next_to_the_field_of_that_task_only(north_staff, nell):
    task = a_task(nell)
    response = client_for(north_staff).post(
        f"/tasks/{task.public_id}/done", {"outcome": "maybe"}, headers=HTMX
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#task-actions-{task.public_id}"
    assert f'id="task{task.pk}_outcome_error"' in html
    assert html.lstrip().startswith('<div class="task-actions"')
    assert Task.objects.get().status == TaskStatus.OPEN and not Touch.objects.exists()


def test_closing_a_task_twice_changes_nothing_the_second_time(north_staff, nell):
    task = a_task(nell)
    client = client_for(north_staff)
    client.post(f"/tasks/{task.public_id}/done", {"outcome": "spoke"}, headers=HTMX)
    again = client.post(f"/tasks/{task.public_id}/cancel", {"confirm": "yes"}, headers=HTMX)
    assert "Nothing changed: this task is already closed." in again.content.decode()
    assert Task.objects.get().status == TaskStatus.DONE
    assert Touch.objects.count() == 1


def test_cancel_closes_the_task_without_a_touch(north_staff, nell):
    task = a_task(nell)
    response = client_for(north_staff).post(f"/tasks/{task.public_id}/cancel", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert Task.objects.get().status == TaskStatus.CANCELLED
    assert not Touch.objects.exists()


def test_done_from_the_contact_page_answers_with_the_contacts_touches(north_staff, nell):
    task = a_task(nell, title="Call Nell back")
    response = client_for(north_staff).post(
        f"/tasks/{task.public_id}/done", {"outcome": "spoke", "back": "contact"}, headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<article id="touches"')
    assert "Done: Call Nell back." in html and 'id="last-touch" hx-swap-oob="true"' in html
    assert "Call Nell back</div>" in html  # the task title is the touch's note


def test_the_contact_page_lists_the_contacts_open_tasks(owner, nell):
    a_task(nell, title="Send Nell the menu", kind="follow_up")
    html = client_for(owner).get(f"/contacts/{nell.public_id}/").content.decode()
    assert "Open tasks" in html and "Send Nell the menu" in html


@pytest.mark.parametrize("action", ["done", "cancel"])
def test_staff_of_another_branch_get_not_found(south_staff, nell, action):
    task = a_task(nell)
    response = client_for(south_staff).post(
        f"/tasks/{task.public_id}/{action}", {"outcome": "spoke"}
    )
    assert response.status_code == 404
    assert Task.objects.get().status == TaskStatus.OPEN


@pytest.mark.parametrize("action", ["done", "cancel"])
def test_outsiders_are_forbidden_and_anonymous_visitors_sent_to_log_in(
    outsider, client, nell, action
):
    task = a_task(nell)
    url = f"/tasks/{task.public_id}/{action}"
    assert client_for(outsider).post(url, {"outcome": "spoke"}).status_code == 403
    assert client.post(url, {"outcome": "spoke"})["Location"].startswith("/login/")
    assert client_for(outsider).get("/tasks/").status_code == 403
    assert Task.objects.get().status == TaskStatus.OPEN


def test_closing_a_task_needs_the_csrf_token(north_staff, nell):
    task = a_task(nell)
    client = Client(enforce_csrf_checks=True)
    client.force_login(north_staff)
    assert client.post(f"/tasks/{task.public_id}/done", {"outcome": "spoke"}).status_code == 403
    assert Task.objects.get().status == TaskStatus.OPEN


def test_closing_a_task_in_mine_shows_mine_again(north_staff, manager, nell):
    task = a_task(nell, title="For Nora", assigned_to_id=north_staff.pk)
    a_task(nell, title="Also for Nora", assigned_to_id=north_staff.pk, days=1)
    a_task(nell, title="For Manny", assigned_to_id=manager.pk)
    response = client_for(north_staff).post(
        f"/tasks/{task.public_id}/done?show=mine", {"outcome": "spoke"}, headers=HTMX
    )
    assert titles(response) == ["Also for Nora"]
    assert "?show=mine" in response.content.decode()


def test_cancelling_asks_first_in_the_page_itself_without_a_script(north_staff, nell):
    a_task(nell, title="Call Nell back")
    html = client_for(north_staff).get("/tasks/").content.decode()
    actions = html[html.index('class="task-actions"') :]
    assert '<details class="confirm-cancel">' in actions
    assert 'name="confirm" value="yes"' in actions and "Yes, cancel the task" in actions
    assert "onclick" not in html and "hx-confirm" not in html


def test_a_cancel_posted_without_confirmation_asks_and_changes_nothing(north_staff, nell):
    task = a_task(nell, title="Call Nell back")
    client = client_for(north_staff)
    response = client.post(f"/tasks/{task.public_id}/cancel", {"back": "contact"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cancel this task?" in html and "Call Nell back" in html
    assert 'name="confirm" value="yes"' in html and 'name="back" value="contact"' in html
    assert Task.objects.get().status == TaskStatus.OPEN
    assert not AuditEvent.objects.filter(action="task.cancelled").exists()
    confirmed = client.post(
        f"/tasks/{task.public_id}/cancel", {"back": "contact", "confirm": "yes"}
    )
    assert confirmed.status_code == 302
    assert Task.objects.get().status == TaskStatus.CANCELLED


def test_branch_staff_cannot_reach_the_confirmation_for_another_branchs_task(south_staff, nell):
    task = a_task(nell)
    assert client_for(south_staff).post(f"/tasks/{task.public_id}/cancel").status_code == 404
