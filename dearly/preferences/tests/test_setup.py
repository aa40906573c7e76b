"""The owner's Signup form page."""

import pytest

from dearly.conftest import client_for
from dearly.core.models import AuditEvent
from dearly.preferences.forms_config import current_form
from dearly.preferences.stamp import Verdict, judge, read_stamp

pytestmark = pytest.mark.django_db

FORM = {
    "form_name": "Shop counter",
    "heading": "Hear from us",
    "wording": "Yes, email me the monthly newsletter.",
    "purposes": ["newsletter"],
    "ask_name": "on",
}


def test_the_owner_sees_the_snippet_to_paste(owner):
    response = client_for(owner).get("/p/setup/")
    assert response.status_code == 200
    snippet = response.context["snippet"]
    assert 'action="http://127.0.0.1:8000/p/signup/"' in snippet
    assert 'name="comment"' in snippet and "<script" not in snippet
    stamp = snippet.split('name="stamp" value="')[1].split('"')[0]
    assert judge(read_stamp(stamp)) == Verdict.EMBEDDED


def test_saving_a_change_makes_a_new_version_and_keeps_the_old(owner):
    first = current_form()
    response = client_for(owner).post("/p/setup/", FORM)
    assert response.status_code == 302
    latest = current_form()
    assert latest.number == first.number + 1
    assert latest.wording == FORM["wording"] and latest.purposes == ["newsletter"]
    first.refresh_from_db()
    assert first.wording != FORM["wording"]
    assert AuditEvent.objects.filter(action="signup_form.saved").count() == 1
    client_for(owner).post("/p/setup/", FORM)
    assert current_form().number == latest.number  # nothing changed: no new version


def test_branch_staff_cannot_open_the_signup_settings(north_staff):
    assert client_for(north_staff).get("/p/setup/").status_code == 403
