"""Refuse a query string holding text that cannot be stored or searched: 400, naming it.

Pages read their query strings in many places (searches, filters, pickers); this one check
before any of them keeps a NUL byte out of PostgreSQL's hands (a 500 there). Forms check
what is posted (core/textforms.py). The API answers for itself, as JSON naming the parameter
(api/text_guard.py), after it has checked the key.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from dearly.core.text import query_problems, readable

API_PREFIX = "/api/"


def query_problem(request: HttpRequest) -> str | None:
    for key, problem in query_problems(request.GET):
        return f"This address cannot be read: “{readable(key, multiline=False)}” {problem}."
    return None


def refuse_unreadable_query(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and (problem := query_problem(request)):
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
