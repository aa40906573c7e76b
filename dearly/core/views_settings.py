"""Business details, and how long data is kept."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dearly.core import queries, services
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import BusinessForm, RetentionForm, add_service_error
from dearly.core.views import actor, settings_page


@member_required(Can.MANAGE_SETTINGS)
def business(request: HttpRequest) -> HttpResponse:
    current = queries.get_business()
    initial = {f: getattr(current, f) for f in BusinessForm.base_fields}
    form = BusinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_business(actor=actor(request), **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Saved the business details.")
            return redirect("core:business")
    return settings_page(request, "core/business.html", {"form": form}, tab="business")


@member_required(Can.MANAGE_SETTINGS)
def retention(request: HttpRequest) -> HttpResponse:
    current = queries.get_business()
    initial = {f: getattr(current, f) for f in RetentionForm.base_fields}
    form = RetentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_retention(actor=actor(request), **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Saved how long data is kept.")
            return redirect("core:retention")
    return settings_page(request, "core/retention.html", {"form": form}, tab="retention")
