"""The owner's team page: adding accounts, changing roles, deactivating, keeping an owner."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from dearly.conftest import client_for, make_user
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent, Membership, Role
from dearly.core.services import ManageError, change_member, set_member_active

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Sunny-Harbour-Lantern-42"


def new_account(client, **overrides):
    data = {
        "username": "bea",
        "first_name": "Bea",
        "last_name": "Baker",
        "email": "bea@example.com",
        "password": GOOD_PASSWORD,
        "role": Role.MANAGER,
        "branch": "",
    } | overrides
    return client.post(reverse("core:member_new"), data)


def test_the_team_page_lists_members_with_role_and_branch(owner, north_staff):
    html = client_for(owner).get(reverse("core:team")).content.decode()
    assert "nora" in html
    assert "Branch staff" in html
    assert "North" in html


def test_the_owner_adds_a_branch_staff_account_that_can_log_in(owner, north):
    response = new_account(client_for(owner), role=Role.STAFF, branch=north.pk)
    assert response.status_code == 302
    member = Membership.objects.get(user__username="bea")
    assert (member.role, member.branch) == (Role.STAFF, north)
    assert member.user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get(action="member.created")
    assert event.new == {"username": "bea", "role": "staff", "branch": "North"}
    assert event.actor_label == "olive"


def test_branch_staff_without_a_branch_are_refused_next_to_the_branch_field(owner):
    response = new_account(client_for(owner), role=Role.STAFF)
    assert response.status_code == 200
    assert response.context["form"].errors["branch"] == ["branch staff need a branch"]
    assert "branch staff need a branch" in response.content.decode()
    assert not User.objects.filter(username="bea").exists()


def test_a_weak_first_password_is_refused_next_to_the_password_field(owner):
    response = new_account(client_for(owner), password="password")
    errors = response.context["form"].errors["password"]
    assert "too common" in errors[0]
    assert not AuditEvent.objects.filter(action="member.created").exists()


def test_a_username_already_taken_is_refused_whatever_its_case(owner):
    response = new_account(client_for(owner), username="OLIVE")
    assert response.context["form"].errors["username"] == ["someone already has this username"]


def test_changing_a_role_records_the_old_and_new_role_and_branch(owner, north_staff, south):
    response = client_for(owner).post(
        reverse("core:member_edit", args=[north_staff.membership.pk]),
        {"role": Role.STAFF, "branch": south.pk},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="member.role_changed")
    assert (event.old, event.new) == ({"branch": "North"}, {"branch": "South"})
    assert event.subject_id == "nora"


def test_the_last_active_owner_cannot_be_demoted(owner):
    response = client_for(owner).post(
        reverse("core:member_edit", args=[owner.membership.pk]), {"role": Role.MANAGER}
    )
    assert response.status_code == 200
    assert "last active owner" in response.content.decode()
    owner.membership.refresh_from_db()
    assert owner.membership.role == Role.OWNER


def test_an_owner_may_step_down_once_another_owner_exists(owner):
    make_user("otis", role=Role.OWNER)
    change_member(actor=Actor.system(), member=owner.membership, role=Role.MANAGER, branch=None)
    owner.membership.refresh_from_db()
    assert owner.membership.role == Role.MANAGER


def test_a_deactivated_owner_does_not_count_as_the_remaining_owner(owner):
    other = make_user("otis", role=Role.OWNER)
    set_member_active(actor=Actor.system(), member=other.membership, active=False)
    with pytest.raises(ManageError, match="last active owner"):
        set_member_active(actor=Actor.system(), member=owner.membership, active=False)


def test_the_last_active_owner_cannot_be_deactivated_by_anyone(owner):
    with pytest.raises(ManageError, match="last active owner"):
        set_member_active(actor=Actor.system(), member=owner.membership, active=False)
    owner.refresh_from_db()
    assert owner.is_active


def test_deactivating_an_account_stops_its_logins_and_is_audited(owner, manager):
    client = client_for(owner)
    client.post(reverse("core:member_active", args=[manager.membership.pk]), {"active": "0"})
    manager.refresh_from_db()
    assert not manager.is_active
    assert AuditEvent.objects.filter(action="member.deactivated", subject_id="manny").exists()
    assert client_for(manager).get("/").status_code == 302


def test_a_deactivated_account_can_be_reactivated(owner, manager):
    set_member_active(actor=Actor.system(), member=manager.membership, active=False)
    client_for(owner).post(
        reverse("core:member_active", args=[manager.membership.pk]), {"active": "1"}
    )
    manager.refresh_from_db()
    assert manager.is_active
    assert AuditEvent.objects.filter(action="member.reactivated").exists()


def test_the_owner_cannot_deactivate_their_own_account(owner):
    make_user("otis", role=Role.OWNER)
    response = client_for(owner).post(
        reverse("core:member_active", args=[owner.membership.pk]), {"active": "0"}, follow=True
    )
    assert "cannot deactivate your own account" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active


def test_deactivating_needs_a_post(owner, manager):
    url = reverse("core:member_active", args=[manager.membership.pk])
    assert client_for(owner).get(url).status_code == 405
