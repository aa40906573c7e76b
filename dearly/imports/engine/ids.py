"""Random public ids for a chunk's new rows, drawn from one block of OS randomness.

uuid.uuid4() reads the OS and builds an object per id (~3 µs here); an import makes up to
three ids a row (contact, consent event, audit event). Slicing one os.urandom block and
setting the version and variant digits gives the same kind of id, as the 32 hex digits both
databases accept for a uuid column, in well under a microsecond."""

import os

# RFC 9562 variant: the top bits of the ninth byte are 10, so its first hex digit is 8 to b.
_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def uuid4_hexes(n: int) -> list[str]:
    block = os.urandom(16 * n).hex()
    return [
        block[i : i + 12]
        + "4"
        + block[i + 13 : i + 16]
        + _VARIANT[block[i + 16]]
        + block[i + 17 : i + 32]
        for i in range(0, 32 * n, 32)
    ]


def dashed(hex_id: str) -> str:
    """The canonical 8-4-4-4-12 text of a uuid given as 32 hex digits."""
    h = hex_id
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
