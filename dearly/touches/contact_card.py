"""The touch-related part of the contact page: timeline, open tasks and the log form."""

from typing import Any

from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.touches.forms import LOGGABLE, LogTouchForm, TaskDoneForm, with_done_forms
from dearly.touches.models import Touch
from dearly.touches.queries import open_tasks_for_contact, timeline


def touches_context(
    contact: Contact,
    *,
    offset: int = 0,
    log_kind: str = "",
    log_form: LogTouchForm | None = None,
    logged: Touch | None = None,
    task_form: TaskDoneForm | None = None,
) -> dict[str, Any]:
    """Everything the "Touches" card needs; a log form only when one was asked for."""
    if log_kind in LOGGABLE and log_form is None:
        log_form = LogTouchForm(auto_id="log_%s")
    return {
        "contact": contact,
        "touch_page": timeline(contact, offset=offset),
        "offset": offset,
        "contact_tasks": with_done_forms(open_tasks_for_contact(contact), task_form),
        "log_kind": log_kind if log_kind in LOGGABLE else "",
        "log_title": LOGGABLE[log_kind][2] if log_kind in LOGGABLE else "",
        "log_form": log_form if log_kind in LOGGABLE else None,
        "logged": logged,
        "now": timezone.now(),
    }


def parse_offset(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0
