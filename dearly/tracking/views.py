"""Click and open tracking: public pages, no login or cookie, neutral answers.

A click redirects only to a URL stored when the message was sent, found through the signed
token; nothing from the request (query parameters, Referer) can choose the destination. A
token that is tampered with, made for another purpose, or names a link that was never stored
gets the same 404 page. The pixel is always the same GIF, whatever the token.

Requests that are obviously machines — HEAD, and a short list of scanner and bot user agents —
are answered but not counted. Mail privacy proxies that fetch every image cannot be told
apart cheaply, so open counts are "at least" figures, as in every mail tool.
"""

import re

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dearly.tracking.models import EventKind, TrackedLink
from dearly.tracking.services import minute_key, record_event, sent_message
from dearly.tracking.tokens import read_click_token, read_open_token

# The classic 43-byte transparent 1x1 GIF.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
_MACHINE = re.compile(
    r"bot\b|crawl|spider|scanner|python-|curl/|wget/|go-http-client|java/|headless"
    r"|facebookexternalhit|barracuda|proofpoint|mimecast",
    re.IGNORECASE,
)
_NO_CACHE = "no-store, no-cache, must-revalidate, private, max-age=0"


def _by_a_person(request: HttpRequest) -> bool:
    return request.method == "GET" and not _MACHINE.search(request.headers.get("User-Agent", ""))


@require_safe
def click(request: HttpRequest, token: str) -> HttpResponse:
    claims = read_click_token(token)
    if claims is None:
        return _not_found(request)
    public_id, set_key, index = claims
    url = TrackedLink.objects.filter(set_key=set_key, index=index).values_list("url", flat=True)
    message, destination = sent_message(public_id=public_id), url.first()
    if message is None or destination is None:
        return _not_found(request)
    if _by_a_person(request):
        now = timezone.now()
        record_event(
            message,
            kind=EventKind.CLICKED,
            occurred_at=now,
            provider="dearly",
            event_key=minute_key("click", message, index, at=now),
            detail={"index": index, "url": destination},
        )
    response = HttpResponseRedirect(destination)
    response["Cache-Control"] = _NO_CACHE
    response["Referrer-Policy"] = "no-referrer"  # the token stays ours
    return response


@require_safe
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    public_id = read_open_token(token)
    message = sent_message(public_id=public_id) if public_id else None
    if message is not None and _by_a_person(request):
        now = timezone.now()
        record_event(
            message,
            kind=EventKind.OPENED,
            occurred_at=now,
            provider="dearly",
            event_key=minute_key("open", message, at=now),
        )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = _NO_CACHE
    response["Pragma"] = "no-cache"
    response["Expires"] = "0"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/not_found.html", status=404)
