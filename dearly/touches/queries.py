"""Reads of the touch log and of staff tasks, always through the member's scope.

Tasks are scoped by their contact's branch, the same rule as contacts (core.access), so a task
never shows to someone who could not open its contact, even after the contact moved branch.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.contacts.forms.filters import business_region, search_q
from dearly.contacts.models import Contact
from dearly.contacts.queries import contacts_for_member
from dearly.core.access import members_seeing_branch, scope_to_member
from dearly.core.models import Membership
from dearly.touches.models import CallOutcome, Task, TaskStatus, Touch

TIMELINE_PAGE = 50

# origin_type -> (app label, model, label shown before the name). Looked up lazily so the touch
# log does not depend on the apps that write to it; an origin whose app is absent shows its id.
ORIGINS: dict[str, tuple[str, str, str]] = {
    "campaign": ("campaigns", "Campaign", "Campaign"),
    "journey": ("journeys", "Journey", "Journey"),
    "rhythm": ("rhythms", "Rhythm", "Rhythm"),
    "series": ("campaigns", "Series", "Newsletter"),
}
# Shown beside the kind's name, never instead of it.
ICONS = {
    "message": "✉",
    "reply": "↩",
    "call": "☎",
    "visit": "⌂",
    "purchase": "🛒",
    "survey": "☑",
    "note": "✎",
}
OUTCOMES = dict(CallOutcome.choices)
PLAIN_ORIGINS = {"task": "Task", "api": "API", "event": "Event", "test": "Test"}


@dataclass(frozen=True, slots=True)
class TimelinePage:
    touches: list[Touch]
    next_offset: int | None  # None when there is nothing older


def timeline(contact: Contact, *, offset: int = 0, limit: int = TIMELINE_PAGE) -> TimelinePage:
    """The contact's touches, newest first, a page at a time, each with its origin label.
    Two queries at most per origin type shown, whatever the page size (index touch_contact)."""
    rows = list(
        Touch.objects.filter(contact=contact)
        .select_related("staff")
        .order_by("-occurred_at", "-pk")[offset : offset + limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    label_origins(rows)
    for touch in rows:
        touch.icon = ICONS.get(touch.kind, "•")  # type: ignore[attr-defined]
        touch.outcome_label = OUTCOMES.get(touch.outcome, touch.outcome)  # type: ignore[attr-defined]
    return TimelinePage(touches=rows, next_offset=offset + limit if more else None)


def label_origins(touches: Iterable[Touch]) -> None:
    """Set `origin_label` on each touch ("Campaign: Winter menu"), one query per origin type."""
    wanted: dict[str, set[int]] = defaultdict(set)
    touches = list(touches)
    for touch in touches:
        if touch.origin_type in ORIGINS and touch.origin_id is not None:
            wanted[touch.origin_type].add(touch.origin_id)
    names = {kind: _names(kind, ids) for kind, ids in wanted.items()}
    for touch in touches:
        touch.origin_label = origin_label(touch, names)  # type: ignore[attr-defined]


def origin_label(touch: Touch, names: dict[str, dict[int, str]]) -> str:
    kind, pk = touch.origin_type, touch.origin_id
    if not kind:
        return ""
    if kind in ORIGINS:
        prefix = ORIGINS[kind][2]
        name = names.get(kind, {}).get(pk) if pk is not None else None
        return f"{prefix}: {name}" if name else f"{prefix} #{pk}"
    return PLAIN_ORIGINS.get(kind, kind.replace("_", " ").capitalize())


def _names(kind: str, ids: set[int]) -> dict[int, str]:
    app_label, model_name, _ = ORIGINS[kind]
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return {}
    return dict(model._default_manager.filter(pk__in=ids).values_list("pk", "name"))


def tasks_for_member(member: Membership) -> QuerySet[Task]:
    return scope_to_member(Task.objects.all(), member, branch_field="contact__branch")


def open_tasks_for_member(member: Membership, *, mine: bool = False) -> QuerySet[Task]:
    """Open tasks the member may act on, soonest due first."""
    tasks = tasks_for_member(member).filter(status=TaskStatus.OPEN)
    if mine:
        tasks = tasks.filter(assigned_to_id=member.user_id)
    return tasks.select_related("contact", "assigned_to").order_by("due_at", "pk")


def open_task_count(member: Membership) -> int:
    return tasks_for_member(member).filter(status=TaskStatus.OPEN).count()


def open_tasks_for_contact(contact: Contact) -> list[Task]:
    """A contact's open tasks (the caller has already checked the member may see the contact)."""
    return list(
        Task.objects.filter(contact=contact, status=TaskStatus.OPEN)
        .select_related("assigned_to")
        .order_by("due_at", "pk")
    )


def get_task_for_member(member: Membership, public_id: UUID | str) -> Task:
    """The task, if this member may see its contact; otherwise 404, as if it did not exist."""
    try:
        return tasks_for_member(member).select_related("contact").get(public_id=public_id)
    except (Task.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("No such task") from None


def is_overdue(task: Task, now: dt.datetime) -> bool:
    return task.status == TaskStatus.OPEN and task.due_at < now


def assignable_members(member: Membership, contact: Contact | None) -> list[Membership]:
    """Whom a task may be given to: active members who may see its contact. Before a contact
    is chosen, those who see the member's own branch (everyone, for an owner or manager)."""
    members = Membership.objects.filter(user__is_active=True).select_related("user")
    if contact is not None:
        members = members_seeing_branch(members, contact.branch_id)
    elif not member.sees_all_branches:
        members = members_seeing_branch(members, member.branch_id)
    return list(members.order_by("user__first_name", "user__username"))


def find_contacts_for_member(member: Membership, text: str, *, limit: int = 10) -> list[Contact]:
    """Contacts the member may see whose name, email or phone matches, up to `limit` + 1 (so
    the caller can tell "more than this")."""
    found = contacts_for_member(member).filter(search_q(text, business_region()))
    found = found.select_related("branch").order_by("first_name", "last_name", "pk")
    return list(found[: limit + 1])
