"""The write path for the team, the business settings and custom field definitions.

Each function validates, writes with update_fields and appends its audit event in one
transaction. Views, the API and commands call these; nobody saves these rows directly.
"""

import re
from typing import Any

import phonenumbers
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dearly.branches.models import Branch
from dearly.contacts.fields import FIELDS
from dearly.contacts.models import Contact, CustomField, FieldType
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.models import Business, Membership, Role
from dearly.core.retention import MONTHS


class ManageError(ValueError):
    """A change that was refused; `field` names the form field to blame, if one is."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- Team -------------------------------------------------------------------------------


def _placement(role: str, branch: Branch | None) -> dict[str, Any]:
    if role not in Role.values:
        raise ManageError("choose one of the roles", field="role")
    if role == Role.STAFF and branch is None:
        raise ManageError("branch staff need a branch", field="branch")
    return {"role": role, "branch": branch.name if branch else None}


def _check_new_user(*, username: str, email: str, password: str) -> User:
    if not username:
        raise ManageError("give the person a username to log in with", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ManageError("someone already has this username", field="username")
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ManageError(" ".join(exc.messages), field="password") from None
    return user


@transaction.atomic
def create_member(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: str,
    branch: Branch | None,
) -> Membership:
    """A new staff account with its first password, role and (for branch staff) branch."""
    placement = _placement(role, branch)
    user = _check_new_user(username=username.strip(), email=email.strip(), password=password)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.set_password(password)
    user.save()
    member = Membership.objects.create(user=user, role=role, branch=branch)
    record_event(
        actor=actor,
        action="member.created",
        subject=user,
        subject_id=user.username,
        new={"username": user.username, **placement},
    )
    return member


def _other_active_owners(member: Membership) -> int:
    # Locking the owners' rows makes two owners demoting each other at once queue up,
    # so the second one sees the first change and is refused.
    owners = Membership.objects.select_for_update().filter(role=Role.OWNER, user__is_active=True)
    return sum(1 for m in owners if m.pk != member.pk)


def _keep_an_owner(member: Membership, what: str) -> None:
    if member.role == Role.OWNER and member.user.is_active and not _other_active_owners(member):
        raise ManageError(f"the last active owner cannot be {what}; make someone else owner first")


@transaction.atomic
def change_member(
    *, actor: Actor, member: Membership, role: str, branch: Branch | None
) -> Membership:
    """Change someone's role or branch. The business always keeps an active owner."""
    before = _placement(member.role, member.branch)
    after = _placement(role, branch)
    if role != Role.OWNER:
        _keep_an_owner(member, "demoted")
    old, new = diff(before, after)
    if not new:
        return member
    member.role, member.branch = role, branch
    member.save(update_fields=["role", "branch", "updated_at"])
    record_event(
        actor=actor,
        action="member.role_changed",
        subject=member.user,
        subject_id=member.user.username,
        old=old,
        new=new,
    )
    return member


@transaction.atomic
def set_member_active(*, actor: Actor, member: Membership, active: bool) -> Membership:
    """Deactivate (they can no longer log in; their history stays) or reactivate an account."""
    user = member.user
    if user.is_active == active:
        return member
    if not active:
        if actor.user_id == user.pk:
            raise ManageError("you cannot deactivate your own account")
        _keep_an_owner(member, "deactivated")
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "member.reactivated" if active else "member.deactivated"
    record_event(
        actor=actor,
        action=action,
        subject=user,
        subject_id=user.username,
        old={"active": not active},
        new={"active": active},
    )
    return member


# --- Business settings ------------------------------------------------------------------


def clean_country(code: str, *, field: str) -> str:
    code = code.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ManageError("use a two-letter country code such as GB, IE or US", field=field)
    return code


@transaction.atomic
def update_business(
    *, actor: Actor, name: str, postal_address: str, default_country: str
) -> Business:
    """Save the business's details; the singleton row (pk=1) is created on first save."""
    if not name.strip():
        raise ManageError("the business needs a name", field="name")
    business = Business.objects.select_for_update().filter(pk=1).first() or Business(pk=1)
    before = {f: getattr(business, f) for f in ("name", "postal_address", "default_country")}
    after = {
        "name": name.strip(),
        "postal_address": postal_address.strip(),
        "default_country": clean_country(default_country, field="default_country"),
    }
    old, new = diff(before, after)
    if business._state.adding or new:
        for field, value in after.items():
            setattr(business, field, value)
        business.save()
        record_event(actor=actor, action="settings.changed", subject=business, old=old, new=new)
    return business


@transaction.atomic
def update_retention(
    *, actor: Actor, keep_tracking_months: int, keep_caught_mail_months: int
) -> Business:
    """How many months tracking events and caught mail are kept (core.retention)."""
    low, high = MONTHS
    after = {
        "keep_tracking_months": keep_tracking_months,
        "keep_caught_mail_months": keep_caught_mail_months,
    }
    for field, months in after.items():
        if not low <= months <= high:
            raise ManageError(f"keep them between {low} and {high} months", field=field)
    business = Business.objects.select_for_update().filter(pk=1).first() or Business(pk=1)
    old, new = diff({f: getattr(business, f) for f in after}, after)
    if business._state.adding or new:
        for field, value in after.items():
            setattr(business, field, value)
        business.save()
        record_event(actor=actor, action="settings.changed", subject=business, old=old, new=new)
    return business


# --- Custom contact fields --------------------------------------------------------------

# Keys become merge fields and CSV column names, so they stay plain.
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _clean_choices(field_type: str, choices: list[str]) -> list[str]:
    if field_type != FieldType.CHOICE:
        return []
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if not cleaned:
        raise ManageError("list at least one choice, one per line", field="choices")
    return cleaned


def _check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ManageError(
            "use lower-case letters, digits and underscores, starting with a letter", field="key"
        )
    if key in FIELDS:
        raise ManageError(f"“{key}” is a built-in contact field; pick another key", field="key")
    if CustomField.objects.filter(key=key).exists():
        raise ManageError("another custom field already uses this key", field="key")
    return key


def field_usage(field: CustomField) -> int:
    """How many contacts hold a value for this field."""
    return Contact.objects.filter(custom_fields__has_key=field.key).count()


@transaction.atomic
def create_custom_field(
    *, actor: Actor, key: str, label: str, field_type: str, choices: list[str]
) -> CustomField:
    if field_type not in FieldType.values:
        raise ManageError("choose a type", field="field_type")
    field = CustomField.objects.create(
        key=_check_key(key.strip().lower()),
        label=label.strip(),
        field_type=field_type,
        choices=_clean_choices(field_type, choices),
    )
    record_event(
        actor=actor,
        action="custom_field.created",
        subject_type="custom_field",
        subject_id=field.key,
        new=_describe(field),
    )
    return field


def _describe(field: CustomField) -> dict[str, Any]:
    return {"label": field.label, "type": field.field_type, "choices": field.choices}


@transaction.atomic
def update_custom_field(
    *, actor: Actor, field: CustomField, label: str, field_type: str, choices: list[str]
) -> CustomField:
    """Change the label, type or choices. The key is fixed: contacts' values are stored by it."""
    if field_type != field.field_type and field_usage(field):
        raise ManageError("contacts already hold values of this type", field="field_type")
    before = _describe(field)
    field.label = label.strip()
    field.field_type = field_type
    field.choices = _clean_choices(field_type, choices)
    old, new = diff(before, _describe(field))
    if new:
        field.save(update_fields=["label", "field_type", "choices"])
        record_event(
            actor=actor,
            action="custom_field.changed",
            subject_type="custom_field",
            subject_id=field.key,
            old=old,
            new=new,
        )
    return field


@transaction.atomic
def delete_custom_field(*, actor: Actor, field: CustomField) -> int:
    """Delete the definition and the values contacts hold for it; returns how many had one."""
    holders = list(Contact.objects.select_for_update().filter(custom_fields__has_key=field.key))
    for contact in holders:
        contact.custom_fields.pop(field.key, None)
    Contact.objects.bulk_update(holders, ["custom_fields"], batch_size=500)
    record_event(
        actor=actor,
        action="custom_field.deleted",
        subject_type="custom_field",
        subject_id=field.key,
        old={**_describe(field), "contacts_with_value": len(holders)},
    )
    field.delete()
    return len(holders)
