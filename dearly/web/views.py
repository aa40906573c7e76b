from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.core.decorators import MemberRequest, member_required
from dearly.web import dashboard as board


@member_required()
def dashboard(request: MemberRequest) -> HttpResponse:
    return render(
        request, "web/dashboard.html", {"nav": "dashboard", "board": board.build(request.member)}
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers and monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
