from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP as Policy
from django.utils.csp import build_policy

from dearly.core.decorators import MemberRequest

# The editor shows other people's HTML in a sandboxed frame; a frame made with srcdoc
# inherits this policy, so no script can run in it even if the sandbox were removed. It is the
# site's policy, except that email HTML styles itself inline and shows images from anywhere.
EDITOR_POLICY: dict[str, Any] = {
    **settings.SECURE_CSP,
    "style-src": [Policy.SELF, Policy.UNSAFE_INLINE],
    "img-src": ["*", "data:"],
}
CSP = build_policy(EDITOR_POLICY)


def page_or_fragment(
    request: MemberRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    wants_fragment = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, f"{template}#{fragment}" if wants_fragment else template, context)
    patch_vary_headers(response, ["HX-Request"])
    response["Content-Security-Policy"] = CSP
    return response
