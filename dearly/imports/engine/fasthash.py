"""The suppression list's keyed hash, with the key derived once per run instead of per address.

contacts.suppression.address_hash calls salted_hmac, which derives its key from the salt and
SECRET_KEY on every call; an import hashes up to two addresses per row, so deriving the
key once per kind halves the cost; the one-shot hmac.digest also skips building an HMAC
object. The result is the same HMAC (a test compares them).
"""

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings


def suppression_hasher() -> Callable[[str, str], str]:
    keys: dict[str, bytes] = {}

    def address_hash(kind: str, value: str) -> str:
        key = keys.get(kind)
        if key is None:
            salt = f"dearly.suppression.{kind}"
            key = keys[kind] = hashlib.sha256((salt + settings.SECRET_KEY).encode()).digest()
        return hmac.digest(key, value.encode(), "sha256").hex()  # one C call: no HMAC object

    return address_hash
