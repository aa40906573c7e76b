"""The hosted signup page and the endpoint the embeddable snippet posts to: /p/signup/.

The snippet lives on another website, so this view takes posts without a CSRF token. What
stands in for it: a honeypot field, the signed stamp's minimum fill time, a per-IP rate
limit, and validation. A post that fails any of them creates nothing.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dearly.core.queries import get_business
from dearly.preferences.forms import SignupForm
from dearly.preferences.forms_config import current_form, form_version
from dearly.preferences.models import SignupFormVersion
from dearly.preferences.stamp import Verdict, form_stamp, judge, read_stamp
from dearly.preferences.throttle import allow_signup
from dearly.preferences.views_common import customer_actor, customer_page
from dearly.signup.services import request_signup

log = logging.getLogger("dearly.preferences")

NOTICES = {
    Verdict.EMBEDDED: "Nearly there: check your details and press Sign up.",
    Verdict.TOO_FAST: "That was quick! Please check your details and press Sign up again.",
    Verdict.STALE: "This page was open for a long time. Please press Sign up again.",
    Verdict.INVALID: "Something went wrong with the form. Please try again.",
}


def _form(version: SignupFormVersion, data: object = None) -> SignupForm:
    return SignupForm(
        data,
        initial={"stamp": form_stamp(version.number)},
        ask_name=version.ask_name,
        region=get_business().default_country,
    )


def _show(
    request: HttpRequest, version: SignupFormVersion, form: SignupForm, notice: str = ""
) -> HttpResponse:
    # Whatever came back, the page carries a fresh stamp for the next press.
    stamp = form_stamp(version.number)
    context = {"version": version, "form": form, "stamp": stamp, "notice": notice}
    return customer_page(request, "preferences/signup.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        version = current_form()
        return _show(request, version, _form(version))
    if not allow_signup(request.META.get("REMOTE_ADDR")):
        log.info("preferences.signup_refused reason=rate_limit")
        return customer_page(request, "preferences/signup_limited.html", status=429)
    if request.POST.get("comment"):
        # A bot filled the hidden field: it is told what a person would be, and nothing is kept.
        log.info("preferences.signup_refused reason=honeypot")
        return redirect("signup:signup_thanks")
    stamp = read_stamp(request.POST.get("stamp", ""))
    verdict = judge(stamp)
    version = (form_version(stamp.version) if stamp else None) or current_form()
    form = _form(version, request.POST)
    if verdict != Verdict.OK:
        log.info("preferences.signup_held reason=%s", verdict)
        form.is_valid()  # show any mistakes now too
        return _show(request, version, form, NOTICES[verdict])
    if not form.is_valid():
        return _show(request, version, form)
    request_signup(
        actor=customer_actor(request, "signup form"),
        version=version,
        email=form.values["email"],
        first_name=form.values.get("first_name", ""),
    )
    log.info("preferences.signup_requested form_version=%d", version.number)
    return redirect("signup:signup_thanks")


def signup_thanks(request: HttpRequest) -> HttpResponse:
    """The same page whether the address was new, known, already subscribed, or a bot's."""
    return customer_page(request, "preferences/signup_thanks.html")
