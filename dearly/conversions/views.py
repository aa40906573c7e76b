"""The conversion settings page: the attribution window and when a customer lapses."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from dearly.conversions import services
from dearly.conversions.models import ConversionSettings
from dearly.conversions.validation import ConversionError
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.textforms import TextCheckedForm
from dearly.core.views import settings_page


class SettingsForm(TextCheckedForm):
    attribution_days = forms.IntegerField(
        label="Credit a purchase to our last message sent within this many days before it",
        min_value=1,
        max_value=services.ATTRIBUTION_DAYS_LIMIT,
    )
    lapse_days = forms.IntegerField(
        label="A customer with no purchase for this many days becomes a former customer",
        min_value=30,
        max_value=services.LAPSE_DAYS_LIMIT,
    )


@member_required(Can.MANAGE_SETTINGS)
def conversion_settings(request: MemberRequest) -> HttpResponse:
    current = ConversionSettings.current()
    initial = {"attribution_days": current.attribution_days, "lapse_days": current.lapse_days}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_settings(actor=Actor.from_request(request), **form.cleaned_data)
        except ConversionError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, "Saved the conversion settings.")
            return redirect("conversions:settings")
    return settings_page(request, "conversions/settings.html", {"form": form}, tab="conversions")
