"""What a reported event must look like before it is written. Errors name the field to blame."""

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_VALUE = Decimal("9999999999.99")  # what DecimalField(12, 2) holds
MAX_PROPERTIES_BYTES = 8_000
CLOCK_SKEW = dt.timedelta(minutes=5)  # a shop's clock a little ahead of ours is not the future


class ConversionError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def clean_event_id(raw: str) -> str:
    event_id = (raw or "").strip()
    if not event_id or len(event_id) > 200:
        raise ConversionError(
            "give your own id for this event, 1 to 200 characters", field="event_id"
        )
    return event_id


def clean_name(raw: str) -> str:
    if not NAME.match(raw or ""):
        raise ConversionError(
            "use lower-case letters, digits, '_', '-' or '.', at most 60, e.g. 'purchase'",
            field="name",
        )
    return raw


def clean_value(value: Decimal | int | str | None, currency: str) -> tuple[Decimal | None, str]:
    if value is None:
        if currency:
            raise ConversionError("a currency needs a value", field="currency")
        return None, ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ConversionError("not a number", field="value") from None
    if not amount.is_finite() or amount < 0:
        raise ConversionError("give a value of 0 or more", field="value")
    if amount > MAX_VALUE:
        raise ConversionError(f"at most {MAX_VALUE}", field="value")
    if amount != amount.quantize(Decimal("0.01")):
        raise ConversionError("at most 2 decimal places", field="value")
    if not currency:
        raise ConversionError("a value needs its currency, e.g. 'GBP'", field="currency")
    if not CURRENCY.match(currency):
        raise ConversionError(
            "an ISO 4217 code: three capital letters, e.g. 'GBP'", field="currency"
        )
    return amount.quantize(Decimal("0.01")), currency


def clean_occurred_at(when: dt.datetime | None, *, now: dt.datetime) -> dt.datetime:
    if when is None:
        return now
    if timezone.is_naive(when):
        raise ConversionError("give a time zone, e.g. '2026-05-01T10:00:00Z'", field="occurred_at")
    if when > now + CLOCK_SKEW:
        raise ConversionError("an event cannot be in the future", field="occurred_at")
    return when


def clean_properties(properties: Any) -> dict[str, Any]:
    if properties is None:
        return {}
    if not isinstance(properties, dict):
        raise ConversionError("an object of names and values", field="properties")
    try:
        size = len(json.dumps(properties, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        raise ConversionError("only JSON values", field="properties") from None
    if size > MAX_PROPERTIES_BYTES:
        raise ConversionError(f"at most {MAX_PROPERTIES_BYTES} bytes as JSON", field="properties")
    return properties
