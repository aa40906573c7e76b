"""The preference centre at /p/<token>/, and the double opt-in confirmation beneath it.

Each section posts to its own address and comes back to the page with ?saved=<section>, so
a reload never posts twice and the page works without JavaScript.
"""

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dearly.contacts.models import Contact
from dearly.contacts.services import ContactError
from dearly.core.queries import get_business
from dearly.preferences import centre
from dearly.preferences.forms import DetailsForm
from dearly.preferences.models import Frequency
from dearly.preferences.queries import contact_for_preferences_token, preference_for
from dearly.preferences.signup import confirm_signups
from dearly.preferences.tokens import unsubscribe_url
from dearly.preferences.views_common import customer_actor, customer_page, invalid_link

SAVED = {
    "topics": "Your choices are saved.",
    "pause": "Saved.",
    "details": "Your details are updated. Thank you.",
}


def _details_form(contact: Contact, data: Any = None) -> DetailsForm:
    initial = {name: getattr(contact, name) or "" for name in centre.DETAIL_FIELDS}
    return DetailsForm(
        data,
        initial=initial,
        region=get_business().default_country,
        keep_email=bool(contact.email),
    )


def _page(
    request: HttpRequest, token: str, contact: Contact, details: DetailsForm | None = None
) -> HttpResponse:
    topics = centre.topics_for(contact)
    pref = preference_for(contact)
    details = details or _details_form(contact)
    paused = pref.paused_until if pref.paused_until and pref.paused_until > timezone.now() else None
    context = {
        "token": token,
        "contact": contact,
        "channels": [
            (centre.CHANNEL_LABELS[channel], centre.HOW_TO_GRANT.get(channel, ""), list(items))
            for channel, items in groupby(topics, key=lambda t: t.channel)
        ],
        "frequency": pref.frequency,
        "frequencies": Frequency.choices,
        "paused_until": paused,
        "pause_months": centre.PAUSE_MONTHS,
        "details": details,
        "to_check": _to_check(request, details),
        "saved": SAVED.get(request.GET.get("saved", "")),
        "unsubscribe_url": unsubscribe_url(contact.public_id),
    }
    return customer_page(request, "preferences/centre.html", context)


def _back(token: str, section: str, *, check: Sequence[str] = ()) -> HttpResponse:
    query = f"saved={section}" + (f"&check={','.join(check)}" if check else "")
    return redirect(f"{reverse('preferences:centre', args=[token])}?{query}#{section}")


def _to_check(request: HttpRequest, form: DetailsForm) -> list[str]:
    """The labels of details kept as they were although they look wrong (?check=phone)."""
    names = request.GET.get("check", "").split(",")
    return [str(form.fields[n].label).lower() for n in centre.DETAIL_FIELDS if n in names]


@require_http_methods(["GET", "HEAD", "POST"])
def centre_page(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_preferences_token(token)
    if contact is None:
        return invalid_link(request)
    if request.method != "POST":
        return _page(request, token, contact)
    actor = customer_actor(request, "preference centre")
    centre.save_topics(actor=actor, contact=contact, wanted=set(request.POST.getlist("topics")))
    frequency = request.POST.get("frequency", "")
    if frequency in Frequency.values:
        centre.set_frequency(actor=actor, contact=contact, frequency=frequency)
    return _back(token, "topics")


@require_POST
def centre_pause(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_preferences_token(token)
    if contact is None:
        return invalid_link(request)
    choice = request.POST.get("months", "")
    months = int(choice) if choice.isdigit() and int(choice) in centre.PAUSE_MONTHS else None
    if months or choice == "resume":
        actor = customer_actor(request, "preference centre")
        centre.pause_marketing(actor=actor, contact=contact, months=months)
    return _back(token, "pause")


@require_POST
def centre_details(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_preferences_token(token)
    if contact is None:
        return invalid_link(request)
    form = _details_form(contact, request.POST)
    if form.is_valid():
        actor = customer_actor(request, "preference centre")
        try:
            centre.correct_details(actor=actor, contact=contact, values=form.values)
        except ContactError as exc:
            # Worded so it does not confirm that someone else has this address.
            form.add_error(exc.field or None, "We couldn't save this. Please get in touch.")
        else:
            return _back(token, "details", check=form.kept)
    return _page(request, token, contact, details=form)


# Confirming on GET is a decision. Double opt-in means one click in the email (issue 3, and
# what people expect from every newsletter), and a POST-only button would leave most people
# half signed up. The risk is a mail scanner following the link: the evidence then records
# its IP address and user agent, the grant only ever switches on email for the topics the
# person asked for on the form, and every email carries a one-click unsubscribe.
@require_http_methods(["GET", "HEAD"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_preferences_token(token)
    if contact is None:
        return invalid_link(request)
    if request.method == "HEAD":  # a link preview, not a person: show, confirm nothing
        return customer_page(request, "preferences/confirmed.html", {"token": token})
    try:
        count = confirm_signups(
            actor=customer_actor(request, "signup confirmation"), contact=contact
        )
    except ContactError:
        return customer_page(request, "preferences/confirm_failed.html")
    return customer_page(
        request, "preferences/confirmed.html", {"token": token, "already": count == 0}
    )
