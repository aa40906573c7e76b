from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.contacts.queries import contacts_for_member
from dearly.web.decorators import member_required


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    contacts = contacts_for_member(request.member)  # type: ignore[attr-defined]
    by_stage = dict(
        contacts.order_by()
        .values_list("lifecycle_stage")
        .annotate(n=Count("id"))
        .values_list("lifecycle_stage", "n")
    )
    return render(
        request,
        "web/dashboard.html",
        {"total": sum(by_stage.values()), "by_stage": by_stage},
    )


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
