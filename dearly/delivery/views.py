from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.textforms import TextCheckedForm
from dearly.core.views import settings_page
from dearly.delivery import services
from dearly.delivery.models import DeliverySettings


class BudgetForm(TextCheckedForm):
    max_messages = forms.IntegerField(
        label="At most this many marketing messages",
        min_value=1,
        max_value=services.BUDGET_MAX_LIMIT,
    )
    days = forms.IntegerField(
        label="per contact, in any period of this many days",
        min_value=1,
        max_value=services.BUDGET_DAYS_LIMIT,
    )


@member_required(Can.MANAGE_SETTINGS)
def budget(request: MemberRequest) -> HttpResponse:
    current = DeliverySettings.current()
    form = BudgetForm(
        request.POST or None,
        initial={"max_messages": current.budget_max, "days": current.budget_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_budget(actor=Actor.from_request(request), **form.cleaned_data)
        except services.SettingsError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, "Saved the contact budget.")
            return redirect("delivery:budget")
    return settings_page(request, "delivery/budget.html", {"form": form}, tab="budget")
