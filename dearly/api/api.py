"""Dearly's JSON API, version 1, at /api/v1/ (schema at openapi.json, docs at docs)."""

from ninja import NinjaAPI

from dearly.api import errors
from dearly.api.audiences import router as audiences_router
from dearly.api.auth import ApiKeyAuth
from dearly.api.campaigns import router as campaigns_router
from dearly.api.contacts import router as contacts_router
from dearly.api.events import router as events_router
from dearly.api.messages import router as messages_router
from dearly.api.privacy import router as privacy_router
from dearly.api.templates import router as templates_router
from dearly.api.text_guard import TextParser, refuse_unstorable_text
from dearly.api.work import router as work_router

DESCRIPTION = """\
Connect your shop, booking system or website to Dearly.

Authenticate every call with an API key: `Authorization: Bearer dly_…` (create one with
`dearly apikey create --name "My shop"` or on the API keys page). A key acts for the whole
business. Errors are JSON: `{"detail": [{"field": "email", "message": "…"}]}`.

Send a service message (a receipt, a booking confirmation) with `POST /messages` and an
`Idempotency-Key` header, your own id for the send such as the order number: a retry with the
same key and body returns the first message and never sends twice; the same key with a
different body is refused with 409. Marketing goes out as a campaign, to those who consented.
"""

api = NinjaAPI(
    title="Dearly API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    parser=TextParser(),
)
errors.install(api)
api.add_decorator(refuse_unstorable_text)
api.add_router("", contacts_router)
api.add_router("", templates_router)
api.add_router("", campaigns_router)
api.add_router("", messages_router)
api.add_router("", events_router)
api.add_router("", privacy_router)
api.add_router("", audiences_router)
api.add_router("", work_router)
