"""The templates list, the editor (new version on every save), and version history."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.messaging import queries
from dearly.messaging.context import sample_context
from dearly.messaging.forms import TemplateForm, initial_for, needs_of
from dearly.messaging.missing import fields_needing_data
from dearly.messaging.models import EmailTemplate, TemplateVersion
from dearly.messaging.preview import preview_version
from dearly.messaging.services import TemplateError, create_template, save_version, set_archived
from dearly.messaging.starter import NAME, starter_draft
from dearly.messaging.views.common import page_or_fragment
from dearly.messaging.views.preview import editor_preview


@member_required(Can.VIEW_TEMPLATES)
def template_list(request: MemberRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    templates = queries.templates_for_member(request.member, archived=archived)
    context = {"templates": templates, "archived": archived, "nav": "templates"}
    return page_or_fragment(request, "messaging/list.html", "templates", context)


@member_required(Can.EDIT_TEMPLATES)
def template_new(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        form = TemplateForm(request.POST, needs=needs_of(request.POST))
        if form.is_valid():
            try:
                version = create_template(
                    actor=Actor.from_request(request),
                    name=form.cleaned_data["name"],
                    draft=form.draft(),
                )
            except TemplateError as e:
                _add_error(form, e)
            else:
                return _saved(request, version)
    else:
        starter = starter_draft().as_version()
        form = TemplateForm(initial=initial_for(starter, NAME), needs=fields_needing_data(starter))
    return _editor(request, form, template=None, next_number=1)


@member_required(Can.EDIT_TEMPLATES)
def template_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    latest = queries.latest_version(template)
    if request.method == "POST":
        form = TemplateForm(request.POST, needs=needs_of(request.POST))
        if form.is_valid():
            try:
                version = save_version(
                    actor=Actor.from_request(request),
                    template=template,
                    name=form.cleaned_data["name"],
                    draft=form.draft(),
                )
            except TemplateError as e:
                _add_error(form, e)
            else:
                return _saved(request, version)
    else:
        start = _starting_version(template, request.GET.get("from"), latest)
        form = TemplateForm(
            initial=initial_for(start, template.name), needs=fields_needing_data(start)
        )
    return _editor(request, form, template=template, next_number=latest.number + 1)


def _starting_version(
    template: EmailTemplate, number: str | None, latest: TemplateVersion
) -> TemplateVersion:
    if number and number.isdigit():
        return queries.get_version(template, int(number))
    return latest


def _add_error(form: TemplateForm, error: TemplateError) -> None:
    message = f"{error.message} (line {error.line})" if error.line else error.message
    field = error.field if error.field in form.fields else None
    form.add_error(field, message)


def _saved(request: MemberRequest, version: TemplateVersion) -> HttpResponse:
    messages.success(request, f"Version {version.number} saved.")
    return redirect("messaging:edit", public_id=version.template.public_id)


def _editor(
    request: MemberRequest, form: TemplateForm, *, template: EmailTemplate | None, next_number: int
) -> HttpResponse:
    context = {
        "form": form,
        "template": template,
        "next_number": next_number,
        "nav": "templates",
        "contacts": queries.preview_contacts(request.member, ""),
        **editor_preview(request, form),
    }
    return page_or_fragment(request, "messaging/editor.html", "fallbacks", context)


@member_required(Can.VIEW_TEMPLATES)
def version_list(request: MemberRequest, public_id: str) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    context = {"template": template, "versions": queries.versions_of(template), "nav": "templates"}
    return page_or_fragment(request, "messaging/versions.html", "versions", context)


@member_required(Can.VIEW_TEMPLATES)
def version_detail(request: MemberRequest, public_id: str, number: int) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    version = queries.get_version(template, number)
    context = {
        "template": template,
        "version": version,
        "preview": preview_version(version, sample_context()),
        "nav": "templates",
    }
    return page_or_fragment(request, "messaging/version.html", "version", context)


@member_required(Can.EDIT_TEMPLATES)
@require_POST
def template_archive(request: MemberRequest, public_id: str) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    archived = request.POST.get("archived") == "1"
    set_archived(actor=Actor.from_request(request), template=template, archived=archived)
    verb = "archived" if archived else "restored"
    messages.success(request, f"“{template.name}” {verb}.")
    return redirect("messaging:list")
