"""The editor's live preview, fallback fields and contact picker (htmx fragments)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from dearly.contacts.queries import contacts_for_member
from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, member_required
from dearly.messaging import queries
from dearly.messaging.checks import check_version
from dearly.messaging.compiling import TemplateProblem
from dearly.messaging.context import SAMPLE_LINKS, context_for_contact, sample_context
from dearly.messaging.fields import label
from dearly.messaging.forms import PreviewForm, TemplateForm, needs_of
from dearly.messaging.missing import audience_gaps
from dearly.messaging.models import MessagePurpose
from dearly.messaging.preview import preview_version
from dearly.messaging.views.common import page_or_fragment


def editor_preview(request: MemberRequest, form: TemplateForm) -> dict[str, Any]:
    """Everything the preview panel shows for the editor's current content."""
    form.is_valid()  # a preview shows whatever can be read, even before the form is complete
    version = form.draft().as_version()
    picker = PreviewForm(request.POST if request.method == "POST" else None)
    chosen = picker.cleaned_data if picker.is_valid() else {}
    purpose = chosen.get("purpose") or MessagePurpose.PROMOTIONAL
    contact = queries.get_preview_contact(request.member, chosen.get("contact", ""))
    context = context_for_contact(contact, links=SAMPLE_LINKS) if contact else sample_context()
    return {
        "preview": preview_version(version, context),
        "preview_contact": contact,
        "checks": check_version(version, purpose=purpose),
        "gaps": _gaps(request, version),
        "purposes": [(value, str(name).split(" (")[0]) for value, name in MessagePurpose.choices],
        "purpose": purpose,
    }


def _gaps(request: MemberRequest, version: Any) -> list[tuple[str, int]]:
    try:
        gaps = audience_gaps(version, contacts_for_member(request.member))
    except TemplateProblem:
        return []
    return [(label(field), count) for field, count in sorted(gaps.items()) if count]


@member_required(Can.EDIT_TEMPLATES)
@require_POST
def preview(request: MemberRequest) -> HttpResponse:
    form = TemplateForm(request.POST, needs=needs_of(request.POST))
    context = {"form": form, **editor_preview(request, form)}
    return page_or_fragment(request, "messaging/editor.html", "preview", context)


@member_required(Can.EDIT_TEMPLATES)
@require_POST
def fallbacks(request: MemberRequest) -> HttpResponse:
    form = TemplateForm(request.POST, needs=needs_of(request.POST))
    return render(request, "messaging/editor.html#fallbacks", {"form": form})


@member_required(Can.EDIT_TEMPLATES)
def contact_picker(request: MemberRequest) -> HttpResponse:
    contacts = queries.preview_contacts(request.member, request.GET.get("q", ""))
    return render(request, "messaging/editor.html#picker", {"contacts": contacts})
