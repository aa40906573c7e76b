"""Every error is JSON of one shape: {"detail": [{"field": "email", "message": "…"}]}.

`field` is a dotted path into the request ("consents.0.channel", "limit"), or null when the
error is not about one field (a missing key, an unknown contact).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dearly.api.queries import BadFilter
from dearly.api.refusals import Refused
from dearly.api.template_schemas import PART_FIELDS
from dearly.campaigns.services import CampaignError
from dearly.contacts.services import ContactError
from dearly.contacts.upsert import UpsertRefused
from dearly.messaging.services import TemplateError
from dearly.touches.services import TouchError


def error_body(*problems: tuple[str | None, str]) -> dict[str, Any]:
    return {"detail": [{"field": field, "message": message} for field, message in problems]}


def field_path(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """ninja's ("body", "payload", "consents", 0, "channel") → "consents.0.channel"."""
    parts = list(loc)
    source = parts.pop(0) if parts else None
    if source == "body" and parts:
        parts.pop(0)  # the view argument's name, which the caller never sees
    return ".".join(str(p) for p in parts) or None


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, *problems: tuple[str | None, str]) -> Any:
        return api.create_response(request, error_body(*problems), status=status)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = [(field_path(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors]
        return respond(request, 422, *problems)

    @api.exception_handler(UpsertRefused)
    def refused(request: HttpRequest, exc: UpsertRefused) -> HttpResponse:
        return respond(request, 422, *exc.errors.items())

    @api.exception_handler(ContactError)
    def contact_error(request: HttpRequest, exc: ContactError) -> HttpResponse:
        return respond(request, 422, (exc.field or None, str(exc)))

    @api.exception_handler(BadFilter)
    def bad_filter(request: HttpRequest, exc: BadFilter) -> HttpResponse:
        return respond(request, 422, (exc.field, str(exc)))

    @api.exception_handler(Refused)
    def refused_request(request: HttpRequest, exc: Refused) -> HttpResponse:
        return respond(request, 422, *exc.problems)

    @api.exception_handler(TemplateError)
    def template_error(request: HttpRequest, exc: TemplateError) -> HttpResponse:
        where = f"line {exc.line}: " if exc.line else ""
        field = PART_FIELDS.get(exc.field, exc.field) or None
        return respond(request, 422, (field, where + exc.message))

    @api.exception_handler(CampaignError)
    def campaign_error(request: HttpRequest, exc: CampaignError) -> HttpResponse:
        return respond(request, 422, *((field or None, m) for field, m in exc.errors.items()))

    @api.exception_handler(TouchError)
    def touch_error(request: HttpRequest, exc: TouchError) -> HttpResponse:
        return respond(request, 422, (exc.field or None, str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, (None, str(exc) or "not found"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, (None, str(exc)))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "send a valid API key as 'Authorization: Bearer KEY'"
        response = respond(request, 401, (None, message))
        response["WWW-Authenticate"] = 'Bearer realm="dearly"'
        return response
