"""Small helpers for touch tests."""

import datetime as dt

from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.touches.models import Task
from dearly.touches.services import create_task


def a_task(
    contact: Contact, *, kind: str = "call", days: int = 0, title: str = "", **kw: int | None
) -> Task:
    """An open task due `days` from now (negative: overdue)."""
    task, _ = create_task(
        contact=contact,
        kind=kind,
        title=title or f"{kind.title()} {contact.first_name}",
        due_at=timezone.now() + dt.timedelta(days=days),
        assigned_to_id=kw.get("assigned_to_id"),
    )
    return task
