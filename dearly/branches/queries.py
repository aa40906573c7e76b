"""Reading branches: everyone in the business sees them all; only staff lists are scoped."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from dearly.branches.models import Branch


def branches_with_staff_count() -> QuerySet[Branch]:
    active = Q(members__user__is_active=True)
    return Branch.objects.annotate(staff_count=Count("members", filter=active)).order_by("name")


def get_branch(public_id: object) -> Branch:
    return get_object_or_404(Branch, public_id=public_id)
