"""The signup form's text, kept as immutable versions (see models.SignupFormVersion)."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from dearly.contacts.models import Purpose
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.preferences.models import SignupFormVersion

DEFAULTS = {
    "form_name": "Website signup form",
    "heading": "Join our mailing list",
    "wording": (
        "Yes, please email me news, offers and invitations. "
        "I can unsubscribe at any time with one click."
    ),
    "purposes": [Purpose.NEWSLETTER.value, Purpose.MARKETING.value],
    "ask_name": True,
}
FIELDS = tuple(DEFAULTS)


def current_form() -> SignupFormVersion:
    """The latest version. The first is written on first use rather than by a migration, so
    it exists whatever the database went through (a flush in tests, a restore)."""
    latest = SignupFormVersion.objects.order_by("-number").first()
    if latest:
        return latest
    try:
        with transaction.atomic():
            return SignupFormVersion.objects.create(number=1, **DEFAULTS)
    except IntegrityError:  # another request wrote version 1 first
        return SignupFormVersion.objects.get(number=1)


def form_version(number: int) -> SignupFormVersion | None:
    return SignupFormVersion.objects.filter(number=number).first()


class FormError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def save_form(
    *,
    actor: Actor,
    form_name: str,
    heading: str,
    wording: str,
    purposes: list[str],
    ask_name: bool,
) -> SignupFormVersion:
    """Save the form as a new version when anything changed; returns the current version."""
    if not wording.strip():
        raise FormError("Write what people agree to.", field="wording")
    if not purposes or set(purposes) - set(Purpose.values):
        raise FormError("Choose at least one topic.", field="purposes")
    current = current_form()
    values = {
        "form_name": form_name.strip()[:120] or DEFAULTS["form_name"],
        "heading": heading.strip()[:200] or DEFAULTS["heading"],
        "wording": wording.strip(),
        "purposes": [p for p in Purpose.values if p in purposes],
        "ask_name": ask_name,
    }
    if all(getattr(current, k) == v for k, v in values.items()):
        return current
    number = (SignupFormVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SignupFormVersion.objects.create(number=number, created_by_id=actor.user_id, **values)
    record_event(
        actor=actor,
        action="signup_form.saved",
        subject_type="signup_form",
        subject_id=str(number),
        old={k: getattr(current, k) for k, v in values.items() if getattr(current, k) != v},
        new={k: v for k, v in values.items() if getattr(current, k) != v},
    )
    return version
