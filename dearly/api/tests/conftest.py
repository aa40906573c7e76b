"""Helpers for API tests: a key, and a client that sends it as a bearer token."""

import json
from typing import Any

import pytest
from django.test import Client

from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key


def bearer_client(raw_key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def put_contact(client: Client, body: dict[str, Any]) -> Any:
    return client.put("/api/v1/contacts", json.dumps(body), content_type="application/json")


@pytest.fixture
def raw_key(db: None) -> str:
    _, raw = create_api_key(actor=Actor.system("tests"), name="Shop")
    return raw


@pytest.fixture
def api(raw_key: str) -> Client:
    return bearer_client(raw_key)
