"""The contact fields that forms, the API and imports may set, each with one cleaner.

A cleaner takes the raw text (or value) and returns the stored value, or raises
InvalidValue with a message that says what was wrong. Blank input clears the field.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dearly.contacts.models import Lifecycle
from dearly.core.normalize import InvalidValue, all_time_zones, normalize_email, normalize_phone


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    clean: Callable[[Any, str], Any]  # (raw, default_region) -> value
    aliases: tuple[str, ...] = ()
    blank: Any = ""


def _text(max_length: int) -> Callable[[Any, str], str]:
    def clean(raw: Any, _region: str) -> str:
        value = str(raw).strip()
        if len(value) > max_length:
            raise InvalidValue(f"longer than {max_length} characters")
        return value

    return clean


def _email(raw: Any, _region: str) -> str:
    return normalize_email(str(raw))


def _phone(raw: Any, region: str) -> str:
    return normalize_phone(str(raw), region)


def parse_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise InvalidValue("not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def _date(raw: Any, _region: str) -> dt.date:
    value = parse_date(raw)
    if value.year < 1900 or value > timezone.localdate() + dt.timedelta(days=366 * 100):
        raise InvalidValue("date out of range")
    return value


def _lifecycle(raw: Any, _region: str) -> str:
    text = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
    aliases = {
        "former_customer": "former", "ex_customer": "former", "prospect": "lead",
        # HubSpot's lifecycle stages, as its exports spell them.
        "subscriber": "lead", "marketingqualifiedlead": "lead", "marketing_qualified_lead": "lead",
        "salesqualifiedlead": "lead", "sales_qualified_lead": "lead", "opportunity": "lead",
        "evangelist": "customer",
    }  # fmt: skip
    text = aliases.get(text, text)
    if text not in Lifecycle.values:
        raise InvalidValue(f"unknown lifecycle stage (use one of: {', '.join(Lifecycle.values)})")
    return text


def _country(raw: Any, _region: str) -> str:
    text = str(raw).strip().upper()
    if len(text) != 2 or not text.isalpha():
        raise InvalidValue("use a two-letter country code such as GB or FR")
    return text


def _time_zone(raw: Any, _region: str) -> str:
    text = str(raw).strip()
    if text not in all_time_zones():
        raise InvalidValue("unknown time zone (use a name such as Europe/London)")
    return text


def _coordinate(limit: float) -> Callable[[Any, str], float]:
    def clean(raw: Any, _region: str) -> float:
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise InvalidValue("not a number") from None
        if not -limit <= value <= limit:
            raise InvalidValue(f"must be between -{limit:g} and {limit:g}")
        return value

    return clean


def _language(raw: Any, _region: str) -> str:
    text = str(raw).strip().lower().replace("_", "-")
    if not 2 <= len(text) <= 10 or not text.replace("-", "").isalpha():
        raise InvalidValue("use a language code such as en or fr-CA")
    return text


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in [
        FieldSpec(
            "first_name", "First name", _text(100), ("first", "firstname", "given name", "forename")
        ),
        FieldSpec(
            "last_name", "Last name", _text(100), ("last", "lastname", "surname", "family name")
        ),
        FieldSpec("preferred_name", "Preferred name", _text(100), ("nickname", "known as")),
        FieldSpec("email", "Email", _email, ("e-mail", "email address", "mail"), None),
        FieldSpec(
            "phone", "Phone", _phone, ("mobile", "telephone", "tel", "phone number", "cell"), None
        ),
        FieldSpec(
            "address_line1", "Address line 1", _text(200), ("address", "street", "address 1")
        ),
        FieldSpec("address_line2", "Address line 2", _text(200), ("address 2",)),
        FieldSpec("town", "Town", _text(100), ("city", "locality")),
        FieldSpec(
            "postcode", "Postcode", _text(20), ("zip", "zip code", "postal code", "post code")
        ),
        FieldSpec("country", "Country", _country, ("country code",)),
        FieldSpec("latitude", "Latitude", _coordinate(90), ("lat",), None),
        FieldSpec("longitude", "Longitude", _coordinate(180), ("lng", "lon", "long"), None),
        FieldSpec("time_zone", "Time zone", _time_zone, ("timezone", "tz")),
        FieldSpec("language", "Language", _language, ("lang", "locale")),
        FieldSpec("birthday", "Birthday", _date, ("date of birth", "dob", "birth date"), None),
        FieldSpec(
            "anniversary", "Anniversary", _date, ("customer since", "wedding anniversary"), None
        ),
        FieldSpec(
            "lifecycle_stage", "Lifecycle stage", _lifecycle, ("lifecycle", "stage", "status")
        ),
        FieldSpec("notes", "Notes", _text(10_000), ("note", "comments")),
        FieldSpec("source", "Source", _text(100), ("lead source", "origin")),
    ]
}


def clean_value(name: str, raw: Any, region: str) -> Any:
    spec = FIELDS[name]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return spec.blank
    return spec.clean(raw, region)


def clean_values(values: dict[str, Any], region: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean every known field; returns (cleaned, {field: error message})."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, raw in values.items():
        if name not in FIELDS:
            errors[name] = "unknown field"
            continue
        try:
            cleaned[name] = clean_value(name, raw, region)
        except InvalidValue as exc:
            errors[name] = str(exc)
    return cleaned, errors


def clean_edited_values(
    values: dict[str, Any], region: str, *, stored: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Clean a form that shows the stored values; returns (cleaned, errors, warnings).

    A stored value the person left exactly as it was is never refused, even when today's
    rules would refuse it (a number saved before the rules, an import from another tool):
    it is left out of `cleaned`, so it stays as it is, and its problem becomes a warning.
    Otherwise one bad old value would stop every other correction from being saved."""
    cleaned, errors = clean_values(values, region)
    warnings: dict[str, str] = {}
    for name in list(errors):
        if name in stored and _as_text(values.get(name)) == _as_text(stored[name]):
            warnings[name] = errors.pop(name)
    return cleaned, errors, warnings


def _as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()
