"""The owner's audit log: filters, paging, readable changes, htmx fragment, bounded queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dearly.conftest import client_for, make_contact
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key
from dearly.core.audit import record_event
from dearly.core.models import Source

pytestmark = pytest.mark.django_db
URL = reverse("core:audit")


def event(action="branch.changed", *, actor=None, subject_id="abc", old=None, new=None):
    return record_event(
        actor=actor or Actor.system("nightly"),
        action=action,
        subject_type="branch",
        subject_id=subject_id,
        old=old or {},
        new=new or {},
    )


def listed(client, **params):
    return client.get(URL, params).context["page"].object_list


def test_changes_are_shown_old_beside_new_in_words(owner):
    event(old={"role": "staff", "active": True, "choices": []}, new={"role": "manager"})
    html = client_for(owner).get(URL).content.decode()
    old, new = '<del class="old">Branch staff</del>', '<ins class="new">Manager</ins>'
    assert f"Changed the role from {old} to {new}" in html
    assert 'Removed the active (was <del class="old">yes</del>)' in html
    assert "choices" not in html  # empty before and after: nothing to say


def test_a_branch_change_names_the_branches_not_their_ids(owner, north, south):
    event("member.role_changed", old={"branch_id": north.pk}, new={"branch_id": south.pk})
    text = re.sub(r"<[^>]+>", "", client_for(owner).get(URL).content.decode())
    assert "Changed the branch from North to South" in text
    assert "Role or branch changed" in text
    assert "member.role_changed" not in text.split("<tbody>")[-1]
    assert "branch id" not in text


def test_subjects_are_named_and_only_an_api_key_shows_an_id(owner, north):
    record_event(actor=Actor.system("tests"), action="branch.created", subject=north)
    key, _ = create_api_key(actor=Actor.system("tests"), name="Shop")
    contact = make_contact(email="ada@example.com")
    html = client_for(owner).get(URL).content.decode()
    body = html.split("<tbody>")[1]
    assert "Branch “North”" in body and str(north.public_id) not in body
    assert f"API key “Shop, key {key.prefix}…”" in body and str(key.public_id) not in body
    assert f'<a href="/contacts/{contact.public_id}/">Ada Lovelace</a>' in body
    assert "Contact added" in body
    assert "contact.created" not in body


def test_the_action_filter_offers_actions_in_words(owner):
    event("apikey.created")
    html = client_for(owner).get(URL).content.decode()
    assert '<option value="apikey.created">API key created</option>' in html


def test_the_log_filters_by_action_source_and_actor(owner):
    event("member.created", actor=Actor(source=Source.UI, user=owner, label="olive"))
    event("branch.changed")
    client = client_for(owner)
    assert [e.action for e in listed(client, action="member.created")] == ["member.created"]
    assert [e.action for e in listed(client, source="system")] == ["branch.changed"]
    assert [e.action for e in listed(client, actor=owner.pk)] == ["member.created"]


def test_free_text_searches_subject_ids_and_actor_labels(owner):
    event(subject_id="north-branch")
    event(subject_id="other", actor=Actor.system("importer"))
    client = client_for(owner)
    assert [e.subject_id for e in listed(client, q="NORTH")] == ["north-branch"]
    assert [e.subject_id for e in listed(client, q="import")] == ["other"]


def test_the_date_range_includes_whole_days(owner):
    with time_machine.travel(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        event(subject_id="march")
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        event(subject_id="later")
    client = client_for(owner)
    found = listed(client, since="2026-03-01", until="2026-03-01")
    assert [e.subject_id for e in found] == ["march"]
    assert [e.subject_id for e in listed(client, since="2026-03-02")] == ["later"]


def test_htmx_gets_only_the_results_fragment(owner):
    event()
    response = client_for(owner).get(URL, {"q": "abc"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="audit-results"')
    assert "<form" not in html


def test_the_log_is_paged_and_the_pager_keeps_the_filters(owner):
    for n in range(55):
        event(subject_id=f"s{n}")
    response = client_for(owner).get(URL, {"source": "system"})
    assert len(response.context["page"].object_list) == 50
    assert "source=system&amp;page=2" in response.content.decode()
    assert len(listed(client_for(owner), source="system", page=2)) == 5


def queries_for_page(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_events_shown(owner):
    client = client_for(owner)
    event()
    few = queries_for_page(client)
    for n in range(40):
        event(subject_id=f"s{n}", actor=Actor(source=Source.UI, user=owner, label="olive"))
    assert queries_for_page(client) == few
    assert few <= 8


def test_a_creation_shows_only_the_new_values(owner):
    event("member.created", new={"role": "staff"})
    html = client_for(owner).get(URL).content.decode()
    assert '<li>Role: <ins class="new">Branch staff</ins></li>' in html
