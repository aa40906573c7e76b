"""Reads of segments and audiences, always through the member's scope (see core.access)."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.audiences.compile import compile_rules
from dearly.audiences.models import Segment
from dearly.audiences.rules import InvalidRules, validate_rules
from dearly.audiences.schema import Schema
from dearly.contacts.models import Contact
from dearly.contacts.queries import contacts_for_member
from dearly.core.access import Can, can
from dearly.core.models import Membership

PREVIEW_SIZE = 20


def segments_for_member(member: Membership) -> QuerySet[Segment]:
    if not can(member, Can.EDIT_SEGMENTS):
        return Segment.objects.none()
    return Segment.objects.all()


def get_segment_for_member(member: Membership, public_id: UUID | str) -> Segment:
    """The segment, if this member may use segments; otherwise 404."""
    try:
        return segments_for_member(member).get(public_id=public_id)
    except (Segment.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("No such segment") from None


def audience_for(
    member: Membership, segment_or_rules: Segment | dict[str, Any], *, schema: Schema | None = None
) -> QuerySet[Contact]:
    """The member's contacts that match: branch staff never count another branch's contacts.

    Raises InvalidRules when the tree does not validate (a saved segment can stop validating
    when a branch or custom field it names is deleted).
    """
    rules = segment_or_rules.rules if isinstance(segment_or_rules, Segment) else segment_or_rules
    schema = schema or Schema.load()
    if errors := validate_rules(rules, schema):
        raise InvalidRules(errors)
    base = contacts_for_member(member)

    def zones() -> list[str]:
        return list(base.order_by().values_list("time_zone", flat=True).distinct())

    return base.filter(compile_rules(rules, schema=schema, zones=zones))
