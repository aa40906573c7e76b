"""The segments UI: the list with live counts, and the builder (page, editor fragment, count).

The builder posts its whole form for every change. The view parses the tree from the input
names (see forms), applies an add/remove action if one was pressed, and renders the editor
again; Save validates and writes through the services. The live count is its own small
endpoint with a constant number of queries, whatever the audience size.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from dearly.audiences.forms import (
    CONSENT_CHOICES,
    apply_action,
    describe,
    field_groups,
    tree_from_form,
    view_model,
)
from dearly.audiences.models import Segment
from dearly.audiences.queries import (
    PREVIEW_SIZE,
    audience_for,
    get_segment_for_member,
    segments_for_member,
)
from dearly.audiences.rules import InvalidRules, RuleError, empty_tree
from dearly.audiences.schema import Schema
from dearly.audiences.services import (
    SegmentError,
    SegmentInUse,
    create_segment,
    delete_segment,
    update_segment,
)
from dearly.contacts.models import Tag
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required

BUILDER = "audiences/builder.html"


def _fragment_or_page(
    request: MemberRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    wanted = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#{fragment}" if wanted else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@member_required(Can.EDIT_SEGMENTS)
@require_GET
def segment_list(request: MemberRequest) -> HttpResponse:
    segments = segments_for_member(request.member).select_related("created_by")
    return render(request, "audiences/list.html", {"segments": segments, "nav": "segments"})


@member_required(Can.EDIT_SEGMENTS)
@require_GET
def segment_count(request: MemberRequest, public_id: UUID) -> HttpResponse:
    segment = get_segment_for_member(request.member, public_id)
    context = {"segment": segment, **count_context(request, segment.rules, preview=False)}
    return render(request, "audiences/list.html#count", context)


@member_required(Can.EDIT_SEGMENTS)
@require_POST
def live_count(request: MemberRequest) -> HttpResponse:
    schema = Schema.load()
    tree = tree_from_form(request.POST, schema)
    return render(request, f"{BUILDER}#results", count_context(request, tree, schema))


def count_context(
    request: MemberRequest, rules: Any, schema: Schema | None = None, *, preview: bool = True
) -> dict[str, Any]:
    schema = schema or Schema.load()
    try:
        audience = audience_for(request.member, rules, schema=schema)
    except InvalidRules as exc:
        return {"problems": describe(rules, schema, exc.errors)}
    # Newest first: the primary key index walks backwards and stops after a page of matches.
    first = list(audience.order_by("-id")[:PREVIEW_SIZE]) if preview else []
    return {"count": audience.count(), "preview": first}


@member_required(Can.EDIT_SEGMENTS)
def segment_new(request: MemberRequest) -> HttpResponse:
    return _builder(request, None)


@member_required(Can.EDIT_SEGMENTS)
def segment_edit(request: MemberRequest, public_id: UUID) -> HttpResponse:
    return _builder(request, get_segment_for_member(request.member, public_id))


def _builder(request: MemberRequest, segment: Segment | None) -> HttpResponse:
    schema = Schema.load()
    errors: list[RuleError] = []
    focus = ""
    if request.method == "POST":
        tree = tree_from_form(request.POST, schema)
        action = request.POST.get("action", "")
        if action == "save":
            saved, errors = _save(request, segment, tree)
            if saved:
                messages.success(request, f"Segment “{saved.name}” was saved.")
                if request.htmx:
                    return HttpResponseClientRedirect("/segments/")
                return redirect("segments:list")
        else:
            tree, focus = apply_action(tree, action)
        name, description = request.POST.get("name", ""), request.POST.get("description", "")
    else:
        tree = segment.rules if segment else empty_tree()
        name, description = (segment.name, segment.description) if segment else ("", "")
    context = {
        "segment": segment,
        "name": name,
        "description": description,
        "group": view_model(tree, schema, errors),
        "name_error": next((e.message for e in errors if e.path == "name"), ""),
        "has_errors": bool(errors),
        "focus": focus,
        "field_groups": field_groups(schema),
        "branches": schema.branches,
        "tags": list(Tag.objects.values_list("name", flat=True)),
        "nav": "segments",
        **CONSENT_CHOICES,
    }
    response = _fragment_or_page(request, BUILDER, "editor", context)
    response["HX-Trigger"] = "segment-changed"
    return response


def _save(
    request: MemberRequest, segment: Segment | None, tree: dict[str, Any]
) -> tuple[Segment | None, list[RuleError]]:
    actor = Actor.from_request(request)
    fields: dict[str, Any] = {
        "name": request.POST.get("name", ""),
        "description": request.POST.get("description", ""),
        "rules": tree,
    }
    try:
        if segment is None:
            return create_segment(actor=actor, **fields), []
        return update_segment(actor=actor, segment=segment, **fields), []
    except SegmentError as exc:
        return None, exc.errors


@member_required(Can.EDIT_SEGMENTS)
@require_POST
def segment_delete(request: MemberRequest, public_id: UUID) -> HttpResponse:
    segment = get_segment_for_member(request.member, public_id)
    try:
        delete_segment(actor=Actor.from_request(request), segment=segment)
    except SegmentInUse as exc:
        messages.error(request, f"“{segment.name}” was not deleted: {exc}.")
        return redirect("segments:edit", public_id=segment.public_id)
    messages.success(request, f"Segment “{segment.name}” was deleted.")
    return redirect("segments:list")
