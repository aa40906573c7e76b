"""Every operation the API publishes refuses a call without a valid key, before anything else."""

import uuid

import pytest
from django.test import Client

from dearly.api.api import api
from dearly.api.tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


def operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    some_id = str(uuid.UUID(int=0x8A61A046))  # fixed, so every xdist worker collects the same tests
    return sorted(
        (method, _fill(path, some_id)) for path, methods in paths.items() for method in methods
    )


def _fill(path: str, some_id: str) -> str:
    parts = [some_id if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


@pytest.mark.parametrize(("method", "path"), operations())
def test_every_operation_answers_401_without_a_valid_key(method, path, raw_key):
    for client in (Client(), bearer_client(raw_key[:-2] + "xx")):
        response = client.generic(method.upper(), path, "{}", content_type="application/json")
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"][0]["field"] is None


def test_the_new_endpoints_are_all_published():
    published = {path for _, path in operations()}
    for path in ("/templates", "/campaigns", "/messages"):
        assert f"/api/v1{path}" in published
