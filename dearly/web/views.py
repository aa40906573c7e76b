from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.web import dashboard as figures
from dearly.web.decorators import MemberRequest, member_required


@member_required()
def dashboard(request: MemberRequest) -> HttpResponse:
    member = request.member
    stages = figures.lifecycle_counts(member)
    total = sum(stages.values())
    return render(
        request,
        "web/dashboard.html",
        {
            "nav": "dashboard",
            "total": total,
            "stages": stages,
            "channels": figures.reachable_by_channel(member, total),
            "branches": figures.contacts_by_branch(member, total),
            "recent": figures.recent_changes(member),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers and monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
