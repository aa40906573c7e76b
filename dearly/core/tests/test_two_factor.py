"""Two-factor sign-in, driven with real TOTP codes computed by pyotp at controlled times."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dearly.conftest import client_for
from dearly.core.models import AuditEvent, Business

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 10, 9, 0, 10, tzinfo=dt.UTC)  # 10 s into a 30 s window
SETUP = "/manage/security/two-factor/"


def set_up_two_factor(client: Client) -> tuple[pyotp.TOTP, list[str]]:
    """Scan (read) the secret off the setup page and confirm it with the app's code."""
    page = client.get(SETUP).content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page)
    assert secret, page
    app = pyotp.TOTP(secret.group(1).replace(" ", ""))
    response = client.post(SETUP, {"code": app.now()})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    return app, codes


def password_step(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": "pw-" + username})
    assert response.status_code == 302
    client.after_password = response  # type: ignore[attr-defined]
    return client


@pytest.fixture
def olive_app(owner) -> tuple[pyotp.TOTP, list[str]]:
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        return set_up_two_factor(client_for(owner))


def test_setting_up_confirms_the_app_and_shows_ten_recovery_codes_once(owner):
    with time_machine.travel(START, tick=False):
        _, codes = set_up_two_factor(client_for(owner))
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=owner).confirmed
    assert AuditEvent.objects.filter(action="two_factor.enabled", subject_id="olive").exists()


def test_a_wrong_first_code_does_not_turn_it_on(owner):
    client = client_for(owner)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_after_the_password_every_page_waits_for_the_code(owner, olive_app):
    with time_machine.travel(START, tick=False):
        client = password_step("olive")
        assert client.after_password["Location"].startswith("/login/code/")  # type: ignore[attr-defined]
        response = client.get("/contacts/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/code/")


def test_the_apps_current_code_signs_in(owner, olive_app):
    app, _ = olive_app
    with time_machine.travel(START, tick=False):
        client = password_step("olive")
        response = client.post("/login/code/", {"code": app.now(), "next": "/contacts/"})
        assert response.status_code == 302 and response["Location"] == "/contacts/"
        assert client.get("/contacts/").status_code == 200


def test_a_code_from_the_window_before_is_accepted_but_not_two_windows_before(owner, olive_app):
    app, _ = olive_app
    with time_machine.travel(START, tick=False):
        late = app.at(START - dt.timedelta(seconds=30))
        stale = app.at(START - dt.timedelta(seconds=60))
        first = password_step("olive")
        assert first.post("/login/code/", {"code": stale}).status_code == 400
    with time_machine.travel(START + dt.timedelta(seconds=5), tick=False):
        assert first.post("/login/code/", {"code": late}).status_code == 302


def test_a_code_once_used_cannot_be_used_again(owner, olive_app):
    app, _ = olive_app
    with time_machine.travel(START, tick=False):
        code = app.now()
        assert password_step("olive").post("/login/code/", {"code": code}).status_code == 302
        replay = password_step("olive").post("/login/code/", {"code": code})
    assert replay.status_code == 400
    assert "did not match" in replay.content.decode()


def test_wrong_codes_make_the_next_try_wait(owner, olive_app):
    app, _ = olive_app
    with time_machine.travel(START, tick=False) as traveller:
        client = password_step("olive")
        client.post("/login/code/", {"code": "000000"})
        client.post("/login/code/", {"code": "000001"})
        too_soon = client.post("/login/code/", {"code": app.now()})
        assert too_soon.status_code == 429
        assert "Too many wrong codes: wait" in too_soon.content.decode()
        traveller.shift(dt.timedelta(seconds=3))
        assert client.post("/login/code/", {"code": app.now()}).status_code == 302


def test_a_recovery_code_signs_in_once(owner, olive_app):
    _, codes = olive_app
    with time_machine.travel(START, tick=False):
        used = password_step("olive").post("/login/code/", {"code": codes[0].upper()})
        again = password_step("olive").post("/login/code/", {"code": codes[0]})
    assert used.status_code == 302
    assert again.status_code == 400
    assert StaticToken.objects.filter(device__user=owner).count() == 9
    event = AuditEvent.objects.get(action="two_factor.recovery_code_used")
    assert event.new == {"left": 9}


def test_without_two_factor_the_password_is_enough(owner):
    client = Client()
    client.post("/login/", {"username": "olive", "password": "pw-olive"})
    assert client.get("/contacts/").status_code == 200


def test_the_owner_cannot_require_it_before_having_it(owner):
    response = client_for(owner).post("/manage/business/", business_form(require=True))
    assert "set up two-factor sign-in for yourself first" in response.content.decode()
    assert not Business.objects.filter(require_two_factor=True).exists()


def business_form(*, require: bool) -> dict[str, str]:
    form = {"name": "Greenwood Gardens", "postal_address": "", "default_country": "GB"}
    return {**form, "require_two_factor": "on"} if require else form


def test_requiring_it_signs_out_members_without_it_and_sends_them_to_set_it_up(
    owner, manager, olive_app
):
    with time_machine.travel(START, tick=False) as traveller:
        managers_browser = password_step("manny")
        assert managers_browser.get("/contacts/").status_code == 200
        owners = password_step("olive")
        owners.post("/login/code/", {"code": olive_app[0].now()})
        assert owners.post("/manage/business/", business_form(require=True)).status_code == 302
        assert Business.objects.get().require_two_factor
        assert managers_browser.get("/contacts/")["Location"].startswith("/login/")

        again = password_step("manny")
        assert again.after_password["Location"].startswith(SETUP)  # type: ignore[attr-defined]
        assert again.get("/contacts/")["Location"].startswith(SETUP)
        traveller.shift(dt.timedelta(minutes=5))
        set_up_two_factor(again)
        assert again.get("/contacts/").status_code == 200
        # The owner's own session, verified with a code, stayed signed in.
        assert owners.get("/contacts/").status_code == 200


def test_it_cannot_be_turned_off_while_the_owner_requires_it(owner, olive_app):
    Business.objects.create(pk=1, require_two_factor=True)
    client_for(owner).post("/manage/security/two-factor/off/")
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_turning_it_off_returns_to_the_password_alone(owner, olive_app):
    client_for(owner).post("/manage/security/two-factor/off/")
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert password_step("olive").after_password["Location"] == "/"  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="two_factor.disabled").exists()


def test_the_team_page_shows_who_has_two_factor(owner, manager, olive_app):
    page = client_for(owner).get("/manage/team/").content.decode()
    olive = page.split('data-testid="two-factor-olive">')[1].split("</td>")[0]
    manny = page.split('data-testid="two-factor-manny">')[1].split("</td>")[0]
    assert ">On<" in olive
    assert ">Off<" in manny
