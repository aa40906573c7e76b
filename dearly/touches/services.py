"""The touch log's write paths: log a touch, record delivered messages, and staff tasks."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.core.access import sees_branch
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Membership, Source
from dearly.core.signals import emit_contact_event
from dearly.touches.models import (
    UNREAL_OUTCOMES,
    Direction,
    Kind,
    Task,
    TaskKind,
    TaskStatus,
    Touch,
    TouchChannel,
)


class TouchError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def bump_last_touch(contact_ids: Sequence[int], at: dt.datetime) -> int:
    """Move the contacts' last real touch forward to `at` (never back). The rows are locked in
    id order first, the order the outbox claim uses, so two workers never deadlock."""
    stale = Contact.objects.filter(pk__in=contact_ids).filter(
        Q(last_touch_at__isnull=True) | Q(last_touch_at__lt=at)
    )
    ids = list(stale.select_for_update().order_by("pk").values_list("pk", flat=True))
    return Contact.objects.filter(pk__in=ids).update(last_touch_at=at) if ids else 0


@transaction.atomic
def log_touch(
    *,
    contact: Contact,
    kind: str,
    channel: str,
    direction: str,
    occurred_at: dt.datetime | None = None,
    actor: Actor | None = None,
    outcome: str = "",
    note: str = "",
    origin_type: str = "",
    origin_id: int | None = None,
    message_id: int | None = None,
    value: Decimal | None = None,
    currency: str = "",
) -> Touch:
    """Append one touch; a real one moves the contact's last touch forward. A staff member's
    touch (call, visit), or one an integrator logs through the API, is audited and names the
    contact's branch at the time."""
    if kind not in Kind.values:
        raise TouchError(f"unknown kind {kind!r}", field="kind")
    if direction not in Direction.values:
        raise TouchError(f"unknown direction {direction!r}", field="direction")
    when = occurred_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise TouchError("a touch cannot be in the future", field="occurred_at")
    touch = Touch.objects.create(
        contact=contact,
        occurred_at=when,
        kind=kind,
        channel=channel,
        direction=direction,
        real=outcome not in UNREAL_OUTCOMES,
        branch_id=contact.branch_id,
        staff_id=actor.user_id if actor else None,
        outcome=outcome,
        note=note,
        origin_type=origin_type,
        origin_id=origin_id,
        message_id=message_id,
        value=value,
        currency=currency,
    )
    if touch.real:
        bump_last_touch([contact.pk], when)
    if actor is not None and (actor.user_id is not None or actor.source == Source.API):
        record_event(
            actor=actor,
            action=f"touch.{kind}",
            subject=touch,
            contact=contact,
            new={"channel": channel, "outcome": outcome},
        )
    emit_contact_event(contact_id=contact.pk, name=f"touch.{kind}", occurred_at=when)
    return touch


def record_reply(
    *,
    contact_id: int,
    occurred_at: dt.datetime,
    origin_type: str = "",
    origin_id: int | None = None,
    channel: str = TouchChannel.EMAIL,
) -> Touch | None:
    """An inbound touch for a reply to one of our messages, named after the message's origin.
    The caller records it in the transaction that stores the reply event, and only when that
    event was new, so a reply reported twice is one touch."""
    contact = Contact.objects.only("pk", "branch_id").filter(pk=contact_id).first()
    if contact is None:  # erased since the message was sent
        return None
    return log_touch(
        contact=contact,
        kind=Kind.REPLY,
        channel=channel,
        direction=Direction.INBOUND,
        occurred_at=min(occurred_at, timezone.now()),
        origin_type=origin_type,
        origin_id=origin_id,
    )


@dataclass(frozen=True, slots=True)
class Delivered:
    """A message the transport accepted: primitives only (see delivery.claim.record)."""

    message_id: int
    contact_id: int
    channel: str
    origin_type: str
    origin_id: int | None


def record_delivered(messages: Sequence[Delivered], *, at: dt.datetime) -> None:
    """One outbound touch per message the transport accepted (a "sent" message), set-based,
    idempotent on the message. Each names the contact's branch, as a logged touch does, so a
    branch's count of touches and its count of contacts touched agree."""
    if not messages:
        return
    contact_ids = sorted({m.contact_id for m in messages})
    branches = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "branch_id"))
    Touch.objects.bulk_create(
        [
            Touch(
                contact_id=m.contact_id,
                branch_id=branches.get(m.contact_id),
                occurred_at=at,
                kind=Kind.MESSAGE,
                channel=m.channel,
                direction=Direction.OUTBOUND,
                origin_type=m.origin_type,
                origin_id=m.origin_id,
                message_id=m.message_id,
            )
            for m in messages
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    bump_last_touch(contact_ids, at)


@transaction.atomic
def create_task(
    *,
    contact: Contact,
    kind: str,
    title: str,
    due_at: dt.datetime | None = None,
    note: str = "",
    assigned_to_id: int | None = None,
    origin_type: str = "",
    origin_id: int | None = None,
    dedupe_key: str | None = None,
) -> tuple[Task, bool]:
    """A staff task for the contact's branch; with a dedupe key, at most one ever exists."""
    values = {
        "contact": contact,
        "branch_id": contact.branch_id,
        "kind": kind,
        "title": title[:200],
        "note": note,
        "due_at": due_at or timezone.now(),
        "assigned_to_id": assigned_to_id,
        "origin_type": origin_type,
        "origin_id": origin_id,
    }
    if dedupe_key:
        return Task.objects.get_or_create(dedupe_key=dedupe_key[:120], defaults=values)
    return Task.objects.create(**values), True


@transaction.atomic
def add_task(
    *,
    actor: Actor,
    contact: Contact,
    kind: str,
    title: str,
    due_at: dt.datetime,
    note: str = "",
    assignee: Membership | None = None,
) -> Task:
    """A task a member of staff sets by hand ("ring back with a quote on Friday"), audited on
    the contact. Whoever it is given to must be able to see the contact."""
    title = title.strip()
    if kind not in TaskKind.values:
        raise TouchError("choose what kind of task it is", field="kind")
    if not title:
        raise TouchError("say what needs doing", field="title")
    if len(title) > 200:
        raise TouchError("keep it under 200 characters; put the rest in the note", field="title")
    if due_at < timezone.now() - dt.timedelta(minutes=5):
        raise TouchError("that time has passed", field="due_date")
    if assignee is not None and not (
        assignee.user.is_active and sees_branch(assignee, contact.branch_id)
    ):
        raise TouchError("they cannot see this contact's branch", field="assigned_to")
    task, _ = create_task(
        contact=contact,
        kind=kind,
        title=title,
        due_at=due_at,
        note=note.strip(),
        assigned_to_id=assignee.user_id if assignee else None,
    )
    record_event(
        actor=actor,
        action="task.created",
        subject=task,
        contact=contact,
        new={
            "title": task.title,
            "kind": kind,
            "due_at": task.due_at.isoformat(),
            "assigned_to": assignee.user.get_username() if assignee else None,
        },
    )
    return task


TASK_TOUCH = {
    "call": ("call", "phone"),
    "visit": ("visit", "in_person"),
    "card": ("message", "post"),
}


@transaction.atomic
def complete_task(
    *, task: Task, actor: Actor, outcome: str = "", note: str = "", log: bool = True
) -> Task:
    """Mark a task done; the call, visit or card it asked for is logged as a touch."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise TouchError("this task is already closed", field="status")
    if log:
        kind, channel = TASK_TOUCH.get(task.kind, ("note", "in_person"))
        task.touch = log_touch(
            contact=task.contact,
            kind=kind,
            channel=channel,
            direction=Direction.OUTBOUND,
            actor=actor,
            outcome=outcome,
            note=note or task.title,
            origin_type="task",
            origin_id=task.pk,
        )
    task.status = TaskStatus.DONE
    task.done_at = timezone.now()
    task.done_by_id = actor.user_id
    task.save(update_fields=["status", "done_at", "done_by", "touch"])
    record_event(
        actor=actor,
        action="task.done",
        subject=task,
        contact=task.contact,
        new={"title": task.title, "outcome": outcome},
    )
    return task


@transaction.atomic
def cancel_task(*, task: Task, actor: Actor) -> Task:
    """Close a task without doing it; nothing is logged as a touch."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise TouchError("this task is already closed", field="status")
    task.status = TaskStatus.CANCELLED
    task.done_at = timezone.now()
    task.done_by_id = actor.user_id
    task.save(update_fields=["status", "done_at", "done_by"])
    record_event(
        actor=actor,
        action="task.cancelled",
        subject=task,
        contact=task.contact,
        new={"title": task.title},
    )
    return task
