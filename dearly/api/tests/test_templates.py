import pytest

from dearly.api.tests.helpers import errors_of, post
from dearly.core.models import AuditEvent
from dearly.messaging.models import EmailTemplate, TemplateVersion

pytestmark = pytest.mark.django_db

HTML = (
    "<p>Hi {{ contact.first_name }}, your table is booked.</p>"
    "<p><a href='https://cornercafe.test/menu'>See the menu</a></p>"
)
TEMPLATE = {
    "name": "Booking confirmed",
    "subject": "Your table is booked",
    "html": HTML,
    "preheader": "See you soon",
    "fallbacks": {"contact.first_name": "there"},
}


def create(api, **changes):
    response = post(api, "/api/v1/templates", {**TEMPLATE, **changes})
    assert response.status_code == 201, response.content
    return response.json()


def test_creating_a_template_answers_201_with_version_1(api):
    body = create(api)
    assert (body["name"], body["latest_version"], body["archived"]) == (
        "Booking confirmed",
        1,
        False,
    )
    [version] = body["versions"]
    assert version["number"] == 1
    assert (version["subject"], version["html"], version["text"]) == (
        "Your table is booked",
        HTML,
        "",
    )
    assert version["fallbacks"] == {"contact.first_name": "there"}
    assert version["missing_data_policy"] == "fallback"
    assert EmailTemplate.objects.get().public_id.hex == body["id"].replace("-", "")


def test_saving_makes_version_2_and_leaves_version_1_unchanged(api):
    template_id = create(api)["id"]
    changed = {**TEMPLATE, "subject": "Booked: see you soon", "html": "<p>Changed</p>"}
    del changed["name"]
    response = post(api, f"/api/v1/templates/{template_id}/versions", changed)
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["html"]) == (2, "<p>Changed</p>")
    body = api.get(f"/api/v1/templates/{template_id}").json()
    assert [v["number"] for v in body["versions"]] == [2, 1]
    first = TemplateVersion.objects.get(number=1)
    assert (first.subject, first.html_source) == ("Your table is booked", HTML)
    assert body["versions"][1]["html"] == HTML
    assert (body["name"], body["latest_version"]) == ("Booking confirmed", 2)


def test_a_new_version_can_rename_the_template(api):
    template_id = create(api)["id"]
    body = {k: v for k, v in TEMPLATE.items() if k != "name"}
    post(api, f"/api/v1/templates/{template_id}/versions", {**body, "name": "Booking"})
    assert api.get(f"/api/v1/templates/{template_id}").json()["name"] == "Booking"


def test_a_syntax_error_is_refused_naming_the_part_and_nothing_is_saved(api):
    response = post(api, "/api/v1/templates", {**TEMPLATE, "html": "<p>{{ contact.first_name"})
    errors = errors_of(response)
    assert list(errors) == ["html"]
    assert errors["html"].startswith("line 1: ")
    assert not EmailTemplate.objects.exists()


def test_a_field_printed_without_fallback_wording_is_refused(api):
    response = post(api, "/api/v1/templates", {**TEMPLATE, "fallbacks": {}})
    assert "contact.first_name" in errors_of(response)["fallbacks"]


def test_missing_and_unknown_fields_are_named(api):
    response = post(api, "/api/v1/templates", {"name": "x", "subject": "s", "colour": "red"})
    assert set(errors_of(response)) == {"html", "colour"}
    response = post(api, "/api/v1/templates", {**TEMPLATE, "missing_data_policy": "guess"})
    assert set(errors_of(response)) == {"missing_data_policy"}


def test_a_blank_name_or_subject_is_refused(api):
    assert set(errors_of(post(api, "/api/v1/templates", {**TEMPLATE, "name": " "}))) == {"name"}
    response = post(api, "/api/v1/templates", {**TEMPLATE, "subject": ""})
    assert set(errors_of(response)) == {"subject"}


def test_a_bad_new_version_leaves_the_template_as_it_was(api):
    template_id = create(api)["id"]
    body = {**TEMPLATE, "html": "{% for %}"}
    del body["name"]
    response = post(api, f"/api/v1/templates/{template_id}/versions", body)
    assert set(errors_of(response)) == {"html"}
    assert TemplateVersion.objects.count() == 1


def test_the_list_shows_templates_with_their_newest_version(api):
    create(api, name="Booking confirmed")
    create(api, name="Receipt")
    items = api.get("/api/v1/templates").json()["items"]
    assert sorted((t["name"], t["latest_version"]) for t in items) == [
        ("Booking confirmed", 1),
        ("Receipt", 1),
    ]
    assert "versions" not in items[0]
    assert api.get("/api/v1/templates?archived=true").json()["items"] == []


def test_unknown_and_malformed_template_ids_are_404(api):
    assert api.get("/api/v1/templates/8a1b2c3d-0000-4000-8000-000000000000").status_code == 404
    assert api.get("/api/v1/templates/not-an-id").status_code == 404
    response = post(api, "/api/v1/templates/not-an-id/versions", TEMPLATE)
    assert response.status_code == 404


def test_checks_for_marketing_block_a_template_without_unsubscribe_link(api):
    template_id = create(api)["id"]
    body = api.get(f"/api/v1/templates/{template_id}/checks?purpose=promotional").json()
    assert body["version"] == 1
    assert body["blocking"] is True
    codes = {c["code"]: c["level"] for c in body["checks"]}
    assert codes["unsubscribe_missing"] == "error"


def test_checks_for_a_service_message_do_not_ask_for_an_unsubscribe_link(api):
    template_id = create(api)["id"]
    body = api.get(f"/api/v1/templates/{template_id}/checks?purpose=service").json()
    assert body["blocking"] is False
    assert "unsubscribe_missing" not in {c["code"] for c in body["checks"]}


def test_checks_can_read_an_older_version_and_need_a_known_purpose(api):
    template_id = create(
        api, html="<p>Hi {{ contact.first_name }} <a href='https://example.com'>x</a></p>"
    )["id"]
    body = {k: v for k, v in TEMPLATE.items() if k != "name"}
    post(api, f"/api/v1/templates/{template_id}/versions", body)
    old = api.get(f"/api/v1/templates/{template_id}/checks?purpose=service&version=1").json()
    assert old["version"] == 1
    assert "link_placeholder" in {c["code"] for c in old["checks"]}
    response = api.get(f"/api/v1/templates/{template_id}/checks?purpose=spam")
    assert set(errors_of(response)) == {"purpose"}
    assert set(errors_of(api.get(f"/api/v1/templates/{template_id}/checks"))) == {"purpose"}
    assert (
        api.get(f"/api/v1/templates/{template_id}/checks?purpose=service&version=9").status_code
        == 404
    )


def test_template_writes_are_audited_as_the_api_key(api):
    template_id = create(api)["id"]
    body = {k: v for k, v in TEMPLATE.items() if k != "name"}
    post(api, f"/api/v1/templates/{template_id}/versions", body)
    events = AuditEvent.objects.filter(action__startswith="template.")
    assert {(e.action, e.source, e.actor_label) for e in events} == {
        ("template.created", "api", "api key Shop"),
        ("template.version_saved", "api", "api key Shop"),
    }
