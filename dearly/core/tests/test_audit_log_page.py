"""The owner's audit log: filters, paging, readable changes, htmx fragment, bounded queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dearly.conftest import client_for
from dearly.core.actor import Actor
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
    assert '<span class="old">staff</span> → <span class="new">manager</span>' in html
    assert '<span class="old">yes</span> → <span class="new">—</span>' in html


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
    assert '<dd><span class="new">staff</span></dd>' in html
