"""Shared test helpers: named personas, small factories, and real Chromium for browser tests.

Personas: `owner`, `manager`, `north_staff` (branch staff in North), `south_staff`, `outsider`
(signed in but no membership). Branches: `north` and `south`.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from dearly.branches.models import Branch
from dearly.contacts.fields import clean_values
from dearly.contacts.models import Contact
from dearly.contacts.services import create_contact
from dearly.core.actor import Actor
from dearly.core.models import Membership, Role

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def make_branch(name: str, **kw: Any) -> Branch:
    return Branch.objects.create(name=name, **kw)


def make_user(username: str, *, role: str | None, branch: Branch | None = None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, first_name=username.title()
    )
    if role:
        Membership.objects.create(user=user, role=role, branch=branch)
    return user


def make_contact(
    *, branch: Branch | None = None, tags: tuple[str, ...] = (), **values: Any
) -> Contact:
    values.setdefault("first_name", "Ada")
    values.setdefault("last_name", "Lovelace")
    cleaned, errors = clean_values(values, "GB")
    assert not errors, errors
    return create_contact(actor=Actor.system("tests"), values=cleaned, branch=branch, tags=tags)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def north(db: None) -> Branch:
    return make_branch("North", town="Leeds", latitude=53.8, longitude=-1.55)


@pytest.fixture
def south(db: None) -> Branch:
    return make_branch("South", town="Brighton", latitude=50.82, longitude=-0.14)


@pytest.fixture
def owner(db: None) -> User:
    return make_user("olive", role=Role.OWNER)


@pytest.fixture
def manager(db: None) -> User:
    return make_user("manny", role=Role.MANAGER)


@pytest.fixture
def north_staff(north: Branch) -> User:
    return make_user("nora", role=Role.STAFF, branch=north)


@pytest.fixture
def south_staff(south: Branch) -> User:
    return make_user("sam", role=Role.STAFF, branch=south)


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("otto", role=None)


@pytest.fixture
def requires_postgres(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DEARLY_DATABASE_URL=postgres://… to run")


def chromium_path() -> str | None:
    return (
        os.environ.get("DEARLY_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Real Chromium (Debian's) driven by Playwright; skipped on a laptop without it."""
    path = chromium_path()
    if not path:
        if IN_CI:
            pytest.fail("Chromium is not installed, but CI must run the browser tests")
        pytest.skip("Chromium not found: install Debian's chromium or set DEARLY_CHROMIUM")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, so Django's async-safety guard is not needed here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def browser_login(page: Any, user: User) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw-" + user.username)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.fixture
def marketer(db: None) -> User:
    return make_user("mara", role=Role.MARKETER)


def nav_to(page: Any, name: str) -> None:
    """Follow a link in the main nav, opening "More" (or, on a narrow screen, "Menu") first
    when the link is folded away in it."""
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link", name=name, exact=True, include_hidden=True)
    if links.filter(visible=True).count() == 0:
        for fold in ("More", "Menu"):
            summary = nav.locator("summary").filter(has_text=fold).filter(visible=True)
            if summary.count():
                summary.click()
                break
    links.filter(visible=True).first.click()
