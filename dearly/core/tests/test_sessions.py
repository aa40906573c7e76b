"""A member sees where they are signed in and can sign a browser out."""

import pytest
from django.test import Client

from dearly.conftest import client_for
from dearly.core.models import AuditEvent, SignIn

pytestmark = pytest.mark.django_db


def browser(username: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="203.0.113.20")
    client.post("/login/", {"username": username, "password": "pw-" + username})
    return client


def test_the_security_page_lists_each_signed_in_browser(owner):
    laptop = browser("olive", "Laptop Firefox")
    browser("olive", "Phone Safari")
    page = laptop.get("/manage/security/").content.decode()
    assert "Laptop Firefox" in page and "Phone Safari" in page
    assert page.count("this browser") == 1


def test_signing_a_browser_out_ends_its_session_and_is_audited(owner):
    laptop = browser("olive", "Laptop Firefox")
    phone = browser("olive", "Phone Safari")
    phones = SignIn.objects.get(user_agent="Phone Safari")
    assert laptop.post(f"/manage/security/sessions/{phones.pk}/end/").status_code == 302
    assert phone.get("/contacts/")["Location"].startswith("/login/")
    assert laptop.get("/contacts/").status_code == 200
    assert AuditEvent.objects.filter(action="session.ended", subject_id="olive").exists()


def test_nobody_can_end_someone_elses_session(owner, manager):
    managers = browser("manny", "Manager's browser")
    theirs = SignIn.objects.get(user=manager)
    client_for(owner).post(f"/manage/security/sessions/{theirs.pk}/end/")
    assert managers.get("/contacts/").status_code == 200


def test_signing_out_removes_the_row(owner):
    laptop = browser("olive", "Laptop Firefox")
    laptop.post("/logout/")
    assert not SignIn.objects.filter(user_agent="Laptop Firefox").exists()


def test_deactivating_a_member_signs_them_out_everywhere(owner, manager):
    managers = browser("manny", "Manager's browser")
    client_for(owner).post(f"/manage/team/{manager.membership.pk}/active/", {"active": "0"})
    assert managers.get("/contacts/")["Location"].startswith("/login/")
    assert not SignIn.objects.filter(user=manager).exists()
