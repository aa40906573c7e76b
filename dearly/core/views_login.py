"""Signing in: the password (throttled by django-axes), then the two-factor code if owed."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from dearly.core import two_factor
from dearly.core.textforms import TextCheckedForm


class SignInView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    form_class = AuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        debt = two_factor.after_password(self.request, form.get_user())
        if not debt:
            return response
        to = "login_code" if debt == two_factor.CODE else "core:two_factor_setup"
        return redirect_next(to, self.get_redirect_url())


sign_in = SignInView.as_view()


def redirect_next(to: str, next_url: str) -> HttpResponse:
    response = redirect(to)
    if next_url:
        response["Location"] += "?" + urlencode({"next": next_url})
    return response


class CodeForm(TextCheckedForm):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The six digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if ok else ""


@login_required
def login_code(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the app (or a recovery code) settles the session."""
    if two_factor.owed(request.session) != two_factor.CODE:
        return redirect(_safe_next(request) or "dashboard")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = request.user
        if wait := two_factor.wait_seconds(user):  # type: ignore[arg-type]
            status = 429
            form.add_error("code", f"Too many wrong codes: wait {wait} second{pluralize(wait)}.")
        elif two_factor.verify(request, user, form.cleaned_data["code"]):  # type: ignore[arg-type]
            return redirect(_safe_next(request) or "dashboard")
        else:
            status = 400
            form.add_error(
                "code",
                "That code did not match. Type the six digits the app shows now, "
                "or a recovery code.",
            )
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "core/login_code.html", context, status=status)
