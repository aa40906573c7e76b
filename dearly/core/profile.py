"""The signed-in member's own account: name, email, language and password.

Like every write, each function validates, saves with update_fields and appends its audit
event in one transaction. The password itself never reaches the audit log.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.models import Membership
from dearly.core.services import ManageError, clean_member_email


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _account(user: User, member: Membership) -> dict[str, str]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": member.language,
    }


@transaction.atomic
def update_profile(
    *, actor: Actor, member: Membership, first_name: str, last_name: str, email: str, language: str
) -> Membership:
    """The member's own name, email (where tests and notices go) and language."""
    user = member.user
    if language and language not in dict(language_choices()):
        raise ManageError("choose one of the languages", field="language")
    before = _account(user, member)
    user.first_name, user.last_name = first_name.strip()[:150], last_name.strip()[:150]
    user.email = clean_member_email(email, user=user)
    member.language = language
    old, new = diff(before, _account(user, member))
    if not new:
        return member
    user.save(update_fields=["first_name", "last_name", "email"])
    member.save(update_fields=["language", "updated_at"])
    record_event(
        actor=actor,
        action="member.profile_updated",
        subject=user,
        subject_id=user.username,
        old=old,
        new=new,
    )
    return member


@transaction.atomic
def change_password(*, actor: Actor, member: Membership, current: str, new: str) -> None:
    """A new password, given the current one; the rules are the installation's validators."""
    user = member.user
    if not user.check_password(current):
        raise ManageError("that is not your current password", field="current_password")
    try:
        validate_password(new, user)
    except ValidationError as exc:
        raise ManageError(" ".join(exc.messages), field="new_password") from None
    user.set_password(new)
    user.save(update_fields=["password"])
    record_event(
        actor=actor, action="member.password_changed", subject=user, subject_id=user.username
    )
