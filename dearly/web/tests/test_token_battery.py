"""10,000 tampered or replayed customer tokens: none is accepted, and each kind of door gives
one answer to all of them (the same status and the same body), so a bad link tells nothing.

Kinds: one-click unsubscribe (GET and the RFC 8058 POST), the unsubscribe button, the
preference centre, its pause and details forms, signup confirmation, click and open tracking.
Tokens are made from real ones by flipping, cutting, lengthening and splicing, by using one
purpose's token at another's door, by signing with another secret, and by replaying real
tokens of a contact who has since been erased. The mutations come from a seeded generator,
so every run tries the same 10,000.
"""

import random
import re
import string
from collections.abc import Callable, Iterator

import pytest
from django.core import signing
from django.test import Client

from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent
from dearly.contacts.privacy import erase_contact
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent
from dearly.preferences import tokens as prefs
from dearly.tracking import tokens as tracking
from dearly.tracking.models import MessageEvent

pytestmark = pytest.mark.django_db
TOTAL = 10_000
ALPHABET = string.ascii_letters + string.digits + "-_.:"
# Pages carry a CSRF token masked afresh for each response; it says nothing about the link.
CSRF = re.compile(rb'(?<="X-CSRFToken": ")[A-Za-z0-9]+|(?<=name="csrfmiddlewaretoken" value=")\w+')


def _tampered(good: list[str], foreign: list[str], rng: random.Random) -> Iterator[str]:
    """Bad variants of the good tokens, endlessly, in a fixed order."""
    mutations: list[Callable[[str], str]] = [
        lambda t: _flip(t, rng.randrange(len(t)), rng),
        lambda t: _flip(t, len(t) - 1 - rng.randrange(8), rng),  # in the signature
        lambda t: _flip(t, rng.randrange(min(8, len(t))), rng),  # in the payload
        lambda t: t[: rng.randrange(1, len(t))],
        lambda t: t + rng.choice(ALPHABET),
        lambda t: t.upper() if t != t.upper() else t.lower(),
        lambda t: rng.choice(foreign),
        lambda t: _splice(t, rng.choice(good)),
        lambda t: "".join(rng.choice(ALPHABET) for _ in range(len(t))),
        lambda t: t.replace(".", "", 1) if "." in t else t[1:],
    ]
    while True:
        token = rng.choice(good)
        bad = rng.choice(mutations)(token)
        if bad and bad not in good and "/" not in bad:
            yield bad


def _flip(token: str, at: int, rng: random.Random) -> str:
    other = rng.choice([c for c in ALPHABET if c != token[at]])
    return token[:at] + other + token[at + 1 :]


def _splice(token: str, other: str) -> str:
    """One token's payload with another's signature."""
    head, _, _ = token.rpartition(".")
    _, _, tail = other.rpartition(".")
    return f"{head}.{tail}" if head and tail else other[::-1]


def _other_secret(payload: str, salt: str) -> str:
    return signing.Signer(key="not-our-secret", salt=salt, sep=".", algorithm="sha256").sign(
        payload
    )


def _counts() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        ConsentEvent.objects.count(),
        MessageEvent.objects.count(),
    )


def test_ten_thousand_tampered_or_replayed_tokens_are_all_refused_alike():
    contacts = [make_contact(first_name=f"C{i}", email=f"c{i}@example.com") for i in range(3)]
    erased = make_contact(first_name="Gone", email="gone@example.com")
    replayed = {
        "unsubscribe": prefs.unsubscribe_token(erased.public_id),
        "preferences": prefs.preferences_token(erased.public_id),
    }
    erase_contact(actor=Actor.system("tests"), contact=erased)
    ids = [c.public_id for c in contacts]
    good = {
        "unsubscribe": [prefs.unsubscribe_token(i) for i in ids],
        "preferences": [prefs.preferences_token(i) for i in ids],
        "click": [tracking.click_token(i, "0" * 24, 0) for i in ids],
        "open": [tracking.open_token(i) for i in ids],
    }
    foreign = {
        "unsubscribe": good["preferences"]
        + [_other_secret(i.hex, prefs.UNSUBSCRIBE_SALT) for i in ids],
        "preferences": good["unsubscribe"] + [_other_secret(i.hex, prefs.CENTRE_SALT) for i in ids],
        "click": good["open"] + good["preferences"],
        "open": good["click"] + good["unsubscribe"],
    }
    doors: dict[str, tuple[str, str, str, dict[str, str]]] = {
        # kind: (token family, method, path template, form data)
        "one-click page": ("unsubscribe", "GET", "/p/u/{}/", {}),
        "one-click post": ("unsubscribe", "POST", "/p/u/{}/", {"List-Unsubscribe": "One-Click"}),
        "unsubscribe button": ("unsubscribe", "POST", "/p/u/{}/confirm/", {}),
        "preference centre": ("preferences", "GET", "/p/{}/", {}),
        "pause": ("preferences", "POST", "/p/{}/pause/", {"weeks": "4"}),
        "details": ("preferences", "POST", "/p/{}/details/", {"first_name": "Mallory"}),
        "signup confirmation": ("preferences", "GET", "/p/{}/confirm/", {}),
        "click": ("click", "GET", "/t/c/{}", {}),
        "open": ("open", "GET", "/t/o/{}.gif", {}),
    }
    rng = random.Random(20260310)
    streams = {f: _tampered(good[f], foreign[f], rng) for f in good}
    before = _counts()
    client = Client(raise_request_exception=False)
    answers: dict[str, set[tuple[int, bytes]]] = {kind: set() for kind in doors}
    tried = 0
    kinds = list(doors)
    while tried < TOTAL:
        kind = kinds[tried % len(kinds)]
        family, method, path, data = doors[kind]
        if tried < len(kinds) * 2 and family in replayed:
            token = replayed[family]
        else:
            token = next(streams[family])
        url = path.format(token)
        response = client.get(url) if method == "GET" else client.post(url, data)
        answers[kind].add((response.status_code, CSRF.sub(b"CSRF", response.content)))
        tried += 1
    # The real tokens do open their doors, so the refusals above are the tokens' doing.
    real = client.get(f"/p/{good['preferences'][0]}/")
    assert (real.status_code, real.content) not in answers["preference centre"]
    assert tried == TOTAL
    assert _counts() == before, "a tampered token changed something"
    shapes = {kind: {status for status, _ in seen} for kind, seen in answers.items()}
    assert all(len(seen) == 1 for seen in answers.values()), shapes
    assert all(status < 500 for seen in shapes.values() for status in seen), shapes
