"""Send a test of a template to yourself, through the outbox like every other message.

It is rendered for the made-up person first, as the worker will: a template that cannot be
filled in is refused here, with the reason, instead of being queued to fail out of sight.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.normalize import InvalidValue, normalize_email
from dearly.delivery.outbox import enqueue_test
from dearly.messaging import queries
from dearly.messaging.compiling import TemplateProblem
from dearly.messaging.context import sample_context
from dearly.messaging.missing import MissingPersonalData
from dearly.messaging.render import render_version


@require_POST
@member_required(Can.EDIT_TEMPLATES)
def send_test(request: MemberRequest, public_id: str) -> HttpResponse:
    template = queries.get_template_for_member(request.member, public_id)
    version = queries.latest_version(template)
    try:
        address = normalize_email(request.user.email or "")  # type: ignore[union-attr]
    except InvalidValue:
        messages.error(request, "Your account has no valid email address to send a test to.")
        return redirect("messaging:edit", public_id=template.public_id)
    try:
        render_version(version, sample_context())
    except (MissingPersonalData, TemplateProblem) as exc:
        messages.error(request, f"The test was not sent: this template cannot be filled in. {exc}")
    else:
        enqueue_test(template_version_id=version.pk, to_address=address)
        messages.success(
            request,
            f"A test of version {version.number}, filled in for a made-up person, is on its "
            f"way to {address}.",
        )
    return redirect("messaging:edit", public_id=template.public_id)
