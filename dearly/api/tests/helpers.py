"""Small helpers for the API tests: JSON calls and the errors of a 422."""

import json
from typing import Any

from django.test import Client


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def errors_of(response: Any, status: int = 422) -> dict[str | None, str]:
    assert response.status_code == status, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}
