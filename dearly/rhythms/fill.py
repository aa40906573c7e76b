"""The fill: the chore that acts on overdue contacts, once per episode.

1. For each active rhythm in priority order, the overdue query (see overdue) picks contacts
   whose current episode has not been acted on, or whose conflict is due for another try,
   most overdue first, at most CAP per run.
2. The batch's consent, pauses, budgets and content history load in a few queries (checks).
3. Per contact, in its own transaction: the episode row is created (and "rhythm.overdue" is
   emitted once, when it is), then either a message is queued with an idempotency key naming
   rhythm, contact and episode, or a task is created with the same key as its dedupe key, or
   the conflict is recorded with the reason and when to try again.
4. Conflicts whose contact is no longer overdue since the same anchor are closed.

A rerun, or a second worker, finds the episode acted on and does nothing; the keys make even a
race harmless: the outbox and the task table refuse the second row.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from dearly.contacts.models import Contact
from dearly.core.signals import emit_contact_event
from dearly.delivery.outbox import enqueue_one
from dearly.rhythms import checks
from dearly.rhythms.models import Action, Episode, EpisodeState, Rhythm
from dearly.rhythms.overdue import open_conflicts, overdue_contacts
from dearly.touches.models import TaskKind
from dearly.touches.services import create_task

log = logging.getLogger("dearly.rhythms")

CAP = 2000  # contacts per rhythm per run: the rest wait for the next run, most overdue first
ORIGIN = "rhythm"


def run(now: dt.datetime) -> int:
    """The chore (every 15 minutes): returns how many episodes it acted on or retried."""
    rhythms = Rhythm.objects.filter(active=True).select_related("segment")
    return sum(fill_rhythm(rhythm, now=now) for rhythm in rhythms.order_by("priority", "id"))


def episode_key(rhythm: Rhythm, contact_id: int, anchor: dt.datetime) -> str:
    return f"rhythm:{rhythm.pk}:{contact_id}:{int(anchor.timestamp())}"


def due(rhythm: Rhythm, *, now: dt.datetime, cap: int = CAP) -> list[tuple[int, dt.datetime]]:
    """(contact id, anchor) of overdue contacts the fill should act on now."""
    settled = Episode.objects.filter(
        rhythm=rhythm, contact_id=OuterRef("pk"), anchor=OuterRef("anchor")
    ).filter(Q(retry_at__isnull=True) | Q(retry_at__gt=now))
    overdue = overdue_contacts(rhythm, now=now).exclude(Exists(settled))
    return list(overdue.order_by("-days_overdue", "pk").values_list("pk", "anchor")[:cap])


def fill_rhythm(rhythm: Rhythm, *, now: dt.datetime, cap: int = CAP) -> int:
    Episode.objects.filter(rhythm=rhythm, state=EpisodeState.CONFLICT).exclude(
        pk__in=open_conflicts(rhythm, now=now).values("pk")
    ).update(state=EpisodeState.CLOSED, retry_at=now)
    todo = due(rhythm, now=now, cap=cap)
    if not todo:
        return 0
    contacts = Contact.objects.in_bulk([pk for pk, _ in todo])
    batch = (
        checks.load(rhythm, list(contacts), now=now) if rhythm.action == Action.MESSAGE else None
    )
    for contact_id, anchor in todo:
        contact = contacts.get(contact_id)
        if contact is not None:
            act(rhythm, contact, anchor, batch=batch, now=now)
    log.info("rhythm.filled rhythm=%s contacts=%d", rhythm.pk, len(todo))
    return len(todo)


@transaction.atomic
def act(
    rhythm: Rhythm,
    contact: Contact,
    anchor: dt.datetime,
    *,
    batch: checks.Batch | None,
    now: dt.datetime,
) -> Episode:
    episode, created = Episode.objects.get_or_create(
        rhythm=rhythm,
        contact=contact,
        anchor=anchor,
        defaults={"state": EpisodeState.CONFLICT, "retry_at": now},
    )
    if created:
        emit_contact_event(
            contact_id=contact.pk,
            name="rhythm.overdue",
            occurred_at=now,
            properties={"rhythm_id": rhythm.pk},
        )
    key = episode_key(rhythm, contact.pk, anchor)
    if batch is None:
        _task(rhythm, contact, episode, key, now=now)
    else:
        _message(rhythm, contact, episode, key, batch=batch)
    episode.save(
        update_fields=[
            "state",
            "reason",
            "detail",
            "retry_at",
            "message_id",
            "task_id",
            "updated_at",
        ]
    )
    return episode


def _task(
    rhythm: Rhythm, contact: Contact, episode: Episode, key: str, *, now: dt.datetime
) -> None:
    task, _ = create_task(
        contact=contact,
        kind=rhythm.task_kind,
        title=f"{TaskKind(rhythm.task_kind).label}: {contact.display_name} ({rhythm.name})",
        due_at=now,
        origin_type=ORIGIN,
        origin_id=rhythm.pk,
        dedupe_key=key,
    )
    episode.state, episode.task_id, episode.retry_at = EpisodeState.TASK, task.pk, None
    episode.reason, episode.detail = "", ""


def _message(
    rhythm: Rhythm, contact: Contact, episode: Episode, key: str, *, batch: checks.Batch
) -> None:
    blocked = batch.blocked(contact, rhythm.consent_purpose)
    if blocked is not None:
        episode.state, episode.reason = EpisodeState.CONFLICT, blocked.reason
        episode.detail, episode.retry_at = blocked.detail[:200], blocked.retry_at
        return
    message, _ = enqueue_one(
        contact=contact,
        origin_type=ORIGIN,
        origin_id=rhythm.pk,
        purpose=rhythm.purpose,
        consent_purpose=rhythm.consent_purpose,
        channel=checks.CHANNEL,
        template_version_id=batch.next_version(contact.pk),
        idempotency_key=key,
        priority=rhythm.priority,
        value=rhythm.value,
    )
    batch.took(contact.pk)
    episode.state, episode.message_id, episode.retry_at = EpisodeState.QUEUED, message.pk, None
    episode.reason, episode.detail = "", ""
