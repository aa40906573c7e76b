"""API keys: listed by prefix; the raw key is shown once, on the page that creates it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from dearly.core import apikeys, queries
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import ApiKeyForm
from dearly.core.views import actor, settings_page


@member_required(Can.MANAGE_API_KEYS)
def key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, raw = apikeys.create_api_key(actor=actor(request), name=form.cleaned_data["name"])
        # Rendered, not redirected: the raw key never sits in a session or a browser cache.
        response = settings_page(
            request, "core/key_created.html", {"key": key, "raw": raw}, tab="keys"
        )
        add_never_cache_headers(response)
        return response
    context = {"form": form, "keys": queries.api_keys()}
    return settings_page(request, "core/key_list.html", context, tab="keys")


@member_required(Can.MANAGE_API_KEYS)
def key_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    key = queries.get_api_key(public_id)
    if request.method == "POST":
        apikeys.revoke_api_key(actor=actor(request), key=key)
        messages.success(request, f"Revoked “{key.name}”. Requests using it are now refused.")
        return redirect("core:keys")
    return settings_page(request, "core/key_revoke.html", {"key": key}, tab="keys")
