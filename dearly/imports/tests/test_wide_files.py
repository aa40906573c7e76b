"""A file's width must not cost more than its length: the mapping page is linear in columns,
and a file wider than any contact list is refused with the limit, before anything is kept."""

import time

import pytest
from django.test import override_settings

from dearly.conftest import client_for
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import upload

pytestmark = pytest.mark.django_db


def wide_file(columns: int) -> bytes:
    headers = ["Email", *(f"Extra {n}" for n in range(1, columns))]
    row = ["ada@example.com", *(str(n) for n in range(1, columns))]
    return (",".join(headers) + "\n" + ",".join(row) + "\n").encode()


def test_a_400_column_file_is_mapped_in_well_under_two_seconds(owner):
    client = client_for(owner)
    response = upload(client, wide_file(400))
    assert response.status_code == 302
    started = time.perf_counter()
    page = client.get(response.url)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200
    assert page.content.decode().count('<select id="map-') == 400
    assert elapsed < 2, f"the mapping page took {elapsed:.1f} s"


def test_the_mapping_page_marks_each_suggested_field_once(owner):
    client = client_for(owner)
    response = upload(client, wide_file(50))
    page = client.get(response.url).content.decode()
    assert page.count(" selected>") == 1  # Email; the 49 extra columns are ignored


def test_a_5000_column_file_is_refused_with_the_limit(owner):
    response = upload(client_for(owner), wide_file(5000))
    assert response.status_code == 400
    assert "This file has 5,000 columns; Dearly maps at most 500." in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(IMPORT_MAX_COLUMNS=200)
def test_the_column_limit_is_a_setting(owner):
    response = upload(client_for(owner), wide_file(201))
    assert "This file has 201 columns; Dearly maps at most 200." in response.content.decode()
