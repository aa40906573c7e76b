"""Only members who may import reach the import pages and their jobs."""

import uuid

import pytest
from django.http import Http404
from django.test import Client

from dearly.conftest import client_for, make_user
from dearly.core.models import Membership, Role
from dearly.imports.queries import get_job_for_member, jobs_for_member
from dearly.imports.tests.helpers import actor_for, import_file, write

pytestmark = pytest.mark.django_db


def job_urls(job) -> list[tuple[str, str]]:
    base = f"/import/{job.public_id}/"
    return [
        ("get", base),
        ("post", base),
        ("get", base + "progress/"),
        ("post", base + "resume/"),
        ("get", base + "errors.csv"),
    ]


@pytest.fixture
def job(tmp_path, owner):
    return import_file(write(tmp_path, "Email\nada@example.com\nnot-an-email\n"), user=owner)


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.MARKETER])
def test_owners_managers_and_marketers_reach_the_import_page_and_jobs(role, job):
    client = client_for(make_user("member", role=role))
    assert client.get("/import/").status_code == 200
    assert client.get(f"/import/{job.public_id}/").status_code == 200
    assert client.get(f"/import/{job.public_id}/errors.csv").status_code == 200


def test_branch_staff_are_refused_every_import_page(north_staff, job):
    client = client_for(north_staff)
    assert client.get("/import/").status_code == 403
    assert client.post("/import/", {}).status_code == 403
    for method, url in job_urls(job):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_signed_in_outsider_is_refused_and_a_visitor_is_sent_to_log_in(outsider, job):
    assert client_for(outsider).get(f"/import/{job.public_id}/errors.csv").status_code == 403
    response = Client().get(f"/import/{job.public_id}/errors.csv")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_branch_staff_cannot_find_a_job_through_the_queries(north_staff, job):
    member = Membership.objects.get(user=north_staff)
    assert not jobs_for_member(member).exists()
    with pytest.raises(Http404):
        get_job_for_member(member, job.public_id)


def test_an_unknown_or_malformed_job_id_is_not_found(owner, job):
    client = client_for(owner)
    assert client.get(f"/import/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/import/{uuid.uuid4()}/errors.csv").status_code == 404
    with pytest.raises(Http404):
        get_job_for_member(Membership.objects.get(user=owner), "not-a-uuid")


def test_the_recent_imports_list_shows_a_marketer_the_businesss_imports(job):
    marketer = make_user("mia", role=Role.MARKETER)
    page = client_for(marketer).get("/import/").content.decode()
    assert "contacts.csv" in page and f"/import/{job.public_id}/" in page


def test_an_import_is_recorded_as_the_member_who_ran_it(tmp_path, manager):
    path = write(tmp_path, "Email\nada@example.com\n")
    job = import_file(path, user=manager)
    assert job.created_by == manager and job.actor_label == actor_for(manager).label
