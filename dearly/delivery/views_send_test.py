"""Send a test of a template to yourself, through the outbox like every other message."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.normalize import InvalidValue, normalize_email
from dearly.delivery.outbox import enqueue_test
from dearly.messaging import queries


@require_POST
@member_required(Can.EDIT_TEMPLATES)
def send_test(request: MemberRequest, public_id: str) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    version = queries.latest_version(template)
    try:
        address = normalize_email(request.user.email or "")  # type: ignore[union-attr]
    except InvalidValue:
        messages.error(request, "Your account has no valid email address to send a test to.")
    else:
        enqueue_test(template_version_id=version.pk, to_address=address)
        messages.success(
            request,
            f"A test of version {version.number}, filled in for a made-up person, is on its "
            f"way to {address}.",
        )
    return redirect("messaging:edit", public_id=template.public_id)
