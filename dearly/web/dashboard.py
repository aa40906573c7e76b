"""The figures on the dashboard, each one query over the member's scope."""

from dataclasses import dataclass

from django.db.models import Count

from dearly.contacts.models import Channel, Consent, ConsentStatus, Lifecycle
from dearly.contacts.queries import contacts_for_member
from dearly.core.access import scope_to_member
from dearly.core.models import AuditEvent, Membership


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


def lifecycle_counts(member: Membership) -> dict[str, int]:
    rows = contacts_for_member(member).order_by().values_list("lifecycle_stage")
    counts = dict(rows.annotate(n=Count("id")).values_list("lifecycle_stage", "n"))
    return {stage: counts.get(stage, 0) for stage in Lifecycle.values}


def reachable_by_channel(member: Membership, total: int) -> list[Share]:
    """How many contacts granted at least one purpose on each channel."""
    contacts = contacts_for_member(member)
    granted = (
        Consent.objects.filter(contact__in=contacts, status=ConsentStatus.GRANTED)
        .order_by()
        .values("channel")
        .annotate(n=Count("contact", distinct=True))
    )
    by_channel = {row["channel"]: row["n"] for row in granted}
    return [Share(label, by_channel.get(value, 0), total) for value, label in Channel.choices]


def contacts_by_branch(member: Membership, total: int) -> list[Share]:
    rows = (
        contacts_for_member(member)
        .order_by()
        .values("branch__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [Share(row["branch__name"] or "No branch", row["n"], total) for row in rows]


def recent_changes(member: Membership, limit: int = 8) -> list[AuditEvent]:
    """The latest changes to contacts this member can see."""
    events = scope_to_member(
        AuditEvent.objects.filter(contact__isnull=False), member, branch_field="contact__branch"
    )
    return list(events.select_related("contact", "actor").order_by("-occurred_at", "-id")[:limit])
