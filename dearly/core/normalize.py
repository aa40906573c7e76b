"""Normalising addresses so one person is one contact: emails lower-cased, phones in E.164."""

from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidValue(ValueError):
    """A value that cannot be used, with a message fit to show the person who typed it."""


def normalize_email(raw: str) -> str:
    raw = raw.strip()
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidValue(f"not a valid email address ({exc})") from None
    return result.normalized.lower()


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
