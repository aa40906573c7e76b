"""A page's query string with a NUL or another control character is refused with 400."""

import pytest

from dearly.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["/contacts/?q=%00", "/mailbox/?q=a%00b", "/contacts/?q=%1B", "/manage/audit/?action=%00"],
)
def test_a_page_refuses_a_query_string_it_cannot_read_naming_the_parameter(owner, address):
    response = client_for(owner).get(address)
    assert response.status_code == 400
    name = address.split("?")[1].split("=")[0]
    assert f"“{name}” has an invisible control character" in response.content.decode()


def test_an_ordinary_search_still_works(owner):
    assert client_for(owner).get("/contacts/?q=Ada%20L%C3%B6velace").status_code == 200


def test_the_api_answers_for_itself_as_json(owner):
    response = client_for(owner).get("/api/v1/contacts?q=%00")
    assert response.status_code == 401  # no key: the API asks for one before anything else
