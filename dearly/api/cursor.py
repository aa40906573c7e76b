"""Opaque, signed page cursors: the last contact id seen, so a forged cursor is refused.

Paging walks contacts in id order. New contacts get higher ids, so they join the end of the
walk instead of shifting later pages; an edited contact keeps its place. No row is skipped or
repeated while someone pages, whatever is written meanwhile.
"""

from django.core import signing

SALT = "dearly.api.contacts.cursor"


class BadCursor(ValueError):
    pass


def make_cursor(last_id: int) -> str:
    return signing.dumps({"after": last_id}, salt=SALT)


def read_cursor(cursor: str) -> int:
    try:
        after = signing.loads(cursor, salt=SALT)["after"]
    except (signing.BadSignature, KeyError, TypeError):
        raise BadCursor("not a cursor this API gave out; start again without one") from None
    if not isinstance(after, int):
        raise BadCursor("not a cursor this API gave out; start again without one")
    return after
