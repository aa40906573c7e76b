"""The signup form's signed stamp: which form version was shown, and when.

A person takes a few seconds to fill in a form; a bot posts at once. The hosted page stamps
the time it was served, and a post that comes back sooner than MIN_FILL is sent back to the
form. A snippet pasted on another website cannot be stamped per visit, so its stamp says
"embedded": such a post is shown the hosted page, filled in, to press Sign up once more
(what Mailchimp does with its captcha step, without the third-party captcha).
"""

import datetime as dt
import enum
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

SALT = "dearly.preferences.signup-stamp"
MIN_FILL = dt.timedelta(seconds=3)
# A hosted page left open longer than this is stamped afresh before its post counts.
MAX_AGE = dt.timedelta(days=1)


class Verdict(enum.StrEnum):
    OK = "ok"
    TOO_FAST = "too_fast"
    STALE = "stale"
    EMBEDDED = "embedded"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Stamp:
    version: int
    issued_at: dt.datetime | None  # None for an embedded snippet


def form_stamp(
    version: int, *, embedded: bool = False, issued_at: dt.datetime | None = None
) -> str:
    payload: dict[str, int] = {"v": version}
    if not embedded:
        payload["t"] = int((issued_at or timezone.now()).timestamp())
    return signing.Signer(salt=SALT).sign_object(payload)


def read_stamp(value: str) -> Stamp | None:
    try:
        payload = signing.Signer(salt=SALT).unsign_object(value)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("v"), int):
        return None
    issued = payload.get("t")
    at = dt.datetime.fromtimestamp(issued, tz=dt.UTC) if isinstance(issued, int) else None
    return Stamp(version=payload["v"], issued_at=at)


def judge(stamp: Stamp | None, *, now: dt.datetime | None = None) -> Verdict:
    if stamp is None:
        return Verdict.INVALID
    if stamp.issued_at is None:
        return Verdict.EMBEDDED
    age = (now or timezone.now()) - stamp.issued_at
    if age < MIN_FILL:
        return Verdict.TOO_FAST
    if age > MAX_AGE:
        return Verdict.STALE
    return Verdict.OK
