"""The signed-in member's own profile: every member has one, whatever their role."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dearly.core import profile
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.forms import PasswordForm, ProfileForm, add_service_error
from dearly.core.services import ManageError
from dearly.core.views import actor


def _profile_form(request: MemberRequest, data: QueryDict | None = None) -> ProfileForm:
    user, member = request.user, request.member
    initial = {
        "first_name": user.first_name,  # type: ignore[union-attr]
        "last_name": user.last_name,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "language": member.language,
    }
    return ProfileForm(data, initial=initial, languages=profile.language_choices())


def _page(request: MemberRequest, details: ProfileForm, password: PasswordForm) -> HttpResponse:
    context = {"form": details, "password_form": password, "nav": "profile"}
    return render(request, "core/profile.html", context)


@member_required()
def profile_page(request: MemberRequest) -> HttpResponse:
    form = _profile_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            profile.update_profile(actor=actor(request), member=request.member, **form.cleaned_data)
        except ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Saved your profile.")
            return redirect("core:profile")
    return _page(request, form, PasswordForm())


@require_POST
@member_required()
def password_change(request: MemberRequest) -> HttpResponse:
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            profile.change_password(
                actor=actor(request),
                member=request.member,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["new_password"],
            )
        except ManageError as exc:
            add_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.member.user)  # stay signed in here
            messages.success(request, "Your password is changed.")
            return redirect("core:profile")
    return _page(request, _profile_form(request), form)
