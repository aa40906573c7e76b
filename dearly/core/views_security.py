"""A member's own security page: two-factor sign-in, recovery codes and open sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dearly.core import signin, two_factor
from dearly.core.decorators import member_required
from dearly.core.views import actor, settings_page
from dearly.core.views_login import CodeForm, _safe_next


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@member_required()
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "has_two_factor": two_factor.has_two_factor(user),
        "required": two_factor.is_required(),
        "codes_left": two_factor.recovery_codes_left(user),
        "sign_ins": signin.open_sign_ins(user),
        "this_session": request.session.session_key,
    }
    return settings_page(request, "core/security.html", context, tab="security")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """Not behind member_required: someone who owes setting it up must be able to reach it."""
    user = _user(request)
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_app(
                request=request, actor=actor(request), user=user, code=form.cleaned_data["code"]
            )
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            done = {"codes": codes, "next": _safe_next(request), "tab": "security"}
            return render(request, "core/recovery_codes.html", done)
    context: dict[str, object] = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "owed": two_factor.owed(request.session) == two_factor.SETUP,
        "next": _safe_next(request),
        "tab": "security",
    }
    return render(request, "core/two_factor_setup.html", context)


@require_POST
@member_required()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = two_factor.renew_recovery_codes(actor=actor(request), user=_user(request))
    except two_factor.TwoFactorError as exc:
        messages.error(request, str(exc))
        return redirect("core:security")
    return render(request, "core/recovery_codes.html", {"codes": codes, "tab": "security"})


@require_POST
@member_required()
def two_factor_off(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.turn_off(actor=actor(request), user=_user(request))
    except two_factor.TwoFactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Two-factor sign-in is off; you sign in with your password only.")
    return redirect("core:security")


@require_POST
@member_required()
def session_end(request: HttpRequest, sign_in_id: int) -> HttpResponse:
    if signin.end_sign_in(actor=actor(request), user=_user(request), sign_in_id=sign_in_id):
        messages.success(request, "Signed that browser out.")
    else:
        messages.error(request, "That session had already ended.")
    return redirect("core:security")
