"""Reads for the webhook pages. Only the owner reaches them (core.access), so no branch scope:
webhooks belong to the business."""

from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dearly.core.access import Can, require
from dearly.core.models import Membership
from dearly.hooks.models import Delivery, DeliveryStatus, Subscription

LOG_SIZE = 50


def subscriptions_for_member(member: Membership) -> QuerySet[Subscription]:
    require(member, Can.MANAGE_WEBHOOKS)
    failing = Q(deliveries__status=DeliveryStatus.FAILED)
    waiting = Q(deliveries__status=DeliveryStatus.PENDING, deliveries__attempts__gt=0)
    return Subscription.objects.annotate(
        failed=Count("deliveries", filter=failing), retrying=Count("deliveries", filter=waiting)
    ).order_by("name", "id")


def get_subscription_for_member(member: Membership, public_id: UUID | str) -> Subscription:
    require(member, Can.MANAGE_WEBHOOKS)
    try:
        return Subscription.objects.get(public_id=UUID(str(public_id)))
    except (ObjectDoesNotExist, ValueError):
        raise Http404("No such webhook.") from None


def delivery_log(subscription: Subscription, *, limit: int = LOG_SIZE) -> list[Delivery]:
    """The newest deliveries, each with its tries (two queries in all)."""
    return list(
        Delivery.objects.filter(subscription=subscription)
        .order_by("-id")
        .prefetch_related("tries")[:limit]
    )


def get_delivery(subscription: Subscription, public_id: UUID | str) -> Delivery:
    try:
        return Delivery.objects.select_related("subscription").get(
            subscription=subscription, public_id=UUID(str(public_id))
        )
    except (ObjectDoesNotExist, ValueError):
        raise Http404("No such delivery.") from None
