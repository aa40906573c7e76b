"""In Chromium: log a call from the contact page in two clicks, and finish a task on /tasks/."""

import pytest

from dearly.conftest import browser_login, make_contact
from dearly.touches.models import Task, TaskStatus, Touch
from dearly.touches.tests.helpers import a_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_staff_log_a_call_in_two_clicks_and_see_it_in_the_timeline(page, north_staff, north):
    contact = make_contact(first_name="Nell", last_name="Baker", branch=north)
    browser_login(page, north_staff)
    page.goto(f"/contacts/{contact.public_id}/")
    page.get_by_text("Last real touch: never").wait_for()
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Log call").click()  # first click
    form = page.locator("#log-touch")
    assert form.get_by_label("Spoke with them").is_checked()
    form.get_by_role("button", name="Save").click()  # second click
    page.get_by_role("status").get_by_text("Logged: Call · Spoke with them.").wait_for()
    newest = page.locator("ol.touches > li").first
    text = newest.inner_text()
    assert "Call" in text and "Spoke with them" in text and "by Nora" in text
    page.get_by_text("Last real touch: today").wait_for()
    assert page.evaluate("window.notReloaded") is True
    touch = Touch.objects.get()
    assert (touch.kind, touch.outcome, touch.staff_id) == ("call", "spoke", north_staff.pk)


def test_staff_finish_a_task_on_the_tasks_page(page, north_staff, north):
    contact = make_contact(first_name="Nell", last_name="Baker", branch=north)
    a_task(contact, title="Call Nell about her order", days=-1)
    a_task(contact, title="Send Nell a birthday card", kind="card", days=2)
    browser_login(page, north_staff)
    page.get_by_role("link", name="Tasks 2").click()
    page.wait_for_url("**/tasks/")
    row = page.locator("tr", has_text="Call Nell about her order")
    assert row.get_by_text("Overdue by 1").is_visible()
    row.get_by_text("Done…").click()
    row.get_by_label("Left a message").check()
    row.get_by_label("Note").fill("Will ring back on Friday")
    row.get_by_role("button", name="Mark done").click()
    page.get_by_role("status").get_by_text("Done: Call Nell about her order.").wait_for()
    assert page.locator("tr", has_text="Call Nell about her order").count() == 0
    assert page.locator("tr", has_text="Send Nell a birthday card").is_visible()
    task = Task.objects.get(title="Call Nell about her order")
    assert task.status == TaskStatus.DONE
    touch = task.touch
    assert touch is not None
    assert (touch.outcome, touch.note) == ("left_message", "Will ring back on Friday")


def test_cancelling_a_task_takes_a_second_click_to_confirm(page, north_staff, north):
    contact = make_contact(first_name="Nell", last_name="Baker", branch=north)
    a_task(contact, title="Call Nell about her order")
    browser_login(page, north_staff)
    page.goto("/tasks/")
    row = page.locator("tr", has_text="Call Nell about her order")
    confirm = row.get_by_role("button", name="Yes, cancel the task")
    assert not confirm.is_visible()
    row.get_by_text("Cancel task…").click()  # first click only opens the question
    assert Task.objects.get().status == TaskStatus.OPEN
    confirm.click()
    page.get_by_role("status").get_by_text("Cancelled: Call Nell about her order.").wait_for()
    assert Task.objects.get().status == TaskStatus.CANCELLED


def test_staff_add_a_task_from_the_contact_page(page, north_staff, north):
    contact = make_contact(first_name="Nell", last_name="Baker", branch=north)
    browser_login(page, north_staff)
    page.goto(f"/contacts/{contact.public_id}/")
    page.get_by_role("button", name="Add task").click()
    page.get_by_label("What needs doing").fill("Ring back with a quote")
    page.get_by_role("button", name="Add task").click()
    page.wait_for_url(f"**/contacts/{contact.public_id}/#touches")
    page.locator("#touches strong", has_text="Ring back with a quote").wait_for()
    assert Task.objects.get().assigned_to == north_staff
