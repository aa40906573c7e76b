"""Business details, how long data is kept, and custom contact field definitions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.core import queries, services
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import (
    BusinessForm,
    CustomFieldForm,
    EditCustomFieldForm,
    RetentionForm,
    add_service_error,
)
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


@member_required(Can.MANAGE_FIELDS)
def field_list(request: HttpRequest) -> HttpResponse:
    context = {"fields": queries.custom_fields()}
    return settings_page(request, "core/field_list.html", context, tab="fields")


@member_required(Can.MANAGE_FIELDS)
def field_new(request: HttpRequest) -> HttpResponse:
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            field = services.create_custom_field(actor=actor(request), **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added the field “{field.label}”.")
            return redirect("core:fields")
    return settings_page(request, "core/field_form.html", {"form": form}, tab="fields")


@member_required(Can.MANAGE_FIELDS)
def field_edit(request: HttpRequest, key: str) -> HttpResponse:
    field = queries.get_custom_field(key)
    initial = {"label": field.label, "field_type": field.field_type}
    form = EditCustomFieldForm(
        request.POST or None, initial=initial | {"choices": "\n".join(field.choices)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_custom_field(actor=actor(request), field=field, **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved the field “{field.label}”.")
            return redirect("core:fields")
    context = {"form": form, "field": field}
    return settings_page(request, "core/field_form.html", context, tab="fields")


@require_POST
@member_required(Can.MANAGE_FIELDS)
def field_delete(request: HttpRequest, key: str) -> HttpResponse:
    """Delete at once when no contact holds a value; otherwise ask first, saying how many do."""
    field = queries.get_custom_field(key)
    usage = services.field_usage(field)
    if usage and request.POST.get("confirm") != "yes":
        context = {"field": field, "usage": usage}
        return settings_page(request, "core/field_delete.html", context, tab="fields")
    services.delete_custom_field(actor=actor(request), field=field)
    messages.success(request, f"Deleted the field “{field.label}”.")
    return redirect("core:fields")
