"""A crawler for the browser tests: visit every page a member can reach, and note what is wrong.

1. Start from the links in the rendered main nav (so a page added to the nav is crawled without
   editing this file), plus any explicit extra paths.
2. From each page, follow same-origin links once per URL pattern (`/contacts/<uuid>/` once, not
   once per contact), to the given depth; downloads and other origins are not followed.
3. On each page note: an answer other than 200 (and for a subresource or an htmx call, any
   answer of 400 or more); any console error or uncaught exception; any Content-Security-Policy
   violation; and a page wider than the window (`scrollWidth > clientWidth`) at each width.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

# Reported from inside the page, before any of its own scripts run; an init script is not
# subject to the page's policy, so it sees every violation the policy blocks.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`
    + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""
OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
HTMX_SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
NOT_FOLLOWED = re.compile(r"\.(csv|json|gif|xlsx|txt)$|^/(logout|webhooks|api|t)/|/raw/$")
# Covered by the answer check itself, which names the URL; Chromium's line does not.
RESOURCE_STATUS = "Failed to load resource: the server responded with a status of"


@dataclass
class Crawl:
    page: Any
    base_url: str
    widths: tuple[int, ...]
    allowed_statuses: frozenset[int] = frozenset()
    problems: list[str] = field(default_factory=list)
    visited: dict[str, str] = field(default_factory=dict)  # URL pattern -> the path visited

    def __post_init__(self) -> None:
        self.host = urlsplit(self.base_url).netloc
        self.page.add_init_script(REPORT_CSP_VIOLATIONS)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._note(f"uncaught error: {error}"))
        self.page.on("response", self._on_response)

    def nav_links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all(
            "nav[aria-label=Main] a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        return list(dict.fromkeys(hrefs))

    def run(self, start: Iterable[str], *, depth: int) -> None:
        frontier = [p for p in start if self._claim(p)]
        for level in range(depth + 1):
            found: list[str] = []
            for path in frontier:
                found += self.visit(path)
            if level < depth:
                frontier = [p for p in dict.fromkeys(found) if self._claim(p)]

    def visit(self, path: str) -> list[str]:
        """Open one page, check it at every width, and return the links on it."""
        self.current = path
        response = self.page.goto(path)
        status = response.status if response else 0
        if status != 200 and status not in self.allowed_statuses:
            self._note(f"answered {status}")
        if urlsplit(self.page.url).path.startswith("/login/") and path != "/login/":
            self._note("was sent to the login page")
        if status != 200:
            return []
        self.page.wait_for_function(HTMX_SETTLED)
        self.check_widths()
        hrefs = self.page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        return [p for p in map(self._local_path, hrefs) if p]

    def check_widths(self) -> None:
        """Lay the page out at each width (the current one first, to save a resize)."""
        widths = self.widths
        if self.page.viewport_size["width"] != widths[0]:
            widths = widths[::-1]
        for width in widths:
            self.page.set_viewport_size({"width": width, "height": 800})
            scroll_width, client_width = self.page.evaluate(OVERFLOW)
            if scroll_width > client_width:
                self._note(f"scrolls sideways at {width} px ({scroll_width} px wide)")

    def _claim(self, path: str) -> bool:
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            route = path
        if route in self.visited or NOT_FOLLOWED.search(urlsplit(path).path):
            return False
        self.visited[route] = path
        return True

    def _local_path(self, href: str) -> str | None:
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.host:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith(RESOURCE_STATUS):
            self._note(f"console error: {message.text}")

    def _on_response(self, response: Any) -> None:
        parts = urlsplit(response.url)
        if parts.netloc != self.host or response.request.is_navigation_request():
            return
        if response.status >= 400:
            self._note(f"{parts.path} answered {response.status}")

    def _note(self, problem: str) -> None:
        self.problems.append(f"{getattr(self, 'current', '?')}: {problem}")
