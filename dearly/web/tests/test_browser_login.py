import pytest

from dearly.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_logs_in_and_sees_the_dashboard(page, owner):
    browser_login(page, owner)
    assert page.get_by_role("heading", name="Good to see you, Olive").is_visible()
    assert page.get_by_role("link", name="Contacts").is_visible()


def test_a_wrong_password_is_refused_with_a_message(page, owner):
    page.goto("/login/")
    page.get_by_label("Username").fill(owner.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/login/" in page.url
