"""The page shell: the icon every page names, and where the API docs are linked from."""

import pytest
from django.test import Client

from dearly.conftest import client_for


@pytest.mark.django_db
def test_every_page_names_the_icon_and_browsers_that_guess_find_it_too(owner):
    page = client_for(owner).get("/").content.decode()
    assert '<link rel="icon" href="/static/dearly/favicon.svg" type="image/svg+xml">' in page
    client = Client()
    guessed = client.get("/favicon.ico")
    assert guessed.status_code == 301
    assert guessed["Location"] == "/static/dearly/favicon.svg"
    icon = client.get(guessed["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"


def test_the_owner_finds_the_api_docs_in_the_menu_and_beside_the_api_keys(owner):
    client = client_for(owner)
    assert '<a href="/api/v1/docs">API docs</a>' in client.get("/").content.decode()
    keys = client.get("/manage/api-keys/").content.decode()
    assert '<a href="/api/v1/docs">the API documentation</a>' in keys


def test_roles_without_api_keys_are_not_sent_to_the_api_docs(manager, north_staff):
    for user in (manager, north_staff):
        assert "/api/v1/docs" not in client_for(user).get("/").content.decode()
