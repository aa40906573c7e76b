"""The API docs page works in a real browser with no network beyond this server."""

from urllib.parse import urlsplit

import pytest

from dearly.api.api import api

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_api_docs_render_every_operation_without_external_network(page, live_server):
    own_host = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def only_this_server(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto("/api/v1/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() == operation_count()
    for path in ("/api/v1/contacts", "/api/v1/contacts/{contact_id}/consents"):
        assert page.get_by_text(path, exact=True).first.is_visible()
    assert page.get_by_role("button", name="Authorize").is_visible()
    assert page.title() == "Dearly API"
    assert outside == []


def operation_count() -> int:
    paths = api.get_openapi_schema()["paths"]
    return sum(len(methods) for methods in paths.values())
