import datetime as dt

import pytest
import time_machine

from dearly.tracking.links import open_pixel_html
from dearly.tracking.models import MessageEvent
from dearly.tracking.tests.helpers import sent
from dearly.tracking.views import PIXEL

pytestmark = pytest.mark.django_db


def pixel_path(message):
    return "/t/o/" + open_pixel_html(message.public_id).split("/t/o/")[1].split('"')[0]


def opens():
    return MessageEvent.objects.filter(kind="opened")


def test_the_pixel_is_a_transparent_one_by_one_gif_that_is_never_cached(client):
    response = client.get(pixel_path(sent()))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content == PIXEL
    assert response.content[:6] == b"GIF89a" and response.content[6:10] == b"\x01\x00\x01\x00"
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_opening_records_the_first_open_and_counts_later_ones(client):
    message = sent()
    path = pixel_path(message)
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        client.get(path)
        client.get(path)  # the image fetched twice by one opening counts once
    with time_machine.travel(dt.datetime(2026, 5, 2, 18, 30, tzinfo=dt.UTC), tick=False):
        client.get(path)
    times = [e.occurred_at.day for e in opens().order_by("occurred_at")]
    assert times == [1, 2]
    assert {e.message_id for e in opens()} == {message.pk}


def test_a_tampered_pixel_token_returns_the_same_gif_and_records_nothing(client):
    path = pixel_path(sent())
    response = client.get(path.replace(".gif", "x.gif"))
    assert (response.status_code, response.content) == (200, PIXEL)
    assert not opens().exists()


def test_prefetching_bots_and_head_requests_are_not_counted_as_opens(client):
    path = pixel_path(sent())
    client.head(path)
    client.get(path, HTTP_USER_AGENT="python-requests/2.32")
    client.get(path, HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)")
    assert not opens().exists()
    client.get(path, HTTP_USER_AGENT="Mozilla/5.0 (via ggpht.com GoogleImageProxy)")
    assert opens().count() == 1
