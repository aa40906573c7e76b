"""Segments with their counts, and tags with theirs. A key acts for the whole business, so
each segment is counted as an owner would see it (every branch)."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router

from dearly.api.audience_schemas import SegmentList, TagList
from dearly.api.auth import api_member
from dearly.api.schemas import ErrorOut
from dearly.audiences.models import Segment
from dearly.audiences.queries import audience_for, segments_for_member
from dearly.audiences.rules import InvalidRules
from dearly.audiences.schema import Schema
from dearly.contacts.models import Tag

router = Router(tags=["audiences"])


@router.get(
    "/segments",
    response={200: SegmentList, 401: ErrorOut},
    operation_id="list_segments",
    summary="Saved segments, each with how many contacts are in it now",
)
def list_segments(request: HttpRequest) -> dict[str, Any]:
    """One count query per segment, as the segments page runs them."""
    member = api_member()
    schema = Schema.load()
    segments = segments_for_member(member).order_by("name", "id")
    return {"items": [_counted(member, s, schema) for s in segments]}


def _counted(member: Any, segment: Segment, schema: Schema) -> dict[str, Any]:
    try:
        count: int | None = audience_for(member, segment, schema=schema).count()
        problem = ""
    except InvalidRules as exc:
        count, problem = None, str(exc)
    return {
        "id": segment.public_id,
        "name": segment.name,
        "description": segment.description,
        "count": count,
        "problem": problem,
        "created_at": segment.created_at,
        "updated_at": segment.updated_at,
    }


@router.get(
    "/tags",
    response={200: TagList, 401: ErrorOut},
    operation_id="list_tags",
    summary="Every tag, with how many contacts have it",
)
def list_tags(request: HttpRequest) -> dict[str, Any]:
    tags = Tag.objects.annotate(contact_count=Count("contacts")).order_by("name", "id")
    return {"items": [{"name": t.name, "contacts": t.contact_count} for t in tags]}
