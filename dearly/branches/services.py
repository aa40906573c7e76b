"""The write path for branches: validate, save, and append an audit event in one transaction."""

from typing import Any

from django.db import transaction

from dearly.branches.hours import HoursError, check_hours
from dearly.branches.models import Branch
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.normalize import InvalidValue, all_time_zones, normalize_email, normalize_phone
from dearly.core.services import ManageError, clean_country

FIELDS = (
    "name",
    "address",
    "town",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "time_zone",
    "phone",
    "email",
    "opening_hours",
)


def _coordinates(values: dict[str, Any]) -> None:
    lat, lng = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lng is None):
        raise ManageError("give both latitude and longitude, or neither", field="latitude")
    if lat is not None and not -90 <= lat <= 90:
        raise ManageError("latitude runs from -90 to 90", field="latitude")
    if lng is not None and not -180 <= lng <= 180:
        raise ManageError("longitude runs from -180 to 180", field="longitude")


def _contact_details(values: dict[str, Any]) -> None:
    try:
        if values["phone"]:
            values["phone"] = normalize_phone(values["phone"], values["country"])
    except InvalidValue as exc:
        raise ManageError(str(exc), field="phone") from None
    try:
        if values["email"]:
            values["email"] = normalize_email(values["email"])
    except InvalidValue as exc:
        raise ManageError(str(exc), field="email") from None


def _clean(values: dict[str, Any], branch: Branch | None) -> dict[str, Any]:
    values = {f: values.get(f) for f in FIELDS}
    for text in ("name", "address", "town", "postcode", "phone", "email", "time_zone"):
        values[text] = (values[text] or "").strip()
    if not values["name"]:
        raise ManageError("give the branch a name", field="name")
    others = Branch.objects.exclude(pk=branch.pk) if branch else Branch.objects.all()
    if others.filter(name__iexact=values["name"]).exists():
        raise ManageError("another branch already has this name", field="name")
    values["country"] = clean_country(values["country"] or "", field="country")
    if values["time_zone"] not in all_time_zones():
        raise ManageError("choose a time zone such as Europe/London", field="time_zone")
    _coordinates(values)
    _contact_details(values)
    try:
        values["opening_hours"] = check_hours(values["opening_hours"] or {})
    except HoursError as exc:
        raise ManageError(str(exc), field=f"hours_{exc.day}" if exc.day else "") from None
    return values


def snapshot(branch: Branch) -> dict[str, Any]:
    return {f: getattr(branch, f) for f in FIELDS}


@transaction.atomic
def create_branch(*, actor: Actor, values: dict[str, Any]) -> Branch:
    branch = Branch.objects.create(**_clean(values, None))
    record_event(actor=actor, action="branch.created", subject=branch, new=snapshot(branch))
    return branch


@transaction.atomic
def update_branch(*, actor: Actor, branch: Branch, values: dict[str, Any]) -> Branch:
    old, new = diff(snapshot(branch), _clean(values, branch))
    if not new:
        return branch
    for field, value in new.items():
        setattr(branch, field, value)
    branch.save(update_fields=[*new, "updated_at"])
    record_event(actor=actor, action="branch.changed", subject=branch, old=old, new=new)
    return branch
