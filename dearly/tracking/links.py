"""Click tracking for a rendered email, and the open pixel the composer appends.

For each message the composer:
1. calls `prepare_links(html, public_id)`, which rewrites every absolute http(s) link to
   /t/c/<token> and returns the original URLs in order (a URL that appears twice keeps one
   index);
2. stores those URLs with `LinkStore.store(...)` (one call per batch) BEFORE handing the
   message to the transport, so no click can arrive for a link that is not stored;
3. appends `open_pixel_html(public_id)` to the HTML.
Links are stored by content (see TrackedLink): a campaign whose links are the same for every
recipient writes them once, and a worker that has stored a set does not write it again.
Anything that is not a plain absolute http(s) URL — mailto:, tel:, javascript:, protocol-
relative //host, relative paths, anchors, URLs with spaces — and the preference and
unsubscribe pages (/p/) are left exactly as they were.
"""

import re
import uuid
from collections.abc import Sequence
from html import escape, unescape

from django.conf import settings

from dearly.tracking.models import TrackedLink
from dearly.tracking.tokens import click_token, link_set_key, open_token

_ANCHOR = re.compile(r"<(?:a|area)\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
# scheme://host…, as urlsplit would read it: http(s) and a non-empty network location.
_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#]", re.IGNORECASE)
MAX_LINKS = 500  # more than any real email; the rest stay untracked


def _absolute_http(url: str) -> bool:
    return _ABSOLUTE_HTTP.match(url) is not None and _UNSAFE.search(url) is None


def trackable(url: str, *, base: str = "") -> bool:
    base = base or settings.BASE_URL
    return _absolute_http(url) and not url.startswith((f"{base}/p/", f"{base}/t/"))


def prepare_links(html: str, message_public_id: uuid.UUID) -> tuple[str, list[str]]:
    base = settings.BASE_URL
    found: list[tuple[int, int, str, str]] = []  # start, end, attribute prefix, URL
    for anchor in _ANCHOR.finditer(html):
        href = _HREF.search(anchor.group())
        if href is None:
            continue
        url = unescape(href.group(2) or href.group(3) or href.group(4) or "").strip()
        if trackable(url, base=base):
            start = anchor.start() + href.start()
            found.append((start, anchor.start() + href.end(), href.group(1), url))
    links = list(dict.fromkeys(url for *_, url in found))[:MAX_LINKS]
    if not links:
        return html, []
    index = {url: i for i, url in enumerate(links)}
    key = link_set_key(links)
    out, last = [], 0
    for start, end, prefix, url in found:
        if url in index:
            token = click_token(message_public_id, key, index[url])
            out += [html[last:start], f'{prefix}"{base}/t/c/{token}"']
            last = end
    out.append(html[last:])
    return "".join(out), links


def open_pixel_html(message_public_id: uuid.UUID) -> str:
    src = escape(f"{settings.BASE_URL}/t/o/{open_token(message_public_id)}.gif")
    return (
        f'<img src="{src}" width="1" height="1" alt="" '
        'style="display:block;width:1px;height:1px;border:0">'
    )


class LinkStore:
    """Stores link sets, remembering which this process has already written."""

    def __init__(self, *, remember: int = 100_000) -> None:
        self._known: set[str] = set()
        self._remember = remember

    def store(self, *url_lists: Sequence[str]) -> None:
        rows, keys = [], set()
        for urls in url_lists:
            if not all(_absolute_http(u) for u in urls):
                raise ValueError("only absolute http(s) URLs can be tracked")
            key = link_set_key(list(urls))
            if urls and key not in self._known and key not in keys:
                keys.add(key)
                rows += [TrackedLink(set_key=key, index=i, url=u) for i, u in enumerate(urls)]
        if rows:
            TrackedLink.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        if len(self._known) + len(keys) > self._remember:
            self._known.clear()
        self._known |= keys


def store_links(urls: Sequence[str]) -> None:
    """One message's links, outside a worker (a test send, a single transactional email)."""
    LinkStore().store(urls)
