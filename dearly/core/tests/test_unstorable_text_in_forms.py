"""Forms refuse text that cannot be stored next to its field, and nothing is written."""

import importlib
import pkgutil

import pytest
from django import forms

import dearly
from dearly.branches.models import Branch
from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.core.textforms import TextCheckedForm
from dearly.messaging.models import EmailTemplate

pytestmark = pytest.mark.django_db


def every_form() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(dearly.__path__, "dearly."):
        if not any(part in module.name for part in (".tests", ".migrations", "conftest")):
            importlib.import_module(module.name)
    found, todo = [], list(forms.Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("dearly.") and ".tests." not in cls.__module__:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


def test_every_form_of_ours_checks_its_text():
    forms_found = every_form()
    assert len(forms_found) > 20
    unchecked = [f.__qualname__ for f in forms_found if not issubclass(f, TextCheckedForm)]
    assert unchecked == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "Ad\x00a", "This has an invisible control character (U+0000); remove it."),
        (
            "last_name",
            "Love\x1blace",
            "This has an invisible control character (U+001B); remove it.",
        ),
        ("first_name", "Ada\nLovelace", "This must be a single line (no tabs or line breaks)."),
        ("notes", "one\x00two", "This has an invisible control character (U+0000); remove it."),
    ],
    ids=["nul", "escape", "line-break-in-a-line", "nul-in-notes"],
)
def test_a_contact_form_shows_the_problem_next_to_the_field(owner, field, value, message):
    data = {"first_name": "Ada", "last_name": "Lovelace", "lifecycle_stage": "lead"}
    response = client_for(owner).post("/contacts/new", {**data, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not Contact.objects.exists()


def test_the_value_is_shown_back_without_the_bad_character(owner):
    data = {"first_name": "Ad\x00a", "last_name": "Lovelace", "lifecycle_stage": "lead"}
    response = client_for(owner).post("/contacts/new", data)
    assert 'value="Ada"' in response.content.decode()


def test_line_breaks_are_kept_in_a_text_area(owner):
    data = {"first_name": "Ada", "last_name": "L", "lifecycle_stage": "lead"}
    response = client_for(owner).post("/contacts/new", {**data, "notes": "one\r\ntwo"})
    assert response.status_code == 302
    assert Contact.objects.get().notes == "one\r\ntwo"


def test_a_choice_sent_with_a_nul_is_refused_without_a_database_error(owner):
    """A branch choice is looked up in the database; PostgreSQL would fail on the NUL."""
    data = {"first_name": "Ada", "last_name": "L", "lifecycle_stage": "lead", "branch": "1\x00"}
    response = client_for(owner).post("/contacts/new", data)
    assert "branch" in response.context["form"].errors
    assert not Contact.objects.exists() and not Branch.objects.exists()


def test_a_template_name_and_subject_are_refused_next_to_their_fields(owner):
    data = {"name": "Wel\x00come", "subject": "Hi\x07", "html": "<p>Hi</p>", "text": ""}
    response = client_for(owner).post("/templates/new", data)
    errors = response.context["form"].errors
    assert {"name", "subject"} <= set(errors)
    assert not EmailTemplate.objects.exists()
