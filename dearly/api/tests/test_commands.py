import io
import json

import pytest
from django.core.management import CommandError, call_command

from dearly.api.tests.conftest import bearer_client
from dearly.core.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def created_key(output):
    return next(line.strip() for line in output.splitlines() if line.strip().startswith("dly_"))


def test_apikey_create_prints_a_working_key_once_and_keeps_only_its_hash():
    output = run("apikey", "create", "--name", "Booking system")
    raw = created_key(output)
    assert f"Authorization: Bearer {raw}" in output
    assert "shown only this once" in output
    key = ApiKey.objects.get()
    assert raw not in (key.key_hash, key.prefix)
    assert bearer_client(raw).get("/api/v1/contacts").status_code == 200
    assert AuditEvent.objects.get(action="apikey.created").source == "cli"


def test_apikey_list_shows_names_and_prefixes_but_never_keys():
    raw = created_key(run("apikey", "create", "--name", "Shop"))
    output = run("apikey", "list")
    key = ApiKey.objects.get()
    assert key.prefix in output
    assert "Shop" in output
    assert "active" in output
    assert raw not in output


def test_apikey_revoke_by_prefix_stops_the_key_working():
    raw = created_key(run("apikey", "create", "--name", "Shop"))
    prefix = ApiKey.objects.get().prefix
    assert "Revoked" in run("apikey", "revoke", f"dly_{prefix}")
    assert bearer_client(raw).get("/api/v1/contacts").status_code == 401
    assert "revoked" in run("apikey", "list")


def test_apikey_revoke_of_an_unknown_prefix_fails_clearly():
    with pytest.raises(CommandError, match="No API key with prefix"):
        run("apikey", "revoke", "abcdef")


def test_apikey_create_needs_a_real_name():
    with pytest.raises(CommandError, match="give the key a name"):
        run("apikey", "create", "--name", "  ")


def test_openapi_prints_the_schema_as_sorted_json():
    schema = json.loads(run("openapi"))
    assert list(schema) == sorted(schema)
    assert "/api/v1/contacts/{contact_id}/consents" in schema["paths"]
