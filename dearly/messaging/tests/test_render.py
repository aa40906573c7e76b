import datetime as dt

import pytest

from dearly.messaging.context import build_context
from dearly.messaging.render import TemplateProblem, render_version
from dearly.messaging.tests.helpers import draft_version, person


def test_merge_fields_defaults_and_conditions_personalise_the_email():
    version = draft_version(
        "<p>Hi {{ contact.first_name | default('there') }},</p>"
        "{% if contact.town %}<p>See you in {{ contact.town }}.</p>"
        "{% else %}<p>Visit us.</p>{% endif %}",
        subject="{{ contact.name }}, a note from {{ business.name }}",
    )
    ada = render_version(version, person(first_name="Ada", town="Leeds"))
    nobody = render_version(version, person(first_name="", name="Bo", town=""))
    assert ada.subject == "Ada, a note from Corner Café"
    assert "Hi Ada," in ada.html and "See you in Leeds." in ada.html
    assert "Hi there," in nobody.html and "Visit us." in nobody.html


def test_the_default_filter_treats_blank_and_missing_values_alike():
    version = draft_version("[{{ contact.first_name | default('friend') }}]")
    assert "[friend]" in render_version(version, person(first_name="   ")).html
    assert "[friend]" in render_version(version, person(first_name=None)).html


def test_contact_data_is_escaped_in_html_but_not_in_subject_or_text():
    version = draft_version(
        "<p>Hi {{ contact.first_name }}</p>", subject="Hi {{ contact.first_name }}"
    )
    rendered = render_version(version, person(first_name="<script>alert(1)</script>"))
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert rendered.subject == "Hi <script>alert(1)</script>"
    assert "Hi <script>alert(1)</script>" in rendered.text


def test_css_in_a_style_block_is_inlined_and_media_queries_are_kept():
    html = (
        "<html><head><style>p.lead { color: #1d6b40; } "
        "@media (max-width: 600px) { p { font-size: 18px; } }</style></head>"
        "<body><p class='lead'>Hello</p></body></html>"
    )
    rendered = render_version(draft_version(html), person())
    assert '<p class="lead" style="color: #1d6b40;">' in rendered.html
    assert "@media (max-width: 600px)" in rendered.html


def test_remote_stylesheets_are_never_fetched():
    html = '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>Hi</body></html>'
    assert "Hi" in render_version(draft_version(html), person()).html


def test_a_plain_text_part_is_made_from_the_html_when_none_is_written():
    html = (
        "<h1>News</h1><p>Read <a href='https://corner.cafe/menu'>our menu</a>.</p>"
        "<ul><li>Tea</li><li>Cake</li></ul>"
    )
    text = render_version(draft_version(html), person()).text
    assert text == "News\n====\n\nRead our menu (https://corner.cafe/menu).\n\n- Tea\n- Cake\n"


def test_a_written_plain_text_part_is_used_as_written_without_escaping():
    version = draft_version("<p>HTML</p>", text_source="Hi {{ contact.first_name }} & co")
    assert render_version(version, person(first_name="Ada")).text == "Hi Ada & co"


def test_the_preheader_is_hidden_at_the_top_of_the_body_and_left_out_of_the_text():
    version = draft_version(
        "<html><body><p>Body</p></body></html>", preheader="Just for {{ contact.first_name }}"
    )
    rendered = render_version(version, person(first_name="Ada"))
    body = rendered.html.split("<body>")[1]
    assert body.startswith('<div style="display:none;')
    assert "Just for Ada" in body
    assert "Just for" not in rendered.text


def test_a_subject_is_always_one_line():
    version = draft_version(subject="Hi {{ contact.first_name }}\nBcc: all@example.net")
    assert render_version(version, person()).subject == "Hi Ada Bcc: all@example.net"


def test_dates_are_formatted_with_the_date_filter():
    version = draft_version("{{ contact.birthday | date('%-d %B') }}")
    assert "1 June" in render_version(version, person(birthday=dt.date(1990, 6, 1))).html


def test_an_unknown_merge_field_is_a_problem_with_its_line():
    version = draft_version("<p>Hi</p>\n<p>{{ contact.frist_name }}</p>")
    with pytest.raises(TemplateProblem) as caught:
        render_version(version, person())
    assert caught.value.message == "Unknown merge field “frist_name”."
    assert caught.value.line == 2
    assert caught.value.part == "HTML"


def test_a_syntax_error_is_a_problem_with_its_line():
    version = draft_version("<p>Hi</p>\n\n{% if contact.town %}<p>x</p>")
    with pytest.raises(TemplateProblem) as caught:
        render_version(version, person())
    assert caught.value.line == 3
    assert "endif" in caught.value.message


def test_the_context_may_hold_primitives_only():
    from django.contrib.auth.models import User

    with pytest.raises(TypeError):
        build_context(contact={"user": User()}, branch={}, business={}, links={})


def test_a_compiled_version_is_reused_for_the_next_recipient():
    from dearly.messaging.compiling import compile_version

    version = draft_version("<p>{{ contact.first_name }}</p>")
    assert compile_version(version) is compile_version(version)


def test_a_generated_text_part_underlines_a_personalised_heading_to_its_length():
    version = draft_version("<h1>Hi {{ contact.first_name }}</h1><p>Welcome</p>")
    assert render_version(version, person(first_name="Bo")).text == "Hi Bo\n=====\n\nWelcome\n"
