"""Wrong passwords are throttled per username and per address (django-axes)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from dearly.conftest import client_for
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def sign_in(username: str, password: str, *, address: str = "203.0.113.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.response = client.post("/login/", {"username": username, "password": password})  # type: ignore[attr-defined]
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_hundred_wrong_passwords_then_the_right_one_is_refused_with_a_clear_message(owner):
    with time_machine.travel(START, tick=False):
        for _ in range(100):
            sign_in("olive", "guess")
        client = sign_in("olive", "pw-olive")
    response = client.response  # type: ignore[attr-defined]
    assert response.status_code == 429
    assert not signed_in(client)
    message = response.content.decode()
    assert "Too many wrong passwords" in message
    assert "try again after" in message


def test_the_lock_starts_at_the_limit_and_not_before(owner):
    for _ in range(LIMIT - 1):
        assert sign_in("olive", "guess").response.status_code == 200  # type: ignore[attr-defined]
    assert signed_in(sign_in("olive", "pw-olive"))
    for _ in range(LIMIT):
        sign_in("olive", "guess")
    assert not signed_in(sign_in("olive", "pw-olive"))


def test_a_lock_writes_one_audit_event_however_many_tries_follow(owner):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT + 30):
            sign_in("olive", "guess", address="198.51.100.7")
    event = AuditEvent.objects.get(action="login.locked_out")
    assert event.new == {"username": "olive", "ip_address": "198.51.100.7", "failures": LIMIT}
    assert event.actor_id is None


def test_the_account_is_locked_whichever_address_the_guesses_come_from(owner):
    for n in range(LIMIT):
        sign_in("olive", "guess", address=f"192.0.2.{n + 1}")
    assert not signed_in(sign_in("olive", "pw-olive", address="192.0.2.200"))


def test_an_address_guessing_many_usernames_is_locked_but_the_accounts_are_not(owner, manager):
    for n in range(LIMIT):
        sign_in(f"user{n}", "guess", address="198.51.100.9")
    assert not signed_in(sign_in("olive", "pw-olive", address="198.51.100.9"))
    assert signed_in(sign_in("olive", "pw-olive", address="198.51.100.10"))


def test_the_lock_lifts_a_cool_off_after_the_last_try(owner):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(LIMIT):
            sign_in("olive", "guess")
        traveller.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=5))
        assert not signed_in(sign_in("olive", "pw-olive"))
        traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5))
        assert signed_in(sign_in("olive", "pw-olive"))


def test_owners_see_the_lockout_on_their_dashboard_and_managers_do_not(owner, manager):
    for _ in range(LIMIT):
        sign_in("manny", "guess", address="198.51.100.77")
    page = client_for(owner).get("/").content.decode()
    assert 'data-testid="lockout-alert"' in page
    assert "manny" in page and "198.51.100.77" in page
    assert 'data-testid="lockout-alert"' not in client_for(manager).get("/").content.decode()


def test_the_dashboard_alert_is_gone_a_day_later(owner):
    with time_machine.travel(START, tick=False):
        for _ in range(LIMIT):
            sign_in("olive", "guess")
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        page = client_for(owner).get("/").content.decode()
    assert 'data-testid="lockout-alert"' not in page


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(owner, settings):
    settings.PROXY_COUNT = 1
    for n in range(LIMIT):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.50")
        client.post("/login/", {"username": f"user{n}", "password": "guess"})
    blocked = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.50")
    blocked.post("/login/", {"username": "olive", "password": "pw-olive"})
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.51")
    other.post("/login/", {"username": "olive", "password": "pw-olive"})
    assert not signed_in(blocked)
    assert signed_in(other)
