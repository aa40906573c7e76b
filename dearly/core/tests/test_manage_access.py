"""Who may open each management page: decided by role capabilities, checked on every view."""

import pytest
from django.test import Client
from django.urls import reverse

from dearly.conftest import client_for
from dearly.contacts.models import CustomField
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key

pytestmark = pytest.mark.django_db

OWNER_ONLY = {"owner"}
OWNER_MANAGER = {"owner", "manager"}
EVERYONE = {"owner", "manager", "north_staff"}


@pytest.fixture
def targets(owner, manager, north, north_staff):
    field = CustomField.objects.create(key="shoe_size", label="Shoe size")
    key, _ = create_api_key(actor=Actor.system("tests"), name="Shop")
    return {
        "home": (reverse("core:home"), EVERYONE),
        "team": (reverse("core:team"), OWNER_ONLY),
        "member_new": (reverse("core:member_new"), OWNER_ONLY),
        "member_edit": (reverse("core:member_edit", args=[manager.membership.pk]), OWNER_ONLY),
        "business": (reverse("core:business"), OWNER_ONLY),
        "fields": (reverse("core:fields"), OWNER_MANAGER),
        "field_new": (reverse("core:field_new"), OWNER_MANAGER),
        "field_edit": (reverse("core:field_edit", args=[field.key]), OWNER_MANAGER),
        "keys": (reverse("core:keys"), OWNER_ONLY),
        "key_revoke": (reverse("core:key_revoke", args=[key.public_id]), OWNER_ONLY),
        "audit": (reverse("core:audit"), OWNER_ONLY),
        "branch_list": (reverse("core:branch_list"), EVERYONE),
        "branch_new": (reverse("core:branch_new"), OWNER_MANAGER),
        "branch_edit": (reverse("core:branch_edit", args=[north.public_id]), OWNER_MANAGER),
    }


PAGES = [
    "home",
    "team",
    "member_new",
    "member_edit",
    "business",
    "fields",
    "field_new",
    "field_edit",
    "keys",
    "key_revoke",
    "audit",
    "branch_list",
    "branch_new",
    "branch_edit",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["owner", "manager", "north_staff"])
def test_each_role_opens_only_the_pages_its_capabilities_allow(request, targets, page, persona):
    url, allowed = targets[page]
    response = client_for(request.getfixturevalue(persona)).get(url)
    if persona in allowed:
        assert response.status_code in (200, 302), (url, persona)
    else:
        assert response.status_code == 403, (url, persona)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(targets, page):
    url, _ = targets[page]
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("page", PAGES)
def test_a_signed_in_user_outside_the_business_is_refused(targets, outsider, page):
    url, _ = targets[page]
    assert client_for(outsider).get(url).status_code == 403


def test_a_manager_cannot_post_a_new_account_either(manager, north):
    response = client_for(manager).post(
        reverse("core:member_new"),
        {"username": "eve", "password": "a-Long-unusual-pass-42", "role": "owner"},
    )
    assert response.status_code == 403


def test_the_settings_menu_shows_only_the_pages_a_manager_may_use(manager):
    html = client_for(manager).get(reverse("core:branch_list")).content.decode()
    assert "Custom fields" in html
    assert reverse("core:team") not in html
    assert reverse("core:keys") not in html


def test_the_settings_entry_sends_the_owner_to_team_and_others_to_branches(owner, manager):
    assert client_for(owner).get(reverse("core:home"))["Location"] == reverse("core:team")
    assert client_for(manager).get(reverse("core:home"))["Location"] == reverse("core:branch_list")


def test_the_main_menu_offers_settings_to_owners_and_managers_but_not_branch_staff(
    owner, manager, north_staff
):
    def menu(user):
        return client_for(user).get("/").content.decode()

    assert ">Settings</a>" in menu(owner)
    assert ">Settings</a>" in menu(manager)
    assert ">Settings</a>" not in menu(north_staff)
