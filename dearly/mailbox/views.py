"""The Mailbox page: what the demo's catcher received, shown without letting a message run code.

A message's HTML is shown in an iframe with `sandbox` (no allow-scripts, no allow-same-origin)
through `srcdoc`, under a Content-Security-Policy that the frame inherits; links open in a new
tab. The page exists only while the catcher is on.
"""

from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, View, member_required
from dearly.mailbox import queries
from dearly.mailbox.reading import read_mail

PAGE_SIZE = 50
# Mail may style itself and show images (as a mail client would); nothing may run or submit.
MESSAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src * data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def catcher_on(view: View) -> View:
    @wraps(view)
    def wrapper(request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.MAIL_CATCHER:
            raise Http404("The mail catcher is off.")
        return view(request, *args, **kwargs)

    return wrapper


@catcher_on
@member_required(Can.VIEW_MAILBOX)
def mailbox(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = Paginator(queries.caught_mail(search), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": search, "nav": "mailbox"}
    template = "mailbox/list.html#results" if request.htmx else "mailbox/list.html"
    return render(request, template, context)


@catcher_on
@member_required(Can.VIEW_MAILBOX)
def message(request: MemberRequest, public_id: UUID) -> HttpResponse:
    mail = queries.get_caught_mail(public_id)
    reading = read_mail(mail)
    context = {"mail": mail, "reading": reading, "nav": "mailbox"}
    response = render(request, "mailbox/message.html", context)
    response["Content-Security-Policy"] = MESSAGE_CSP
    return response


@catcher_on
@member_required(Can.VIEW_MAILBOX)
def raw(request: MemberRequest, public_id: UUID) -> HttpResponse:
    mail = queries.get_caught_mail(public_id)
    response = HttpResponse(bytes(mail.raw), content_type="text/plain; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
