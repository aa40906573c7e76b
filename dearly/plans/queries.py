"""Reads of plans. Plans belong to the business and sit with campaigns on its marketing side:
the capability is checked here so no view can forget it."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.core.access import Can, require
from dearly.core.models import Membership
from dearly.plans.models import Plan
from dearly.plans.origins import origins_of
from dearly.plans.progress import Progress, measure
from dearly.plans.value import Ratio, plan_ratio

LIST_LIMIT = 100


def plans_for_member(member: Membership) -> QuerySet[Plan]:
    require(member, Can.SEND_CAMPAIGNS)
    return Plan.objects.select_related("segment", "rhythm")


def get_plan_for_member(member: Membership, public_id: UUID | str) -> Plan:
    try:
        return plans_for_member(member).get(public_id=public_id)
    except (Plan.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such plan") from None


@dataclass(frozen=True, slots=True)
class Summary:
    plan: Plan
    progress: Progress
    ratio: Ratio


def summaries(member: Membership, *, now: dt.datetime) -> list[Summary]:
    """Each plan with its progress and value ratio, for the list."""
    found = []
    plans = plans_for_member(member).prefetch_related("campaigns", "journeys", "series")
    for plan in plans[:LIST_LIMIT]:
        progress, _ = measure(plan, now=now)
        found.append(Summary(plan=plan, progress=progress, ratio=plan_ratio(origins_of(plan))))
    return found
