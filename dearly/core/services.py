"""The write path for the team and the business settings.

Each function validates, writes with update_fields and appends its audit event in one
transaction. Views, the API and commands call these; nobody saves these rows directly.
"""

from typing import TYPE_CHECKING, Any

import phonenumbers
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.models import Business, Membership, Role
from dearly.core.normalize import InvalidValue, normalize_email
from dearly.core.signin import end_all_sign_ins

if TYPE_CHECKING:  # a member is placed in a branch; core never needs the model at run time
    from dearly.branches.models import Branch
from dearly.core.retention import MONTHS


class ManageError(ValueError):
    """A change that was refused; `field` names the form field to blame, if one is."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- Team -------------------------------------------------------------------------------


def _placement(role: str, branch: "Branch | None") -> dict[str, Any]:
    if role not in Role.values:
        raise ManageError("choose one of the roles", field="role")
    if role == Role.STAFF and branch is None:
        raise ManageError("branch staff need a branch", field="branch")
    return {"role": role, "branch": branch.name if branch else None}


def clean_member_email(raw: str, *, user: User | None = None) -> str:
    """A staff member's own address, held to the rules of every other address; blank is
    allowed (they then get no tests). Two accounts never share one."""
    if not raw.strip():
        return ""
    try:
        email = normalize_email(raw)
    except InvalidValue as exc:
        raise ManageError(str(exc), field="email") from None
    others = User.objects.filter(email__iexact=email)
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ManageError("another account already has this email", field="email")
    return email


def _check_new_user(*, username: str, email: str, password: str) -> User:
    if not username:
        raise ManageError("give the person a username to log in with", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ManageError("someone already has this username", field="username")
    user = User(username=username, email=clean_member_email(email))
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
    branch: "Branch | None",
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
    *, actor: Actor, member: Membership, role: str, branch: "Branch | None"
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
    if not active:
        end_all_sign_ins(User.objects.filter(pk=user.pk))
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


def _check_two_factor_owner(actor: Actor, required: bool) -> None:
    if required and not TOTPDevice.objects.filter(user_id=actor.user_id, confirmed=True).exists():
        raise ManageError(
            "set up two-factor sign-in for yourself first (Your security)",
            field="require_two_factor",
        )


def _sign_out_without_two_factor() -> None:
    with_it = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    end_all_sign_ins(User.objects.exclude(pk__in=with_it))


@transaction.atomic
def update_business(
    *,
    actor: Actor,
    name: str,
    postal_address: str,
    default_country: str,
    require_two_factor: bool | None = None,
) -> Business:
    """Save the business's details; the singleton row (pk=1) is created on first save.

    Turning on two-factor for everyone signs out everyone who has not set it up."""
    if not name.strip():
        raise ManageError("the business needs a name", field="name")
    business = Business.objects.select_for_update().filter(pk=1).first() or Business(pk=1)
    fields = ("name", "postal_address", "default_country", "require_two_factor")
    before = {f: getattr(business, f) for f in fields}
    after = {
        "name": name.strip(),
        "postal_address": postal_address.strip(),
        "default_country": clean_country(default_country, field="default_country"),
        "require_two_factor": business.require_two_factor
        if require_two_factor is None
        else require_two_factor,
    }
    turning_on = bool(after["require_two_factor"]) and not before["require_two_factor"]
    _check_two_factor_owner(actor, turning_on)
    old, new = diff(before, after)
    if business._state.adding or new:
        for field, value in after.items():
            setattr(business, field, value)
        business.save()
        record_event(actor=actor, action="settings.changed", subject=business, old=old, new=new)
        if new.get("require_two_factor"):
            _sign_out_without_two_factor()
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
