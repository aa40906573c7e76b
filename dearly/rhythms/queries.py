"""Reads for rhythms: the member's rhythms, relationship health, and the overdue list."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Max, QuerySet, Sum, Value
from django.http import Http404
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.contacts.models import Contact
from dearly.contacts.queries import contacts_for_member
from dearly.core.access import Can, can
from dearly.core.models import Membership
from dearly.delivery.models import OutboxMessage
from dearly.rhythms.models import Episode, EpisodeState, Rhythm, Snapshot
from dearly.rhythms.overdue import overdue_contacts

PAGE_SIZE = 50


def rhythms_for_member(member: Membership) -> QuerySet[Rhythm]:
    """Rhythms are the marketing side's to set; branch staff only see their overdue list."""
    if not can(member, Can.SEND_CAMPAIGNS):
        return Rhythm.objects.none()
    return Rhythm.objects.all()


def rhythms_with_counts(member: Membership) -> QuerySet[Rhythm]:
    """The rhythms list: each with its snapshot's totals over all branches."""
    return rhythms_for_member(member).annotate(
        audience=Sum("snapshots__audience"),
        overdue=Sum("snapshots__overdue"),
        conflicts=Sum("snapshots__conflicts"),
        computed_at=Max("snapshots__computed_at"),
    )


def active_rhythms() -> QuerySet[Rhythm]:
    """For the overdue list's filter: names only, which every member may read."""
    return Rhythm.objects.filter(active=True)


def get_rhythm_for_member(member: Membership, public_id: UUID | str) -> Rhythm:
    try:
        return rhythms_for_member(member).get(public_id=public_id)
    except (Rhythm.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("No such rhythm") from None


@dataclass(frozen=True, slots=True)
class Counts:
    """Counts over snapshot rows; a contact on two rhythms counts on each."""

    label: str
    audience: int = 0
    overdue: int = 0
    on_rhythm: int = 0
    touched_this_month: int = 0
    conflicts: int = 0
    avg_days_overdue: float = 0.0

    @property
    def on_rhythm_share(self) -> float:
        return self.on_rhythm / self.audience if self.audience else 1.0


@dataclass(frozen=True, slots=True)
class Health:
    overdue: int
    audience: int
    on_rhythm: int
    touched_this_month: int
    conflicts: int
    computed_at: dt.datetime | None
    branches: list[Counts] = field(default_factory=list)
    rhythms: list[Counts] = field(default_factory=list)

    @property
    def on_rhythm_share(self) -> float:
        return self.on_rhythm / self.audience if self.audience else 1.0


def _sum(label: str, rows: Iterable[Snapshot]) -> Counts:
    rows = list(rows)
    overdue = sum(r.overdue for r in rows)
    weighted = sum(r.avg_days_overdue * r.overdue for r in rows)
    return Counts(
        label=label,
        audience=sum(r.audience for r in rows),
        overdue=overdue,
        on_rhythm=sum(r.on_rhythm for r in rows),
        touched_this_month=sum(r.touched_this_month for r in rows),
        conflicts=sum(r.conflicts for r in rows),
        avg_days_overdue=round(weighted / overdue, 1) if overdue else 0.0,
    )


def health(member: Membership) -> Health:
    """Relationship health from the snapshot (at most a minute old): branch staff see their
    branch only. Two small queries, whatever the number of contacts."""
    rows = Snapshot.objects.filter(rhythm__active=True).select_related("rhythm", "branch")
    if not member.sees_all_branches:
        rows = rows.filter(branch=member.branch)
    snapshots = list(rows.order_by("rhythm__priority", "rhythm__name", "branch__name"))
    by_branch: dict[str, list[Snapshot]] = defaultdict(list)
    by_rhythm: dict[str, list[Snapshot]] = defaultdict(list)
    for s in snapshots:
        by_branch[s.branch.name if s.branch else "No branch"].append(s)
        by_rhythm[s.rhythm.name].append(s)
    total = _sum("All", snapshots)
    return Health(
        overdue=total.overdue,
        audience=total.audience,
        on_rhythm=total.on_rhythm,
        touched_this_month=total.touched_this_month,
        conflicts=total.conflicts,
        computed_at=max((s.computed_at for s in snapshots), default=None),
        branches=[_sum(name, rows) for name, rows in sorted(by_branch.items())],
        rhythms=[_sum(name, rows) for name, rows in by_rhythm.items()],
    )


@dataclass(frozen=True, slots=True)
class OverdueRow:
    contact: Contact
    rhythm: Rhythm
    anchor: dt.datetime
    days_overdue: int
    every_days: int
    conflict: Episode | None
    episode: Episode | None
    message: OutboxMessage | None = None  # what became of the message the fill queued


@dataclass(frozen=True, slots=True)
class OverduePage:
    rows: list[OverdueRow]
    page: int
    has_next: bool


def overdue_for_member(
    member: Membership,
    rhythm: Rhythm | None = None,
    branch: Branch | None = None,
    *,
    page: int = 1,
    per_page: int = PAGE_SIZE,
    now: dt.datetime | None = None,
) -> OverduePage:
    """Overdue contacts the member may see, most overdue first, a page at a time.

    One query for the page: a UNION ALL of each active rhythm's overdue query (a contact late on
    two rhythms shows twice), then the page's contacts and episodes by primary key."""
    now = now or timezone.now()
    rhythms = [rhythm] if rhythm else list(Rhythm.objects.filter(active=True))
    base = contacts_for_member(member)
    if branch is not None:
        base = base.filter(branch=branch)
    parts = [
        overdue_contacts(r, now=now, base=base)
        .annotate(rhythm_key=Value(r.pk, output_field=IntegerField()))
        .order_by()
        .values_list("pk", "rhythm_key", "anchor", "days_overdue", "interval")
        for r in rhythms
    ]
    if not parts:
        return OverduePage(rows=[], page=1, has_next=False)
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = max(page, 1)
    start = (page - 1) * per_page
    found = list(union.order_by("-days_overdue", "pk")[start : start + per_page + 1])
    rows = _rows(found[:per_page], {r.pk: r for r in rhythms})
    return OverduePage(rows=rows, page=page, has_next=len(found) > per_page)


def _rows(
    found: list[tuple[int, int, dt.datetime, float, int]], rhythms: dict[int, Rhythm]
) -> list[OverdueRow]:
    contacts = Contact.objects.select_related("branch").in_bulk([f[0] for f in found])
    episodes = {
        (e.rhythm_id, e.contact_id, e.anchor): e
        for e in Episode.objects.filter(
            contact_id__in=[f[0] for f in found], rhythm_id__in=[f[1] for f in found]
        )
    }
    sent = OutboxMessage.objects.only("status", "hold_reason", "defer_reason", "not_before")
    message_ids = [e.message_id for e in episodes.values() if e.message_id]
    outbox = sent.in_bulk(message_ids) if message_ids else {}
    out = []
    for contact_id, rhythm_id, anchor, late, every in found:
        episode = episodes.get((rhythm_id, contact_id, anchor))
        out.append(
            OverdueRow(
                contact=contacts[contact_id],
                rhythm=rhythms[rhythm_id],
                anchor=anchor,
                days_overdue=int(late),
                every_days=every,
                conflict=episode if episode and episode.state == EpisodeState.CONFLICT else None,
                episode=episode,
                message=outbox.get(episode.message_id or 0) if episode else None,
            )
        )
    return out
