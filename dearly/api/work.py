"""Touches and staff tasks: a contact's touch log, logging a touch, and the task list.

A key acts for the whole business: every branch's tasks are listed, as an owner sees them.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from dearly.api.auth import api_actor, api_member
from dearly.api.lookups import referenced
from dearly.api.queries import get_contact
from dearly.api.schemas import ErrorOut
from dearly.api.work_schemas import (
    PageQuery,
    TaskDoneIn,
    TaskIn,
    TaskOut,
    TaskPage,
    TaskQuery,
    TouchIn,
    TouchOut,
    TouchPage,
)
from dearly.touches.queries import get_task_for_member, label_origins, tasks_for_member, timeline
from dearly.touches.services import complete_task, create_task, log_touch

router = Router(tags=["touches and tasks"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/contacts/{contact_id}/touches",
    response={200: TouchPage, **ERRORS},
    operation_id="list_touches",
    summary="A contact's touches (messages, replies, calls, visits, purchases), newest first",
)
def list_touches(request: HttpRequest, contact_id: str, query: Query[PageQuery]) -> Any:
    page = timeline(get_contact(contact_id), offset=query.offset, limit=query.limit)
    return {"items": page.touches, "next_offset": page.next_offset}


@router.post(
    "/contacts/{contact_id}/touches",
    response={201: TouchOut, **ERRORS},
    operation_id="log_touch",
    summary="Log a call, visit, note or survey answer with a contact",
)
def add_touch(request: HttpRequest, contact_id: str, payload: TouchIn) -> Status[Any]:
    """A call or visit that reached nobody (no answer, wrong number) is kept but does not
    count as a real touch, so the contact's rhythm is not reset."""
    touch = log_touch(
        contact=get_contact(contact_id),
        kind=payload.kind,
        channel=payload.channel,
        direction=payload.direction,
        occurred_at=payload.occurred_at,
        actor=api_actor(request),
        outcome=payload.outcome,
        note=payload.note,
        origin_type="api",
    )
    label_origins([touch])
    return Status(201, touch)


@router.get(
    "/tasks",
    response={200: TaskPage, **ERRORS},
    operation_id="list_tasks",
    summary="Staff tasks, soonest due first (open ones unless a status is given)",
)
def list_tasks(request: HttpRequest, query: Query[TaskQuery]) -> dict[str, Any]:
    tasks = tasks_for_member(api_member()).filter(status=query.status)
    if query.contact:
        tasks = tasks.filter(contact=referenced(get_contact, query.contact, field="contact"))
    window = query.offset + query.limit
    rows = list(
        tasks.select_related("contact", "touch").order_by("due_at", "pk")[query.offset : window + 1]
    )
    more = len(rows) > query.limit
    return {"items": rows[: query.limit], "next_offset": window if more else None}


@router.post(
    "/tasks",
    response={201: TaskOut, 401: ErrorOut, 422: ErrorOut},
    operation_id="create_task",
    summary="Ask the contact's branch to call, visit or write to them",
)
def add_task(request: HttpRequest, payload: TaskIn) -> Status[Any]:
    contact = referenced(get_contact, payload.contact, field="contact")
    task, _ = create_task(
        contact=contact,
        kind=payload.kind,
        title=payload.title,
        due_at=payload.due_at,
        note=payload.note,
        origin_type="api",
    )
    return Status(201, _task(task.public_id))


@router.post(
    "/tasks/{task_id}/complete",
    response={200: TaskOut, **ERRORS},
    operation_id="complete_task",
    summary="Mark a task done; the call, visit or card it asked for is logged as a touch",
)
def finish_task(request: HttpRequest, task_id: str, payload: TaskDoneIn) -> Any:
    task = _task(task_id)
    complete_task(task=task, actor=api_actor(request), outcome=payload.outcome, note=payload.note)
    return _task(task.public_id)


def _task(public_id: Any) -> Any:
    return get_task_for_member(api_member(), str(public_id))
