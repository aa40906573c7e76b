"""The tasks page: open tasks in the member's scope, soonest due first, done or cancelled here
or from the contact page (`back=contact` answers with the contact's "Touches" card)."""

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from dearly.contacts.views.common import member_of, page_or_fragment, wants_fragment
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required
from dearly.touches.contact_card import touches_context
from dearly.touches.forms import TaskDoneForm, done_form, with_done_forms
from dearly.touches.models import Task
from dearly.touches.queries import get_task_for_member, open_tasks_for_member
from dearly.touches.services import TouchError, cancel_task, complete_task
from dearly.touches.views_contact import contact_url, render_card

PER_PAGE = 50
PAGE = "touches/tasks.html"


@member_required(Can.VIEW_CONTACTS)
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    return page_or_fragment(request, PAGE, "tasks", tasks_context(request))


@member_required(Can.EDIT_CONTACTS)
@require_POST
def task_done(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Close the task and log the call, visit or card it asked for."""
    task = get_task_for_member(member_of(request), public_id)
    form = done_form(task, request.POST)
    if form.is_valid():
        try:
            complete_task(
                task=task,
                actor=Actor.from_request(request),
                outcome=form.cleaned_data.get("outcome", ""),
                note=form.cleaned_data["note"].strip(),
            )
        except TouchError as exc:
            return answer(request, task, notice=f"Nothing changed: {exc}.")
        return answer(request, task, notice=f"Done: {task.title}.")
    return answer(request, task, form=form)


@member_required(Can.EDIT_CONTACTS)
@require_POST
def task_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Cancel only once asked twice: a post without `confirm=yes` (the button's first step
    inside <details>, or an old page) shows a page that asks, and changes nothing."""
    task = get_task_for_member(member_of(request), public_id)
    if request.POST.get("confirm") != "yes":
        context = {"task": task, "back": request.POST.get("back", ""), "nav": "tasks"}
        return render(request, "touches/task_cancel.html", context | {"keep": _keep(request)})
    try:
        cancel_task(task=task, actor=Actor.from_request(request))
    except TouchError as exc:
        return answer(request, task, notice=f"Nothing changed: {exc}.")
    return answer(request, task, notice=f"Cancelled: {task.title}.")


def _keep(request: HttpRequest) -> str:
    return request.GET.urlencode()


def answer(
    request: HttpRequest, task: Task, *, notice: str = "", form: TaskDoneForm | None = None
) -> HttpResponse:
    """Whatever page the task was closed from, shown again: the tasks list or the contact's
    card. A form with errors replaces only that task's actions, where the errors belong."""
    from_contact = request.POST.get("back") == "contact"
    if form is not None and wants_fragment(request):
        return actions_with_errors(request, task, form, from_contact=from_contact)
    if from_contact:
        return contact_card(request, task, notice=notice, form=form)
    if wants_fragment(request) or form is not None:
        context = {**tasks_context(request, form=form), "notice": notice}
        return page_or_fragment(request, PAGE, "tasks", context)
    return redirect(
        reverse("touches:tasks") + (f"?{request.GET.urlencode()}" if request.GET else "")
    )


def contact_card(
    request: HttpRequest, task: Task, *, notice: str, form: TaskDoneForm | None
) -> HttpResponse:
    if form is None and not wants_fragment(request):
        return redirect(contact_url(task.contact) + "#touches")
    task.contact.refresh_from_db(fields=["last_touch_at"])
    context = {**touches_context(task.contact, task_form=form), "notice": notice, "oob": True}
    return render_card(request, task.contact, context)


def actions_with_errors(
    request: HttpRequest, task: Task, form: TaskDoneForm, *, from_contact: bool
) -> HttpResponse:
    task.done_form = form  # type: ignore[attr-defined]
    context = {
        "task": task,
        "back": "contact" if from_contact else "",
        "target": "#touches" if from_contact else "#tasks",
        "keep": request.GET.urlencode(),
    }
    response = render(request, "touches/_task_actions.html", context)
    return reswap(retarget(response, f"#task-actions-{task.public_id}"), "outerHTML")


def tasks_context(request: HttpRequest, *, form: TaskDoneForm | None = None) -> dict[str, Any]:
    member = member_of(request)
    mine = request.GET.get("show") == "mine"
    tasks = open_tasks_for_member(member, mine=mine)
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    with_done_forms(list(page.object_list), form)
    keep = request.GET.urlencode()  # a task closed on page 2 of "mine" shows that page again
    return {"page": page, "mine": mine, "keep": keep, "now": timezone.now(), "nav": "tasks"}
