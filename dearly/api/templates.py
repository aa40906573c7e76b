"""Template endpoints: thin, they call the messaging services and checks."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from dearly.api.auth import api_actor
from dearly.api.lookups import get_template, templates
from dearly.api.schemas import ErrorOut
from dearly.api.template_schemas import (
    ChecksOut,
    ChecksQuery,
    ListQuery,
    NewVersionIn,
    TemplateIn,
    TemplateList,
    TemplateOut,
    VersionOut,
)
from dearly.messaging.checks import check_version, is_blocking
from dearly.messaging.services import create_template, save_version

router = Router(tags=["templates"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/templates",
    response={200: TemplateList, 401: ErrorOut, 422: ErrorOut},
    operation_id="list_templates",
    summary="List templates, most recently changed first",
)
def list_templates(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return {"items": list(templates().filter(archived=query.archived))}


@router.post(
    "/templates",
    response={201: TemplateOut, 401: ErrorOut, 422: ErrorOut},
    operation_id="create_template",
    summary="Create a template with its first version",
)
def create(request: HttpRequest, payload: TemplateIn) -> Status[Any]:
    """The content is checked as it is saved: a syntax error answers 422 naming the part."""
    version = create_template(actor=api_actor(request), name=payload.name, draft=payload.to_draft())
    return Status(201, get_template(version.template.public_id))


@router.get(
    "/templates/{template_id}",
    response={200: TemplateOut, **ERRORS},
    operation_id="get_template",
    summary="One template with all its versions",
)
def read_template(request: HttpRequest, template_id: str) -> Any:
    return get_template(template_id)


@router.post(
    "/templates/{template_id}/versions",
    response={201: VersionOut, **ERRORS},
    operation_id="save_template_version",
    summary="Save new content as the next version",
)
def add_version(request: HttpRequest, template_id: str, payload: NewVersionIn) -> Status[Any]:
    """Versions never change: this appends version N+1. Campaigns already launched keep the
    version they were bound to; new campaigns and transactional sends use the newest."""
    template = get_template(template_id)
    version = save_version(
        actor=api_actor(request),
        template=template,
        name=payload.name or template.name,
        draft=payload.to_draft(),
    )
    return Status(201, version)


@router.get(
    "/templates/{template_id}/checks",
    response={200: ChecksOut, **ERRORS},
    operation_id="check_template",
    summary="The checks before sending: blocking errors and warnings",
)
def checks(request: HttpRequest, template_id: str, query: Query[ChecksQuery]) -> dict[str, Any]:
    template = get_template(template_id)
    versions = template.versions.order_by("-number")
    version = versions.filter(number=query.version).first() if query.version else versions.first()
    if version is None:
        raise Http404("no such version of this template")
    found = check_version(version, purpose=query.purpose)
    return {
        "version": version.number,
        "purpose": query.purpose,
        "blocking": is_blocking(found),
        "checks": found,
    }
