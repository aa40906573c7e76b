"""Bearer API keys: every call names the key, and the key acts for the whole business."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from dearly.core.access import business_member
from dearly.core.actor import Actor
from dearly.core.apikeys import authenticate
from dearly.core.models import ApiKey, Membership, Source


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer KEY`. No cookies are read, so CSRF does not apply."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return authenticate(token)


def api_actor(request: HttpRequest) -> Actor:
    """The actor for writes made with the key that authenticated this request."""
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    return Actor(source=Source.API, label=f"api key {key.name}")


def api_key(request: HttpRequest) -> ApiKey:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def api_member() -> Membership:
    """Services that take a member get the business itself (decided in core.access)."""
    return business_member()
