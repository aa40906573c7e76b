import datetime as dt
from urllib.parse import quote

import pytest
import time_machine

from dearly.tracking.models import MessageEvent, TrackedLink
from dearly.tracking.tests.helpers import links_in, sent
from dearly.tracking.tokens import click_token, link_set_key, read_click_token

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
EMAIL = '<a href="https://shop.example/sale?a=1&amp;b=2">Sale</a> <a href="https://b.example">B</a>'


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


def first_path(html):
    return "/t/c/" + html.split(f"{BASE}/t/c/")[1].split('"')[0]


def clicks():
    return list(MessageEvent.objects.filter(kind="clicked").values_list("detail", flat=True))


def test_a_click_redirects_to_the_stored_link_and_records_it(client):
    message = sent()
    html, _ = links_in(EMAIL, message)
    response = client.get(first_path(html))
    assert response.status_code == 302
    assert response["Location"] == "https://shop.example/sale?a=1&b=2"
    assert response["Referrer-Policy"] == "no-referrer"
    assert clicks() == [{"index": 0, "url": "https://shop.example/sale?a=1&b=2"}]
    event = MessageEvent.objects.get()
    assert (event.message_id, event.contact_id) == (message.pk, message.contact_id)


def test_clicking_twice_within_a_minute_counts_once_and_later_again(client):
    html, _ = links_in(EMAIL, sent())
    path = first_path(html)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        client.get(path)
        client.get(path)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, 3, tzinfo=dt.UTC), tick=False):
        assert client.get(path).status_code == 302
    assert len(clicks()) == 2


def test_a_tampered_token_gets_the_neutral_page(client):
    html, _ = links_in(EMAIL, sent())
    path = first_path(html)
    for bad in (path[:-1] + ("A" if path[-1] != "A" else "B"), path + "x", path[:-2], path + "!"):
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert b"not available" in response.content
    assert clicks() == []


def test_a_token_cannot_be_moved_to_another_message(client):
    first, second = sent("ada@example.com"), sent("bob@example.com")
    html, _ = links_in(EMAIL, first)
    token = first_path(html).removeprefix("/t/c/")
    claims = read_click_token(token)
    assert claims is not None
    _, set_key, index = claims
    swapped = token.replace(
        click_token(first.public_id, set_key, index)[:22],
        click_token(second.public_id, set_key, index)[:22],
    )
    assert client.get(f"/t/c/{swapped}").status_code == 404
    assert clicks() == []


def test_an_index_that_was_never_stored_is_not_found_even_with_a_valid_signature(client):
    message = sent()
    _, links = links_in(EMAIL, message)
    token = click_token(message.public_id, link_set_key(links), 5)
    assert client.get(f"/t/c/{token}").status_code == 404


def test_a_link_set_that_was_never_stored_is_not_found(client):
    message = sent()
    token = click_token(message.public_id, link_set_key(["https://evil.example"]), 0)
    assert client.get(f"/t/c/{token}").status_code == 404


@pytest.mark.parametrize("param", ["next", "url", "redirect", "to"])
def test_query_parameters_never_choose_the_destination(client, param):
    html, _ = links_in(EMAIL, sent())
    path = first_path(html) + f"?{param}={quote('https://evil.example/')}"
    response = client.get(path, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "https://shop.example/sale?a=1&b=2"


def test_dangerous_links_in_the_original_email_never_become_redirects(client):
    message = sent()
    email = (
        '<a href="javascript:alert(1)">x</a><a href="//evil.example">y</a>'
        '<a href="data:text/html,hi">z</a>'
    )
    html, links = links_in(email, message)
    assert (html, links) == (email, [])
    assert not TrackedLink.objects.exists()
    for index in range(3):
        token = click_token(message.public_id, link_set_key([]), index)
        assert client.get(f"/t/c/{token}").status_code == 404


def test_a_head_request_or_a_link_scanner_is_redirected_but_not_counted(client):
    html, _ = links_in(EMAIL, sent())
    path = first_path(html)
    assert client.head(path).status_code == 302
    assert client.get(path, HTTP_USER_AGENT="Barracuda Sentinel (EE)").status_code == 302
    assert clicks() == []


def test_an_open_pixel_token_is_not_a_click_token(client):
    from dearly.tracking.tokens import open_token

    message = sent()
    assert client.get(f"/t/c/{open_token(message.public_id)}").status_code == 404
