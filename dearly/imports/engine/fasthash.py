"""The suppression list's keyed hash, with the key derived once per run instead of per address.

contacts.suppression.address_hash calls salted_hmac, which derives its key from the salt and
SECRET_KEY on every call; an import hashes up to two addresses per row, so deriving the
key once per kind halves the cost. The result is the same HMAC (a test compares them).
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
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

    return address_hash
