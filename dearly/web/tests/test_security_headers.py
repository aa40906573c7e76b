"""Security headers on every answer: a strict Content-Security-Policy, Referrer-Policy and
Permissions-Policy always; HSTS only when the request came over TLS through the trusted proxy;
and `dearly check --deploy` clean with the production settings the README gives."""

import http.client
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from waitress import wasyncore
from waitress.server import create_server

from dearly.conftest import client_for
from dearly.web.management.commands.web import waitress_options

ANONYMOUS_PAGES = ["/login/", "/healthz", "/api/v1/docs", "/api/v1/contacts", "/no-such-page/"]


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def assert_strict_headers(response) -> None:
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
@pytest.mark.django_db
def test_every_answer_carries_a_strict_policy_even_errors_and_json(client, path):
    assert_strict_headers(client.get(path))


@pytest.mark.parametrize("path", ["/", "/contacts/", "/manage/team/", "/tasks/"])
def test_signed_in_pages_carry_the_strict_policy(owner, path):
    response = client_for(owner).get(path)
    assert response.status_code == 200
    assert_strict_headers(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_template_editor_keeps_scripts_locked_while_previews_keep_their_styles(owner):
    response = client_for(owner).get("/templates/new")
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # email HTML styles itself inline


TEMPLATES = sorted(Path(django_settings.BASE_DIR).glob("*/templates/**/*.html"))
# Pasted on the business's own website, and shown here only as text to copy.
EXTERNAL = {"preferences/templates/preferences/snippet.html"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    "template",
    [t for t in TEMPLATES if str(t.relative_to(django_settings.BASE_DIR)) not in EXTERNAL],
    ids=lambda t: str(t.relative_to(django_settings.BASE_DIR)),
)
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script into a static file"
    assert not HANDLER.search(text), "attach the handler from a static script"
    assert not STYLE.search(text), "move the style into a stylesheet"


@pytest.fixture
def behind_tls(settings):
    """The settings an https DEARLY_BASE_URL gives, with the proxy on the same machine."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.TRUSTED_PROXY = "127.0.0.1"
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True


@pytest.fixture
def web_server(behind_tls):
    """`dearly web`'s server (waitress, with its proxy options) on a free port, running an
    application built after the settings above (middleware reads them when it starts)."""
    app = WSGIHandler()
    server = create_server(app, host="127.0.0.1", port=0, **waitress_options())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    # Close everything from inside the server's own loop, which then ends (its map is empty).
    # A loop that already ended has closed its trigger: then close what is left from here.
    try:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    except OSError:
        wasyncore.close_all(server._map)
    thread.join(timeout=5)
    server.task_dispatcher.shutdown()


def fetch(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_a_request_over_tls_through_the_proxy_gets_hsts(web_server):
    response = fetch(web_server, "/login/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert "; Secure" in response.getheader("Set-Cookie", "")  # the CSRF cookie


def test_plain_http_gets_no_hsts_and_is_sent_to_https(web_server):
    response = fetch(web_server, "/login/", {})
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/login/"
    assert response.getheader("Strict-Transport-Security") is None


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http_without_hsts(behind_tls):
    response = Client().get("/healthz")  # a new client loads the middleware with these settings
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert Client().get("/login/").status_code == 301  # while every page goes to https


def test_a_local_install_on_plain_http_never_sends_hsts(client):
    assert not django_settings.SECURE_HSTS_SECONDS
    response = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def check_deploy(tmp_path: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEARLY_", "DJANGO_", "PYTEST"))
    }
    env |= {
        "DEARLY_BASE_URL": base_url,
        "DEARLY_DATA_DIR": str(tmp_path),
        "DEARLY_SECRET_KEY": "k7Qm2vX9pL4rT8wZ1nB6cF3hJ5sD0gY-aE7uI2oP9kM4xV6bN1zR8tW3qS5lH0jC",
    }
    return subprocess.run(
        [sys.executable, "-m", "dearly.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_readme_production_settings(tmp_path):
    result = check_deploy(tmp_path, "https://dearly.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_plain_http(tmp_path):
    result = check_deploy(tmp_path, "http://dearly.example.com")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout
