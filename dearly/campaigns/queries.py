"""Reads of campaigns. Campaigns belong to the business; the capability is checked here so
no view can forget it, and each audience is read through the member's branch scope."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dearly.campaigns.launch import ORIGIN
from dearly.campaigns.models import Campaign
from dearly.core.access import Can, require
from dearly.core.models import Membership
from dearly.delivery.models import OutboxMessage, Status


def campaigns_for_member(member: Membership) -> QuerySet[Campaign]:
    require(member, Can.VIEW_CAMPAIGNS)
    return Campaign.objects.select_related("segment", "template", "version")


def get_campaign_for_member(member: Membership, public_id: UUID | str) -> Campaign:
    try:
        return campaigns_for_member(member).get(public_id=public_id)
    except (Campaign.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such campaign") from None


def sent_counts(campaigns: list[Campaign]) -> dict[int, dict[str, int]]:
    """{campaign id: {"sent": n, "waiting": n}} for a page of campaigns, in one query."""
    rows = (
        OutboxMessage.objects.filter(origin_type=ORIGIN, origin_id__in=[c.pk for c in campaigns])
        .values("origin_id")
        .annotate(
            sent=Count("id", filter=Q(status=Status.SENT)),
            waiting=Count("id", filter=Q(status__in=[Status.QUEUED, Status.SENDING])),
        )
        .order_by()
    )
    return {r["origin_id"] or 0: {"sent": r["sent"], "waiting": r["waiting"]} for r in rows}
