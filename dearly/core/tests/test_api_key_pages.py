"""API keys in the UI: created with the raw key shown once, listed by prefix, revoked."""

import pytest
from django.urls import reverse

from dearly.conftest import client_for
from dearly.core.actor import Actor
from dearly.core.apikeys import authenticate, create_api_key
from dearly.core.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db


def test_creating_a_key_shows_it_once_with_how_to_use_it(owner):
    response = client_for(owner).post(reverse("core:keys"), {"name": "Booking system"})
    raw = response.context["raw"]
    html = response.content.decode()
    assert f"Authorization: Bearer {raw}" in html
    assert "only time it is shown" in html
    assert "no-store" in response["Cache-Control"]
    assert authenticate(raw) == ApiKey.objects.get(name="Booking system")
    listing = client_for(owner).get(reverse("core:keys")).content.decode()
    assert raw not in listing
    assert ApiKey.objects.get().prefix in listing


def test_a_key_needs_a_name(owner):
    response = client_for(owner).post(reverse("core:keys"), {"name": ""})
    assert response.context["form"].errors["name"]
    assert not ApiKey.objects.exists()


def test_the_list_shows_who_created_each_key_and_when_it_was_last_used(owner):
    client_for(owner).post(reverse("core:keys"), {"name": "Shop"})
    html = client_for(owner).get(reverse("core:keys")).content.decode()
    assert "Olive" in html
    assert "Never" in html


def test_revoking_asks_first_then_refuses_the_key(owner):
    key, raw = create_api_key(actor=Actor.system("tests"), name="Shop")
    url = reverse("core:key_revoke", args=[key.public_id])
    asked = client_for(owner).get(url)
    assert "Revoke “Shop”?" in asked.content.decode()
    assert authenticate(raw) is not None
    client_for(owner).post(url)
    assert authenticate(raw) is None
    assert AuditEvent.objects.filter(action="apikey.revoked").exists()
    assert "Revoked" in client_for(owner).get(reverse("core:keys")).content.decode()
