"""Settings → Custom fields: the definitions contacts' typed custom values follow."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from dearly.contacts import field_definitions
from dearly.contacts.forms.field_definitions import CustomFieldForm, EditCustomFieldForm
from dearly.contacts.models import CustomField
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import add_service_error
from dearly.core.services import ManageError
from dearly.core.views import actor, settings_page


@member_required(Can.MANAGE_FIELDS)
def field_list(request: HttpRequest) -> HttpResponse:
    context = {"fields": CustomField.objects.all()}
    return settings_page(request, "contacts/fields/list.html", context, tab="fields")


@member_required(Can.MANAGE_FIELDS)
def field_new(request: HttpRequest) -> HttpResponse:
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            field = field_definitions.create_custom_field(actor=actor(request), **form.cleaned_data)
        except ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added the field “{field.label}”.")
            return redirect("core:fields")
    return settings_page(request, "contacts/fields/form.html", {"form": form}, tab="fields")


@member_required(Can.MANAGE_FIELDS)
def field_edit(request: HttpRequest, key: str) -> HttpResponse:
    field = get_object_or_404(CustomField, key=key)
    initial = {"label": field.label, "field_type": field.field_type}
    form = EditCustomFieldForm(
        request.POST or None, initial=initial | {"choices": "\n".join(field.choices)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            field_definitions.update_custom_field(
                actor=actor(request), field=field, **form.cleaned_data
            )
        except ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved the field “{field.label}”.")
            return redirect("core:fields")
    context = {"form": form, "field": field}
    return settings_page(request, "contacts/fields/form.html", context, tab="fields")


@require_POST
@member_required(Can.MANAGE_FIELDS)
def field_delete(request: HttpRequest, key: str) -> HttpResponse:
    """Delete at once when no contact holds a value; otherwise ask first, saying how many do."""
    field = get_object_or_404(CustomField, key=key)
    usage = field_definitions.field_usage(field)
    if usage and request.POST.get("confirm") != "yes":
        context = {"field": field, "usage": usage}
        return settings_page(request, "contacts/fields/delete.html", context, tab="fields")
    field_definitions.delete_custom_field(actor=actor(request), field=field)
    messages.success(request, f"Deleted the field “{field.label}”.")
    return redirect("core:fields")
