import uuid

import pytest

from dearly.tracking.links import LinkStore, open_pixel_html, prepare_links
from dearly.tracking.models import TrackedLink
from dearly.tracking.tokens import read_click_token, read_open_token

ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


def tokens_in(html):
    return [part.split('"')[0] for part in html.split(f"{BASE}/t/c/")[1:]]


def test_http_and_https_links_are_rewritten_to_signed_tracking_urls():
    html = '<a href="https://shop.example/sale">Sale</a> <a href="http://example.org">Us</a>'
    rewritten, links = prepare_links(html, ID)
    assert links == ["https://shop.example/sale", "http://example.org"]
    assert "shop.example" not in rewritten
    claims = [read_click_token(t) for t in tokens_in(rewritten)]
    assert [(c[0], c[2]) if c else None for c in claims] == [(ID, 0), (ID, 1)]


def test_the_same_url_twice_keeps_one_index():
    html = '<a href="https://a.example">1</a><a href="https://a.example">2</a>'
    rewritten, links = prepare_links(html, ID)
    assert links == ["https://a.example"]
    assert len(set(tokens_in(rewritten))) == 1


def test_escaped_ampersands_are_stored_as_the_browser_would_follow_them():
    _, links = prepare_links('<a href="https://a.example/?x=1&amp;y=2">x</a>', ID)
    assert links == ["https://a.example/?x=1&y=2"]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "//evil.example/path",
        "/relative/path",
        "#top",
        "mailto:hello@example.com",
        "tel:+441234567890",
        "data:text/html,hi",
        "https://evil.example/a b",
        "http:evil.example",
        f"{BASE}/p/unsubscribe-token",
        f"{BASE}/p/preferences/abc",
    ],
)
def test_links_that_are_not_plain_absolute_http_urls_or_preference_pages_are_left_alone(href):
    html = f'<p><a href="{href}">link</a></p>'
    assert prepare_links(html, ID) == (html, [])


def test_single_quoted_and_unquoted_hrefs_are_rewritten_and_other_tags_untouched():
    html = (
        "<a class=x href='https://one.example'>1</a><a href=https://two.example>2</a>"
        '<img src="https://img.example/a.png"><link href="https://css.example/x.css">'
    )
    rewritten, links = prepare_links(html, ID)
    assert links == ["https://one.example", "https://two.example"]
    assert 'src="https://img.example/a.png"' in rewritten
    assert 'href="https://css.example/x.css"' in rewritten


def test_the_open_pixel_carries_a_signed_token_for_the_message():
    html = open_pixel_html(ID)
    token = html.split(f"{BASE}/t/o/")[1].split(".gif")[0]
    assert read_open_token(token) == ID
    assert 'width="1"' in html and 'alt=""' in html


@pytest.mark.django_db
def test_a_worker_stores_a_link_set_shared_by_many_messages_once(django_assert_num_queries):
    store = LinkStore()
    links = ["https://a.example", "https://b.example"]
    with django_assert_num_queries(1):
        store.store(links, links, ["https://c.example"])
    with django_assert_num_queries(0):
        store.store(links)
    LinkStore().store(links)  # another worker: no error, no duplicate
    assert TrackedLink.objects.count() == 3


@pytest.mark.django_db
def test_only_absolute_http_urls_can_be_stored():
    with pytest.raises(ValueError, match="http"):
        LinkStore().store(["javascript:alert(1)"])
