"""Two-factor sign-in: an authenticator app (TOTP) and ten single-use recovery codes.

Built on django-otp. The protocol:

1. After the right password, `after_password` notes in the session what is still owed: a code
   (the member has an app) or setting one up (the business requires it and they have none).
   `member_required` lets nobody with a debt past; the session is signed in but worth nothing.
2. A code from the app, or a recovery code, pays the debt (`verify`); django-otp throttles
   wrong codes (the wait doubles after each) and refuses a code already used.
3. Setting up: an unconfirmed device holds a fresh secret until the first right code confirms
   it; then recovery codes are made, and shown once.
"""

import re
from base64 import b32encode

import django_otp
import segno
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Business

OWED = "dearly_two_factor_owed"
CODE, SETUP = "code", "setup"
RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


class TwoFactorError(ValueError):
    pass


def is_required() -> bool:
    return Business.objects.filter(pk=1, require_two_factor=True).exists()


def app_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def users_with_two_factor() -> set[int]:
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))


def owed(session: SessionBase) -> str:
    return str(session.get(OWED, ""))


def after_password(request: HttpRequest, user: AbstractBaseUser) -> str:
    """What the new session still owes: CODE, SETUP or "" (nothing)."""
    debt = CODE if has_two_factor(user) else SETUP if is_required() else ""
    if debt:
        request.session[OWED] = debt
    return debt


def _settle(request: HttpRequest, device: Device) -> None:
    django_otp.login(request, device)
    request.session.pop(OWED, None)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def verify(request: HttpRequest, user: AbstractBaseUser, code: str) -> Device | None:
    """The device the code belongs to (app or recovery codes), or None; settles the session."""
    code = normalise(code)
    devices: list[Device] = []
    if len(code) == 6 and code.isdigit():
        devices.extend(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif code:
        devices.extend(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        if device.verify_token(code):
            _settle(request, device)
            if isinstance(device, StaticDevice):
                record_event(
                    actor=Actor.from_request(request),
                    action="two_factor.recovery_code_used",
                    subject=user,  # type: ignore[arg-type]
                    subject_id=user.get_username(),
                    new={"left": device.token_set.count()},
                )
            return device
    return None


def wait_seconds(user: AbstractBaseUser) -> int:
    """How long wrong codes have locked the app's code out, in seconds (0: not locked)."""
    device = app_device(user)
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


# --- Setting up -------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed app device being set up, made with a fresh secret if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app types it in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True))


@transaction.atomic
def confirm_app(*, request: HttpRequest, actor: Actor, user: User, code: str) -> list[str]:
    """Confirm the app being set up with its first code; returns the new recovery codes."""
    device = pending_device(user)
    if not device.verify_token(normalise(code)):
        raise TwoFactorError(
            "That code did not match. Type the six digits the app shows now; "
            "if it keeps failing, check the time on your phone is set automatically."
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _settle(request, device)
    record_event(actor=actor, action="two_factor.enabled", subject=user, subject_id=user.username)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def renew_recovery_codes(*, actor: Actor, user: User) -> list[str]:
    if not has_two_factor(user):
        raise TwoFactorError("Set up an authenticator app first.")
    codes = _new_recovery_codes(user)
    record_event(
        actor=actor,
        action="two_factor.recovery_codes_renewed",
        subject=user,
        subject_id=user.username,
    )
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(*, actor: Actor, user: User) -> None:
    if is_required():
        raise TwoFactorError("The owner requires two-factor sign-in for everyone.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(actor=actor, action="two_factor.disabled", subject=user, subject_id=user.username)
