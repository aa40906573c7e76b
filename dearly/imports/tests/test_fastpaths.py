"""The import's fast paths for emails, phones and dates give exactly the library's answer,
or no answer (and the library is asked): checked on many generated inputs.

A fast path may decline any input; it may never accept a value the library rejects, nor
return a different value. Inputs are generated from a fixed seed, so a failure repeats.
"""

import datetime as dt
import random
from collections.abc import Callable, Iterator
from functools import partial

from dearly.contacts.fields import parse_date
from dearly.core.normalize import InvalidValue, normalize_email, normalize_phone
from dearly.imports.engine.fastpaths import fast_date, fast_email, fast_phone

REJECTED = "<rejected>"
LOCALS = [
    "ada", "Ada.Lovelace", "ADA", "ada+news", "a+b+c", "a.b.c", ".ada", "ada.", "a..b",
    "a_b", "a%b", "a-b", "-a", "o'brien", "a=b", "a/b", "{a}", "a!b", "#a", '"quoted"',
    '"a b"', "ada lovelace", "ädä", "用户", "x" * 64, "x" * 65, "", "1", "a" * 10 + "." * 2,
]  # fmt: skip
DOMAINS = [
    "example.com", "EXAMPLE.COM", "Example.Co.Uk", "mail.example.co.uk", "münchen.de",
    "xn--mnchen-3ya.de", "xn--abc.com", "ab--cd.com", "xn--80ak6aa92e.com", "-ex.com",
    "ex-.com", "ex_ample.com", "localhost", "example", "example.test", "example.local",
    "mail.invalid", "example.onion", "home.arpa", "example.example", "1.2.3.4", "[1.2.3.4]",
    "[IPv6:::1]", "example.c", "example.123", "example.co1", "example.com.", "exa mple.com",
    "例え.jp", "a" * 63 + ".com", "a" * 64 + ".com", ".".join(["a" * 63] * 4) + ".com",
    ".".join(["b" * 60] * 4) + ".com", "sub.example.museum", "example.xn--p1ai", "co.uk",
]  # fmt: skip
PHONES = {
    "GB": [
        "07400 123456", "020 7946 0018", "0113 496 0000", "07700 900123", "0800 123 4567",
        "0909 879 0000", "0871 123 4567", "03069 990000", "01632 960001", "0161 123 4567",
        "07624 123456", "01534 123456", "07797 123456", "01481 123456", "0500 123456",
        "07400 12345", "07400 1234567", "0740 0123 456", "055 1234 5678", "0070 123 4567",
    ],
    "FR": [
        "06 12 34 56 78", "01 23 45 67 89", "08 99 12 34 56", "01 99 00 12 34",
        "09 12 34 56 78", "06 12 34 56 7", "06 12 34 56 789", "0 800 12 34 56",
        "07 00 00 00 00", "04 91 12 34 56",
    ],
    "US": [
        "(415) 555-0132", "415-555-2671", "1 800 555 0199", "1-900-555-1234", "212 555 0100",
        "202-456-1111", "1 416 555 0123", "555-1234", "1 (212) 555-0100", "011 44 20 7946 0018",
        "999 555 0100", "1 264 497 1234",
    ],
}  # fmt: skip
CODES = {"GB": "44", "FR": "33", "US": "1"}
PREFIXES = {"GB": "0", "FR": "0", "US": "1"}


def library(normalize: Callable[[str], object], raw: str) -> object:
    try:
        return normalize(raw)
    except InvalidValue:
        return REJECTED


def disagreements(
    fast: Callable[[str], object], normalize: Callable[[str], object], inputs: list[str]
) -> tuple[list[tuple[str, object, object]], int]:
    """(inputs where the fast path answered differently, how many it answered at all)."""
    wrong, answered = [], 0
    for raw in dict.fromkeys(inputs):
        got = fast(raw)
        if got is None:
            continue
        answered += 1
        expected = library(normalize, raw)
        if got != expected:
            wrong.append((raw, got, expected))
    return wrong, answered


def emails() -> Iterator[str]:
    for local in LOCALS:
        for domain in DOMAINS:
            yield f"{local}@{domain}"
    yield from [" ada@example.com ", "ada@@example.com", "ada@example.com\u00a0", "@x.com"]
    yield from ["ada@example..com", "ada@.example.com", "ada", "ada@", "ada@exam\tple.com"]
    rng = random.Random(20240601)
    alphabet = "abcXYZ019._%+-@'"
    for _ in range(3000):
        local = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        domain = "".join(rng.choice("abz09.-_") for _ in range(rng.randint(1, 16)))
        yield f"{local}@{domain}.{rng.choice(['com', 'io', 'c', 'uk', 'co.uk', '1a'])}"


def formats(number: str, region: str) -> Iterator[str]:
    """One number written the ways people type it."""
    digits = "".join(c for c in number if c.isdigit())
    code, prefix = CODES[region], PREFIXES[region]
    national = digits.removeprefix(prefix)
    yield from (number, digits, number.replace(" ", "-"), number.replace(" ", "."))
    yield f"({digits[:4]}) {digits[4:]}"
    yield f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    yield from (f"+{code}{national}", f"+{code} {national}", f"+{code} ({prefix}){national}")
    yield from (f"00{code} {national}", f"+{code}-{national[:3]}-{national[3:]}")
    yield from (f"+ {code} {national}", f"+{code}{prefix}{national}", f"({code}) {national}")
    yield from (f"{code}{national}", f" {number} ", f"{number}.", f"+{national}")


def phones(region: str) -> list[str]:
    inputs = [f for numbers in PHONES.values() for n in numbers for f in formats(n, region)]
    inputs += [f for n in PHONES[region] for f in formats(n, region)]
    rng = random.Random(f"phones-{region}")
    base = [n for numbers in PHONES.values() for n in numbers]
    for _ in range(1500):
        chars = list(rng.choice(inputs + base))
        position = rng.randrange(len(chars))
        edit = rng.choice(["drop", "double", "digit", "separator"])
        if edit == "drop":
            del chars[position]
        elif edit == "double":
            chars.insert(position, chars[position])
        elif edit == "digit":
            chars[position] = rng.choice("0123456789")
        else:
            chars.insert(position, rng.choice(" -.()+"))
        inputs.append("".join(chars))
    return inputs


def test_the_email_fast_path_agrees_with_normalize_email():
    wrong, answered = disagreements(fast_email, normalize_email, list(emails()))
    assert wrong == []
    assert answered > 100  # the fast path is really exercised


def test_the_phone_fast_path_agrees_with_normalize_phone_in_each_region():
    answered = 0
    for region in ("GB", "FR", "US"):
        wrong, n = disagreements(
            partial(_fast_phone_in, region), partial(_phone_in, region), phones(region)
        )
        assert wrong == [], region
        answered += n
    assert answered > 100


def _fast_phone_in(region: str, raw: str) -> str | None:
    return fast_phone(raw, region)


def _phone_in(region: str, raw: str) -> str:
    return normalize_phone(raw, region)


def in_digits(text: str, zero: int) -> str:
    return text.translate({ord("0") + d: zero + d for d in range(10)})


def test_the_date_fast_path_agrees_with_the_date_parser():
    rng = random.Random(7)
    inputs = ["1985-12-10", "10/12/1985", "31/02/1990", "1985-13-01", "0000-01-01"]
    inputs += ["9999-12-31", "1985-1-2", " 1985-12-10 "]
    # The same dates in Arabic-Indic and full-width digits.
    inputs += [in_digits(text, zero) for text in inputs for zero in (0x0660, 0xFF10)]
    inputs += ["10.12.1985", "1985/12/10", "29/02/2000", "29/02/1900", "00/01/2000"]
    start = dt.date(1890, 1, 1)
    for _ in range(500):
        day = start + dt.timedelta(days=rng.randrange(80_000))
        inputs += [day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}"]
    wrong, answered = disagreements(fast_date, parse_date, inputs)
    assert wrong == []
    assert answered > 100
