"""The starter playbooks page, and installing one with a click."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.plans.playbooks import PLAYBOOKS, PlaybookError, install, installed

NAV = "plans"


@member_required(Can.SEND_CAMPAIGNS)
def playbook_list(request: MemberRequest) -> HttpResponse:
    done = installed()
    rows = [(p, done.get(p.key)) for p in PLAYBOOKS.values()]
    return render(request, "plans/playbooks.html", {"rows": rows, "nav": NAV})


@member_required(Can.SEND_CAMPAIGNS)
@require_POST
def playbook_install(request: MemberRequest, key: str) -> HttpResponse:
    if key not in PLAYBOOKS:
        raise Http404("No such playbook")
    try:
        plan = install(actor=Actor.from_request(request), key=key)
    except PlaybookError as e:
        messages.error(request, str(e))
        return redirect("plans:playbooks")
    messages.success(
        request,
        f"Installed “{PLAYBOOKS[key].name}”. Its emails are ready to edit under Templates; "
        "its journeys are active.",
    )
    return redirect("plans:detail", public_id=plan.public_id)
