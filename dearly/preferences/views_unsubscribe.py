"""Unsubscribing: RFC 8058 one-click for mail programs, and a page with a button for people.

A GET never unsubscribes: mail scanners and link previews fetch every link in a message.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dearly.preferences.queries import contact_for_unsubscribe_token
from dearly.preferences.tokens import preferences_url
from dearly.preferences.unsubscribe import unsubscribe_from_email
from dearly.preferences.views_common import (
    customer_actor,
    customer_page,
    invalid_link,
    masked_email,
)


# Exempt from CSRF because the POST comes from the mailbox provider's servers (RFC 8058
# section 3.1), with no cookie and no page before it. It is safe: the signed token is the
# authority, and all the request can do is what the person's own button does.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    found = contact_for_unsubscribe_token(token)
    if found is None:
        response = invalid_link(request)
        if request.method == "POST":
            # The mail provider reads only the status: a 4xx tells it the link did nothing.
            response.status_code = 400
        return response
    contact, message_id = found
    if request.method != "POST":
        return customer_page(
            request,
            "preferences/unsubscribe.html",
            {
                "email": masked_email(contact.email),
                "action": reverse("preferences:unsubscribe_confirm", args=[token]),
                "preferences_url": preferences_url(contact.public_id),
            },
        )
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse(
            "To unsubscribe, POST List-Unsubscribe=One-Click.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    actor = customer_actor(request, "one-click unsubscribe")
    unsubscribe_from_email(
        actor=actor, contact=contact, message_public_id=message_id, via="one-click"
    )
    # No redirect (RFC 8058 section 3.2): the mail program only reads the status.
    return HttpResponse("You are unsubscribed.", content_type="text/plain; charset=utf-8")


@require_POST
def unsubscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own button on the page above: a normal form, CSRF-protected."""
    found = contact_for_unsubscribe_token(token)
    if found is None:
        return invalid_link(request)
    contact, message_id = found
    actor = customer_actor(request, "unsubscribe page")
    unsubscribe_from_email(
        actor=actor, contact=contact, message_public_id=message_id, via="unsubscribe page"
    )
    return customer_page(
        request,
        "preferences/unsubscribed.html",
        {"preferences_url": preferences_url(contact.public_id)},
    )
