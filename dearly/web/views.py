from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.core.access import Can, can
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.queries import recent_lockouts
from dearly.web import dashboard as board


@member_required()
def dashboard(request: MemberRequest) -> HttpResponse:
    context = {
        "nav": "dashboard",
        "board": board.build(request.member),
        "lockouts": recent_lockouts() if can(request.member, Can.VIEW_AUDIT_LOG) else [],
    }
    return render(request, "web/dashboard.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers and monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
