"""The owner's "Signup form" page: the form's wording, the snippet to paste, the hosted page."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.preferences.forms import SignupSettingsForm
from dearly.preferences.forms_config import FIELDS, FormError, current_form, save_form
from dearly.preferences.models import SignupFormVersion
from dearly.preferences.stamp import form_stamp


def snippet(version: SignupFormVersion) -> str:
    """Plain HTML for another website: no script, no styles beyond hiding the honeypot."""
    return render_to_string(
        "preferences/snippet.html",
        {
            "action": f"{settings.BASE_URL}/p/signup/",
            "version": version,
            "stamp": form_stamp(version.number, embedded=True),
        },
    ).strip()


@member_required(Can.MANAGE_SETTINGS)
def setup(request: MemberRequest) -> HttpResponse:
    current = current_form()
    initial = {name: getattr(current, name) for name in FIELDS}
    form = SignupSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_form(actor=Actor.from_request(request), **form.cleaned_data)
        except FormError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, f"Saved. The form is now at version {saved.number}.")
            return redirect("preferences:setup")
    context = {
        "form": form,
        "version": current,
        "snippet": snippet(current),
        "hosted_url": f"{settings.BASE_URL}/p/signup/",
        "nav": "manage",
        "tab": "signup",
    }
    return render(request, "preferences/setup.html", context)
