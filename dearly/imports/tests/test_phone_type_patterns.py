"""The phone fast path's one pattern per length answers like phonenumbers' per-type check.

Numbers are built from each region's example numbers (every type) with random trailing
digits and random lengths, so many are valid, many are not, and every type is met. A
fixed seed makes a failure repeat.
"""

import random

import phonenumbers
from phonenumbers import PhoneNumberType

from dearly.core.normalize import InvalidValue, normalize_phone
from dearly.imports.engine.fastpaths import fast_phone

REGIONS = ["GB", "FR", "DE", "IE", "ES", "IT", "NL", "BE", "AU", "NZ", "IN", "BR", "ZA", "JP"]
TYPES = [t for t in vars(PhoneNumberType).values() if isinstance(t, int)]


def national_numbers(region: str, rng: random.Random) -> list[str]:
    out = []
    for kind in TYPES:
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        digits = phonenumbers.national_significant_number(example)
        for _ in range(150):
            keep = rng.randint(max(1, len(digits) - 6), len(digits))
            extra = rng.choice([-1, 0, 0, 0, 1])
            tail = "".join(rng.choice("0123456789") for _ in range(len(digits) - keep + extra))
            out.append(digits[:keep] + tail)
    return out


def test_the_fast_phone_path_agrees_with_the_library_on_generated_numbers_of_every_type():
    rng = random.Random(20261125)
    answered = 0
    for region in REGIONS:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        assert metadata is not None
        prefix = metadata.national_prefix or ""
        code = phonenumbers.country_code_for_region(region)
        for national in national_numbers(region, rng):
            for raw in (f"{prefix}{national}", f"+{code} {national}"):
                got = fast_phone(raw, region)
                if got is None:
                    continue
                answered += 1
                try:
                    expected = normalize_phone(raw, region)
                except InvalidValue:
                    expected = "<rejected>"
                assert got == expected, (region, raw)
    assert answered > 5_000  # the fast path really answered, in many regions
