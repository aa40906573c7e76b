"""Dearly's JSON API, version 1, at /api/v1/ (schema at openapi.json, docs at docs)."""

from ninja import NinjaAPI

from dearly.api import errors
from dearly.api.auth import ApiKeyAuth
from dearly.api.campaigns import router as campaigns_router
from dearly.api.contacts import router as contacts_router
from dearly.api.messages import router as messages_router
from dearly.api.templates import router as templates_router

DESCRIPTION = """\
Connect your shop, booking system or website to Dearly.

Authenticate every call with an API key: `Authorization: Bearer dly_…` (create one with
`dearly apikey create --name "My shop"` or on the API keys page). A key acts for the whole
business. Errors are JSON: `{"detail": [{"field": "email", "message": "…"}]}`.
"""

api = NinjaAPI(
    title="Dearly API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
)
errors.install(api)
api.add_router("", contacts_router)
api.add_router("", templates_router)
api.add_router("", campaigns_router)
api.add_router("", messages_router)
