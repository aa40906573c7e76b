"""django-anymail's webhook URLs, answered only for the provider we send through; 404 else.

anymail offers a view for every provider it knows. One we do not use has no signing key, so
its view fails as it starts: 500, and a logged traceback, at every request a scanner makes.
Here each URL answers only while DEARLY_EMAIL_URL is anymail://<that provider> (Brevo's old
name, sendinblue, counts as Brevo). The check reads settings per request, so tests can switch.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern

from dearly.delivery.transports.config import AnymailSettings, EmailUrlError, parse_email_url

SAME_PROVIDER = {"brevo": {"brevo", "sendinblue"}, "sendinblue": {"brevo", "sendinblue"}}


def configured_provider() -> str:
    try:
        parsed = parse_email_url(settings.EMAIL_URL) if settings.EMAIL_URL else None
    except EmailUrlError:
        return ""
    return parsed.esp if isinstance(parsed, AnymailSettings) else ""


def only_when_configured(provider: str, view: Callable[..., HttpResponse]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = configured_provider()
        if provider not in SAME_PROVIDER.get(current, {current}):
            raise Http404("no webhooks for a provider we do not send through")
        return view(request, *args, **kwargs)

    return guarded


def _guarded(pattern: URLPattern) -> URLPattern:
    provider = str(pattern.pattern).lstrip("^").split("/")[0]
    callback = only_when_configured(provider, pattern.callback)
    return URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)


urlpatterns = [_guarded(p) for p in anymail_urls.urlpatterns if isinstance(p, URLPattern)]
app_name = "anymail"
