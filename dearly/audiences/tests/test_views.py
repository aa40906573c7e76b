"""The segment pages: access, the builder's form round trip, saving with errors in place, counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dearly.audiences.forms import apply_action, form_data, tree_from_form
from dearly.audiences.models import Segment
from dearly.audiences.schema import Schema
from dearly.audiences.services import create_segment
from dearly.audiences.tests.helpers import cond, grant, tree
from dearly.conftest import client_for, make_contact
from dearly.contacts.models import CustomField
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VIP = tree(cond("tag", "has", "VIP"))


@pytest.fixture
def segment(db):
    return create_segment(actor=Actor.system("tests"), name="VIPs", rules=VIP)


def pages(segment):
    base = f"/segments/{segment.public_id}"
    return [
        ("get", "/segments/"),
        ("get", "/segments/new"),
        ("post", "/segments/count"),
        ("get", f"{base}/edit"),
        ("get", f"{base}/count"),
        ("post", f"{base}/delete"),
    ]


def call(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


def test_branch_staff_may_not_use_segments(north_staff, segment):
    client = client_for(north_staff)
    for method, url in pages(segment):
        assert call(client, method, url).status_code == 403, url
    assert Segment.objects.filter(pk=segment.pk).exists()


def test_someone_without_a_membership_is_forbidden(outsider, segment):
    for method, url in pages(segment):
        assert call(client_for(outsider), method, url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, segment):
    for method, url in pages(segment):
        response = call(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


def test_an_unknown_segment_is_not_found(owner):
    response = client_for(owner).get("/segments/6d1f1a52-37c0-4b6e-9d52-3b1d5d1f0f0a/edit")
    assert response.status_code == 404


NESTED = {
    "match": "any",
    "rules": [
        cond("first_name", "contains", "Ad"),
        cond("lifecycle_stage", "in", ["customer", "former"]),
        cond("birthday", "today"),
        {
            "match": "all",
            "rules": [
                cond("consent", "granted", {"channel": "email", "purpose": "newsletter"}),
                cond("tag", "all_of", ["VIP", "Wine"]),
                {"match": "any", "rules": [cond("created_at", "in_last_days", 30)]},
            ],
        },
        cond("custom.size", "gte", 9.5),
        cond("custom.size", "lt", 10),
    ],
}


def test_the_form_round_trips_the_rule_tree(north):
    CustomField.objects.create(key="size", label="Size", field_type="number")
    rules = {**NESTED, "rules": [*NESTED["rules"], cond("branch", "is", north.pk)]}
    assert tree_from_form(form_data(rules), Schema.load()) == rules


def test_a_changed_field_starts_from_its_first_comparison():
    data = form_data(tree(cond("town", "contains", "Lee")))
    data["rules.0.field"] = "lifecycle_stage"
    assert tree_from_form(data, Schema.load()) == tree(cond("lifecycle_stage", "is", "Lee"))


def test_actions_add_and_remove_conditions_and_groups():
    rules, focus = apply_action(tree(cond("town", "is", "Leeds")), "group:")
    assert focus == "rules.1"
    rules, focus = apply_action(rules, "add:rules.1")
    assert focus == "rules.1.rules.1"
    assert len(rules["rules"][1]["rules"]) == 2
    rules, focus = apply_action(rules, "remove:rules.0")
    assert focus == "add"
    assert rules["rules"][0]["match"] == "any"
    assert apply_action(rules, "remove:rules.7")[0] == rules
    assert apply_action(rules, "add:rules.0.rules.9")[0] == rules


def test_saving_a_segment_stores_the_tree_and_audits_it(owner):
    data = form_data(VIP)
    data.update({"name": "VIPs", "description": "Our best", "action": "save"})
    response = client_for(owner).post("/segments/new", data)
    assert response.status_code == 302
    segment = Segment.objects.get()
    assert (segment.name, segment.description, segment.rules) == ("VIPs", "Our best", VIP)
    assert segment.created_by == owner
    event = AuditEvent.objects.get(action="segment.created")
    assert event.new["rules"] == VIP


def test_errors_show_at_the_condition_they_belong_to(owner):
    data = form_data(tree(cond("town", "is", "Leeds"), cond("birthday", "in_next_days", "soon")))
    data.update({"name": "", "action": "save"})
    response = client_for(owner).post("/segments/new", data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="editor"' in html and "<html" not in html
    assert 'id="c-rules-1-error"' in html
    assert "Enter a whole number of days" in html
    assert 'id="c-rules-0-error"' not in html
    assert "give the segment a name" in html
    assert not Segment.objects.exists()


def test_editing_a_segment_changes_it_and_records_what_changed(owner, segment):
    data = form_data(tree(cond("tag", "has", "Wine")))
    data.update({"name": "VIPs", "action": "save"})
    response = client_for(owner).post(f"/segments/{segment.public_id}/edit", data)
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.rules == tree(cond("tag", "has", "Wine"))
    event = AuditEvent.objects.get(action="segment.updated")
    assert event.old == {"rules": VIP}


def test_deleting_a_segment_is_audited(owner, segment):
    assert client_for(owner).post(f"/segments/{segment.public_id}/delete").status_code == 302
    assert not Segment.objects.exists()
    assert AuditEvent.objects.filter(action="segment.deleted", subject_id=segment.public_id)


def test_the_builder_swaps_in_inputs_that_fit_the_chosen_field(owner, north):
    data = form_data(tree(cond("town", "is", "Leeds")))
    data["rules.0.field"] = "branch"
    data["action"] = "refresh"
    response = client_for(owner).post("/segments/new", data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<select id="c-rules-0-value" name="rules.0.value"' in html
    assert f'<option value="{north.pk}">North</option>' in html
    assert response["HX-Trigger"] == "segment-changed"


def test_adding_a_condition_focuses_its_field(owner):
    data = form_data(tree(cond("town", "is", "Leeds")))
    data["action"] = "add:"
    html = client_for(owner).post("/segments/new", data).content.decode()
    assert 'id="c-rules-1-field" name="rules.1.field"' in html
    assert "autofocus" in html.split('id="c-rules-1-field"')[1].split(">")[0]


def test_the_live_count_shows_the_number_and_the_first_matches(owner, north):
    ada = make_contact(first_name="Ada", email="ada@example.com", tags=("VIP",))
    make_contact(first_name="Bob", tags=("Wine",))
    response = client_for(owner).post("/segments/count", form_data(VIP))
    html = response.content.decode()
    assert 'data-count="1"' in html
    assert f'href="/contacts/{ada.public_id}/"' in html
    assert "Bob" not in html


def test_the_live_count_explains_what_to_finish(owner):
    response = client_for(owner).post("/segments/count", form_data(tree(cond("town", "is", ""))))
    assert "Condition 1: enter a value" in response.content.decode()


def test_branch_staffs_audience_never_counts_another_branch(manager, north, south):
    from dearly.audiences.queries import audience_for
    from dearly.conftest import make_user

    nora = make_user("nora2", role="staff", branch=north)
    make_contact(first_name="Ada", branch=north, tags=("VIP",))
    make_contact(first_name="Bob", branch=south, tags=("VIP",))
    rules = tree(cond("tag", "has", "VIP"), cond("branch", "is", south.pk), match="any")
    assert audience_for(nora.membership, rules).count() == 1
    assert audience_for(manager.membership, rules).count() == 2


def test_the_count_takes_the_same_number_of_queries_for_any_audience(owner, north):
    rules = tree(
        cond("tag", "any_of", ["VIP", "Wine"]),
        cond("birthday", "in_next_days", 30),
        cond("consent", "granted", {"channel": "email", "purpose": "newsletter"}),
        match="any",
    )
    client = client_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.post("/segments/count", form_data(rules)).status_code == 200
        return len(captured)

    make_contact(first_name="Ada", tags=("VIP",), time_zone="Asia/Kathmandu")
    few = queries()
    for i in range(25):
        contact = make_contact(
            first_name=f"P{i}",
            email=f"p{i}@example.com",
            tags=("VIP", "Wine"),
            birthday="1990-01-01",
            time_zone=["Europe/London", "Pacific/Chatham", "America/New_York"][i % 3],
            branch=north,
        )
        grant(contact)
    assert queries() == few


def test_the_list_shows_each_segment_with_a_lazily_loaded_count(owner, segment):
    make_contact(first_name="Ada", tags=("VIP",))
    client = client_for(owner)
    html = client.get("/segments/").content.decode()
    assert "VIPs" in html and f"/segments/{segment.public_id}/count" in html
    count = client.get(f"/segments/{segment.public_id}/count").content.decode()
    assert f'<span class="segment-count" id="count-{segment.public_id}">1</span>' in count


def test_saving_an_unchanged_segment_records_nothing(owner, segment):
    from dearly.audiences.services import update_segment

    update_segment(actor=Actor.system("tests"), segment=segment, name="VIPs", rules=VIP)
    assert not AuditEvent.objects.filter(action="segment.updated").exists()
