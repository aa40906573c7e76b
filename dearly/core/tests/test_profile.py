"""Every member's own profile: name, email, language and password."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dearly.conftest import client_for, make_user
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent, Membership, Role
from dearly.delivery.models import OutboxMessage
from dearly.messaging.services import Draft, create_template

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Quiet-Orchard-Kettle-73"
PROFILE = "/manage/profile/"


def details(**overrides):
    return {"first_name": "Olive", "last_name": "Oak", "email": "", "language": ""} | overrides


@pytest.mark.parametrize("persona", ["owner", "manager", "north_staff"])
def test_every_member_reaches_their_profile_from_the_top_bar(request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert f'href="{PROFILE}"' in client.get("/").content.decode()
    assert client.get(PROFILE).status_code == 200


def test_someone_without_a_membership_has_no_profile(outsider):
    assert client_for(outsider).get(PROFILE).status_code == 403


def test_a_member_saves_their_name_email_and_language_and_it_is_audited(north_staff):
    response = client_for(north_staff).post(
        PROFILE, details(email=" Nora@Example.COM ", language="en")
    )
    assert response.status_code == 302
    north_staff.refresh_from_db()
    assert (north_staff.first_name, north_staff.email) == ("Olive", "nora@example.com")
    assert Membership.objects.get(user=north_staff).language == "en"
    event = AuditEvent.objects.get(action="member.profile_updated")
    assert event.actor == north_staff and event.subject_id == "nora"
    assert event.new == {
        "first_name": "Olive",
        "last_name": "Oak",
        "email": "nora@example.com",
        "language": "en",
    }


def test_the_chosen_language_is_the_pages_language(owner):
    client = client_for(owner)
    assert '<html lang="en-gb"' in client.get(PROFILE).content.decode()  # the default
    client.post(PROFILE, details(language="en"))
    assert '<html lang="en"' in client.get(PROFILE).content.decode()
    assert (
        '<html lang="en-gb"'
        in client_for(make_user("bea", role=Role.OWNER)).get(PROFILE).content.decode()
    )  # one member's choice is theirs alone


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("a" * 65 + "@example.com", "too long before the @-sign"),
        ("not an address", "not a valid email address"),
    ],
    ids=["local-65", "no-at-sign"],
)
def test_a_bad_email_is_refused_on_the_email_field(owner, address, message):
    response = client_for(owner).post(PROFILE, details(email=address))
    assert response.status_code == 200
    assert message in response.context["form"].errors["email"][0]
    owner.refresh_from_db()
    assert owner.email == "" and owner.first_name == "Olive"  # nothing half-written


def test_two_accounts_never_share_an_email(owner, manager):
    User.objects.filter(pk=manager.pk).update(email="shared@example.com")
    response = client_for(owner).post(PROFILE, details(email="Shared@example.com"))
    assert response.context["form"].errors["email"] == ["another account already has this email"]


def test_a_language_not_offered_is_refused(owner):
    response = client_for(owner).post(PROFILE, details(language="xx"))
    assert "language" in response.context["form"].errors


def test_a_member_changes_their_password_and_stays_signed_in(owner):
    client = client_for(owner)
    response = client.post(
        reverse("core:password_change"),
        {
            "current_password": "pw-olive",
            "new_password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200  # the session survives the change
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="member.password_changed")
    assert event.old == {} and event.new == {}  # the password never reaches the log
    signed_in = Client().post("/login/", {"username": "olive", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302  # the new password signs in


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"current_password": "wrong", "new_password": NEW_PASSWORD}, "current_password"),
        ({"current_password": "pw-olive", "new_password": "password"}, "new_password"),
        (
            {"current_password": "pw-olive", "new_password": NEW_PASSWORD, "repeat_password": "x"},
            "repeat_password",
        ),
    ],
    ids=["wrong-current", "common-password", "not-repeated"],
)
def test_a_refused_password_change_says_why_next_to_the_field(owner, form, field):
    data = {"repeat_password": form["new_password"]} | form
    response = client_for(owner).post(reverse("core:password_change"), data)
    assert response.status_code == 200
    assert field in response.context["password_form"].errors
    owner.refresh_from_db()
    assert owner.check_password("pw-olive")


def test_with_an_email_on_the_profile_a_test_can_be_sent_to_yourself(owner):
    client = client_for(owner)
    draft = Draft(subject="Hello", html_source="<p>Hi</p>")
    template = create_template(actor=Actor.system("tests"), name="Hello", draft=draft).template
    client.post(PROFILE, details(email="olive@greenleaf.example"))
    client.post(f"/templates/{template.public_id}/test")
    assert OutboxMessage.objects.get().to_address == "olive@greenleaf.example"


def test_the_team_form_refuses_a_65_character_local_part_on_the_email_field(owner):
    data = {
        "username": "bea",
        "email": "b" * 65 + "@example.com",
        "password": NEW_PASSWORD,
        "role": Role.MANAGER,
    }
    response = client_for(owner).post(reverse("core:member_new"), data)
    assert "too long before the @-sign" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(username="bea").exists()


def test_make_user_personas_start_without_an_email():
    assert make_user("zed", role=Role.OWNER).email == ""
