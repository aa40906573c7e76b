"""Every change an import makes to a contact that already exists, and every person a file
names twice, is counted as an update, shown before the run as a change to check, and
recorded in the contact's history with its old and new values."""

import time

import pytest
from django.urls import reverse

from dearly.conftest import client_for, make_branch, make_contact
from dearly.contacts.models import Contact
from dearly.core.models import AuditEvent
from dearly.imports.models import ImportJob
from dearly.imports.tests.helpers import import_file, issues, upload, write

pytestmark = pytest.mark.django_db


def test_a_row_that_only_adds_a_tag_counts_as_an_update_and_is_audited(tmp_path, owner):
    ada = make_contact(email="ada@example.com", tags=("Regular",))
    job = import_file(write(tmp_path, "Email,Tags\nada@example.com,VIP\n"), user=owner)
    assert (job.updated_count, job.unchanged_count) == (1, 0)
    assert sorted(ada.tags.values_list("name", flat=True)) == ["Regular", "VIP"]
    event = AuditEvent.objects.get(contact=ada, action="contact.imported")
    assert event.old == {"tags": ["Regular"]}
    assert event.new["tags"] == ["Regular", "VIP"] and event.new["import_result"] == "updated"


def test_a_tag_the_contact_already_has_is_no_change(tmp_path, owner):
    ada = make_contact(email="ada@example.com", tags=("VIP",))
    job = import_file(write(tmp_path, "Email,Tags\nada@example.com,vip\n"), user=owner)
    assert (job.updated_count, job.unchanged_count) == (0, 1)
    assert not AuditEvent.objects.filter(contact=ada, action="contact.imported").exists()


def test_the_contacts_history_shows_what_the_import_changed(tmp_path, owner):
    ada = make_contact(email="ada@example.com", first_name="Ada", tags=("Regular",))
    path = write(tmp_path, "Email,First name,Tags\nada@example.com,Adeline,VIP\n")
    import_file(path, user=owner, existing="overwrite")
    page = client_for(owner).get(reverse("contacts:detail", args=[ada.public_id])).content
    text = page.decode()
    assert "Adeline" in text and "Regular, VIP" in text
    event = AuditEvent.objects.get(contact=ada, action="contact.imported")
    assert event.old["first_name"] == "Ada" and event.new["first_name"] == "Adeline"


def test_a_branch_change_is_recorded_by_the_branchs_name(tmp_path, owner):
    north, south = make_branch("North"), make_branch("South")
    ada = make_contact(email="ada@example.com", branch=north)
    path = write(tmp_path, "Email,Branch\nada@example.com,South\n")
    import_file(path, user=owner, existing="overwrite")
    event = AuditEvent.objects.get(contact=ada, action="contact.imported")
    assert (event.old["branch"], event.new["branch"]) == ("North", "South")
    assert Contact.objects.get(pk=ada.pk).branch == south


def test_a_person_named_twice_is_merged_and_the_notice_says_what_differed(tmp_path, owner):
    path = write(tmp_path, "First name,Email\nAda,ada@example.com\nAdeline,ADA@example.com\n")
    job = import_file(path, user=owner)
    assert Contact.objects.get().first_name == "Adeline"
    assert issues(job) == [
        (3, "", "same email as line 2: one contact, this later row wins (differs in: First name)")
    ]


def test_keeping_the_first_row_leaves_the_later_one_out(tmp_path, owner):
    path = write(tmp_path, "First name,Email\nAda,ada@example.com\nAdeline,ada@example.com\n")
    job = import_file(path, user=owner, duplicates="first")
    assert Contact.objects.get().first_name == "Ada"
    assert "not imported, the first row is kept" in issues(job)[0][2]


def start(client, tmp_path, content: str):
    response = upload(client, content.encode())
    job = ImportJob.objects.get()
    data = {f"map-{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    data.update(consent="none", existing="overwrite", duplicates="later")
    return response.url, job, data


def test_the_preview_lists_changes_to_existing_contacts_and_repeated_people(tmp_path, owner):
    make_contact(email="ada@example.com", first_name="Ada", tags=("Regular",))
    client = client_for(owner)
    url, _, data = start(
        client,
        tmp_path,
        "First name,Email,Tags\nAdeline,ada@example.com,VIP\nBo,bo@example.com,\n"
        "Bob,bo@example.com,\n",
    )
    page = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "Changes to check" in page
    assert "First name: Ada → Adeline" in page
    assert "Tags: Regular → Regular, VIP" in page
    assert "Same email as line 3: the later row&#x27;s values win." in page
    assert "First name: Bo → Bob" in page
    assert 'name="accept_changes" value="2"' in page


def finished(job: ImportJob) -> ImportJob:
    """The run the web page started in a thread, once it is over."""
    for _ in range(200):
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


@pytest.mark.django_db(transaction=True)
def test_an_import_that_changes_contacts_waits_until_the_changes_are_accepted(tmp_path, owner):
    ada = make_contact(email="ada@example.com", first_name="Ada")
    client = client_for(owner)
    url, job, data = start(client, tmp_path, "First name,Email\nAdeline,ada@example.com\n")
    page = client.post(url, {**data, "action": "run"}).content.decode()
    assert "This import changes 1 existing contact" in page
    job.refresh_from_db()
    assert job.status == "uploaded"
    assert Contact.objects.get(pk=ada.pk).first_name == "Ada"
    stale = client.post(url, {**data, "action": "run", "accept_changes": "5"})
    assert stale.status_code == 200  # accepted a different set of changes: still waits
    response = client.post(url, {**data, "action": "run", "accept_changes": "1"})
    assert response.status_code == 302
    assert finished(job).updated_count == 1
    assert Contact.objects.get(pk=ada.pk).first_name == "Adeline"


@pytest.mark.django_db(transaction=True)
def test_an_import_of_only_new_contacts_needs_no_acceptance(tmp_path, owner):
    client = client_for(owner)
    url, _, data = start(client, tmp_path, "First name,Email\nAda,ada@example.com\n")
    page = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "No existing contact changes" in page
    assert client.post(url, {**data, "action": "run"}).status_code == 302
    assert finished(ImportJob.objects.get()).created_count == 1
