"""`dearly backup` then `dearly restore` puts back exactly what was there, on SQLite (the online
backup API) and on PostgreSQL (pg_dump / pg_restore): the suite runs on both in CI."""

import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dearly.conftest import IN_CI, make_contact
from dearly.contacts.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def everything() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


@pytest.fixture
def tools_for_this_database() -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        if IN_CI:
            pytest.fail("pg_dump is missing, but CI must test PostgreSQL backups")
        pytest.skip("pg_dump not installed (Debian: postgresql-client)")


def test_a_restored_backup_holds_exactly_what_was_backed_up(tools_for_this_database, tmp_path):
    make_contact(email="ada@example.com", tags=("regular",))
    make_contact(email="grace@example.com", first_name="Grace", last_name="Hopper")
    before = everything()
    call_command("backup", str(tmp_path / "before.bak"))

    Contact.objects.filter(email="ada@example.com").delete()
    make_contact(email="later@example.com")
    assert everything() != before

    call_command("restore", str(tmp_path / "before.bak"), "--yes")
    assert everything() == before
    assert Contact.objects.filter(email="ada@example.com").exists()


def test_a_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "kept.bak"
    existing.write_text("precious")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "precious"


def test_restoring_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(tmp_path):
    make_contact(email="ada@example.com")
    before = everything()
    junk = tmp_path / "junk.bak"
    junk.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes")
    assert everything() == before
