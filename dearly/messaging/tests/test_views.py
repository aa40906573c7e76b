import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dearly.conftest import client_for, make_contact
from dearly.core.actor import Actor
from dearly.core.models import Business
from dearly.messaging.models import EmailTemplate, TemplateVersion
from dearly.messaging.services import Draft, create_template

pytestmark = pytest.mark.django_db

HTML = "<p>Hi {{ contact.first_name }}</p><p>{{ links.unsubscribe_url }}</p>"


def editor_data(**overrides):
    data = {
        "name": "News",
        "subject": "Hello {{ contact.first_name }}",
        "preheader": "Fresh cake",
        "html_source": HTML,
        "text_source": "",
        "missing_data_policy": "fallback",
        "fallback:contact.first_name": "there",
    }
    return data | overrides


def saved_template(name="News", subject="Hello"):
    draft = Draft(
        subject=subject, html_source="<p>Hi {{ contact.first_name | default('you') }}</p>"
    )
    return create_template(actor=Actor.system(), name=name, draft=draft).template


def test_branch_staff_may_not_open_templates(north_staff):
    template = saved_template()
    client = client_for(north_staff)
    for url in ["/templates/", "/templates/new", f"/templates/{template.public_id}/"]:
        assert client.get(url).status_code == 403
    assert client.post("/templates/preview", editor_data()).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/templates/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_list_shows_templates_with_their_latest_version(owner):
    template = saved_template("Monthly note", "First")
    template.versions.create(number=2, subject="Second", html_source="<p>x</p>")
    saved_template("Birthday", "Happy birthday")
    client = client_for(owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/templates/")
    page = response.content.decode()
    assert "Monthly note" in page and "Second" in page and ">v2<" in page
    assert "Birthday" in page
    assert len(queries) <= 6, [q["sql"][:90] for q in queries.captured_queries]


def test_a_new_template_starts_from_a_personal_starter(manager):
    page = client_for(manager).get("/templates/new").content.decode()
    assert "Hi {{ contact.name }}" in page
    assert "links.unsubscribe_url" in page and "links.preferences_url" in page
    assert "business.postal_address" in page
    assert 'value="there"' in page  # the starter's friendly wording for a missing name


def test_saving_the_editor_creates_version_1_then_2(owner):
    client = client_for(owner)
    response = client.post("/templates/new", editor_data(), follow=True)
    template = EmailTemplate.objects.get()
    assert "Version 1 saved." in response.content.decode()
    response = client.post(
        f"/templates/{template.public_id}/", editor_data(subject="Changed"), follow=True
    )
    assert "Version 2 saved." in response.content.decode()
    versions = list(template.versions.order_by("number").values_list("number", "subject"))
    assert versions == [(1, "Hello {{ contact.first_name }}"), (2, "Changed")]
    assert TemplateVersion.objects.get(number=2).created_by == owner


def test_a_syntax_error_is_shown_with_its_line_and_nothing_is_saved(owner):
    response = client_for(owner).post(
        "/templates/new", editor_data(html_source="<p>\n{% if contact.town %}</p>")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "(line 2)" in page and "endif" in page
    assert not EmailTemplate.objects.exists()


def test_a_fallback_policy_without_wording_is_refused(owner):
    data = editor_data()
    data["fallback:contact.first_name"] = ""
    page = client_for(owner).post("/templates/new", data).content.decode()
    assert "Write the friendly wording for: contact.first_name" in page
    assert not EmailTemplate.objects.exists()


def test_the_preview_renders_for_the_chosen_contact_in_a_sandboxed_frame(owner, north):
    grace = make_contact(first_name="Grace", last_name="Hopper", email="g@corner.cafe")
    response = client_for(owner).post(
        "/templates/preview", editor_data(contact=str(grace.public_id)), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    frame = re.search(r"<iframe[^>]*>", page)
    assert frame is not None
    assert " sandbox " in frame.group(0) and "allow-scripts" not in frame.group(0)
    assert "Hi Grace" in frame.group(0)  # inside srcdoc, escaped for the attribute
    assert "Hello Grace" in page
    assert "<html" not in page.split("<iframe")[0]  # a fragment, not the page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_html_in_contact_data_stays_escaped_inside_the_preview_frame(owner):
    evil = make_contact(first_name="<script>alert(1)</script>", email="e@corner.cafe")
    page = (
        client_for(owner)
        .post(
            "/templates/preview", editor_data(contact=str(evil.public_id)), HTTP_HX_REQUEST="true"
        )
        .content.decode()
    )
    assert "<script>alert(1)" not in page
    assert "&amp;lt;script&amp;gt;" in page  # escaped once in the email, once for srcdoc


def test_the_preview_says_when_a_person_would_be_held(owner):
    nameless = make_contact(first_name="", last_name="Noether", email="n@corner.cafe")
    data = editor_data(missing_data_policy="hold", contact=str(nameless.public_id))
    page = client_for(owner).post("/templates/preview", data, HTTP_HX_REQUEST="true")
    assert "would be held, missing first name" in page.content.decode()


def test_the_preview_lists_checks_and_audience_gaps(owner):
    Business.objects.create(pk=1, name="Corner Café", postal_address="")
    make_contact(first_name="", last_name="Noether", email="n@corner.cafe")
    data = editor_data(html_source="<p>Hi {{ contact.first_name }}</p>")
    page = client_for(owner).post("/templates/preview", data, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert "Add an unsubscribe link" in text
    assert "postal address in Settings" in text
    assert "1 has no first name" in text


def test_branch_staff_cannot_preview_as_another_branchs_contact(manager, north, south):
    from dearly.conftest import make_user
    from dearly.core.models import Role

    marketer = make_user("mia", role=Role.MARKETER)
    southerner = make_contact(first_name="Sid", email="s@corner.cafe", branch=south)
    client = client_for(marketer)
    ok = client.post("/templates/preview", editor_data(contact=str(southerner.public_id)))
    assert ok.status_code == 200  # marketers see every branch
    picker = client.get("/templates/contacts", {"q": "Sid"}).content.decode()
    assert "Sid" in picker


def test_the_picker_finds_contacts_by_name_or_email(owner):
    make_contact(first_name="Grace", last_name="Hopper", email="grace@corner.cafe")
    make_contact(first_name="Ada", last_name="Lovelace", email="ada@corner.cafe")
    page = client_for(owner).get("/templates/contacts", {"q": "grace@"}).content.decode()
    assert "Grace Hopper" in page and "Ada" not in page


def test_the_fallback_fields_follow_the_html(owner):
    data = editor_data(
        subject="Hi", html_source="{{ contact.town }} {{ contact.first_name | default('x') }}"
    )
    page = client_for(owner).post("/templates/fallbacks", data).content.decode()
    assert 'name="fallback:contact.town"' in page
    assert "fallback:contact.first_name" not in page


def test_version_history_shows_who_saved_each_version_and_any_old_version(owner):
    client = client_for(owner)
    client.post("/templates/new", editor_data(subject="First"))
    template = EmailTemplate.objects.get()
    client.post(f"/templates/{template.public_id}/", editor_data(subject="Second"))
    history = client.get(f"/templates/{template.public_id}/versions/").content.decode()
    assert "Version 1" in history and "Version 2" in history and "Olive" in history
    old = client.get(f"/templates/{template.public_id}/versions/1/").content.decode()
    assert "First" in old and "sandbox" in old
    editor = client.get(f"/templates/{template.public_id}/?from=1").content.decode()
    assert 'value="First"' in editor and "Save version 3" in editor


def test_archiving_moves_a_template_off_the_list(owner):
    template = saved_template("Old news")
    client = client_for(owner)
    client.post(f"/templates/{template.public_id}/archive", {"archived": "1"})
    assert ">Old news</a>" not in client.get("/templates/").content.decode()
    assert ">Old news</a>" in client.get("/templates/?archived=1").content.decode()
