"""Normalising addresses so one person is one contact: emails lower-cased, phones in E.164."""

from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidValue(ValueError):
    """A value that cannot be used, with a message fit to show the person who typed it."""


# RFC 5321 section 4.5.3.1: the sizes every mail server may hold an address to, in octets.
LOCAL_PART_OCTETS = 64
DOMAIN_OCTETS = 255
LABEL_OCTETS = 63
ADDRESS_OCTETS = 254  # a 256-octet path less its angle brackets (RFC 3696 erratum 1690)


def normalize_email(raw: str) -> str:
    """The address lower-cased and IDNA-normalised, or InvalidValue.

    email-validator's defaults are lenient where mail servers are not: they let a local part
    run past 64 characters and count characters, not octets. `strict` and the octet checks
    below hold every address to RFC 5321's limits, which a server may refuse beyond."""
    raw = raw.strip()
    try:
        result = validate_email(raw, check_deliverability=False, strict=True)
    except EmailNotValidError as exc:
        raise InvalidValue(f"not a valid email address ({exc})") from None
    _check_sizes(result.local_part, result.ascii_domain)
    return result.normalized.lower()


def _check_sizes(local: str, ascii_domain: str) -> None:
    local_octets = len(local.encode())
    if local_octets > LOCAL_PART_OCTETS:
        raise InvalidValue(
            f"not a valid email address (the part before the @ is {local_octets} octets; "
            f"mail servers accept at most {LOCAL_PART_OCTETS})"
        )
    if len(ascii_domain) > DOMAIN_OCTETS or any(
        len(label) > LABEL_OCTETS for label in ascii_domain.split(".")
    ):
        raise InvalidValue("not a valid email address (the part after the @ is too long)")
    total = local_octets + 1 + len(ascii_domain)
    if total > ADDRESS_OCTETS:
        raise InvalidValue(
            f"not a valid email address ({total} octets long; mail servers accept at most "
            f"{ADDRESS_OCTETS})"
        )


def normalize_phone(raw: str, region: str) -> str:
    raw = raw.strip()
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException:
        raise InvalidValue("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue(f"not a valid phone number for {region.upper()} or abroad")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1)
def all_time_zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())
