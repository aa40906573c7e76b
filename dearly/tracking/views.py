"""Click and open tracking: public, no login, neutral answers."""

from django.http import Http404, HttpRequest, HttpResponse


def click(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
