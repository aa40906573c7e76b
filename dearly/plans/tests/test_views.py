from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dearly.campaigns.tests.helpers import business, draft, template
from dearly.conftest import client_for, make_contact, make_user
from dearly.core.models import AuditEvent, Role
from dearly.plans.models import Plan
from dearly.plans.tests.helpers import at, plan, sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(db: None) -> User:
    return make_user("mia", role=Role.MARKETER)


@pytest.mark.parametrize("who", ["owner", "manager", "marketer"])
def test_the_marketing_side_sees_plans_and_playbooks(
    who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    made = plan()
    client = client_for(user)
    for url in ("/plans/", f"/plans/{made.public_id}/", "/plans/playbooks/", "/plans/new"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["north_staff", "outsider"])
def test_branch_staff_and_outsiders_get_no_plans(who: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(who))
    made = plan()
    for url in ("/plans/", f"/plans/{made.public_id}/", "/plans/playbooks/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/plans/playbooks/welcome/install").status_code == 403
    assert not Plan.objects.filter(playbook="welcome").exists()


def test_signed_out_visitors_are_sent_to_log_in() -> None:
    response = Client().get("/plans/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_nav_links_to_plans_for_the_marketing_side_only(owner: User, north_staff: User) -> None:
    assert 'href="/plans/"' in client_for(owner).get("/").content.decode()
    assert 'href="/plans/"' not in client_for(north_staff).get("/").content.decode()


def test_an_unknown_plan_is_not_found(owner: User) -> None:
    client = client_for(owner)
    assert client.get("/plans/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_list_shows_progress_and_the_detail_shows_the_objective(owner: User) -> None:
    made = plan(name="November purchases", target=40)
    page = client_for(owner).get("/plans/").content.decode()
    assert "November purchases" in page
    assert "<progress" in page
    detail = client_for(owner).get(f"/plans/{made.public_id}/").content.decode()
    assert "Purchases: 40" in detail
    assert "<svg" in detail


def test_the_list_asks_a_few_queries_per_plan(
    owner: User, django_assert_max_num_queries: Callable[[int], Any]
) -> None:
    for i in range(5):
        plan(name=f"Plan {i}")
    client = client_for(owner)
    with django_assert_max_num_queries(8 + 5 * 3):
        assert client.get("/plans/").status_code == 200


def test_creating_a_plan_from_the_form(owner: User) -> None:
    data = {
        "name": "Survey answers",
        "metric": "survey_answers",
        "target": "40",
        "unit": "count",
        "channels": ["email"],
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
    }
    response = client_for(owner).post("/plans/new", {**data, "unit": "percent"})
    assert response.status_code == 200
    assert "Only a win-back objective can be a percentage." in response.content.decode()
    response = client_for(owner).post("/plans/new", data)
    made = Plan.objects.get()
    assert response["Location"] == f"/plans/{made.public_id}/"
    assert AuditEvent.objects.get(action="plan.created").actor_label == owner.username


def test_editing_a_plan_from_the_form(owner: User) -> None:
    made = plan()
    edit = client_for(owner).get(f"/plans/{made.public_id}/edit")
    assert 'value="Repeat purchases this month"' in edit.content.decode()
    data = {
        "name": "Renamed",
        "metric": "purchases",
        "target": "12",
        "unit": "count",
        "channels": ["email", "sms"],
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
    }
    client_for(owner).post(f"/plans/{made.public_id}/edit", data)
    made.refresh_from_db()
    assert (made.name, made.target, made.channels) == ("Renamed", 12, ["email", "sms"])


def test_installing_a_playbook_takes_a_post_with_a_csrf_token(owner: User) -> None:
    business()
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get("/plans/playbooks/welcome/install").status_code == 405
    assert client.post("/plans/playbooks/welcome/install").status_code == 403
    assert not Plan.objects.exists()
    page = client.get("/plans/playbooks/")
    token = page.cookies["csrftoken"].value
    response = client.post("/plans/playbooks/welcome/install", {"csrfmiddlewaretoken": token})
    made = Plan.objects.get(playbook="welcome")
    assert response["Location"] == f"/plans/{made.public_id}/"


def test_installing_twice_from_the_page_says_so(owner: User) -> None:
    business()
    client = client_for(owner)
    client.post("/plans/playbooks/quiet/install")
    response = client.post("/plans/playbooks/quiet/install", follow=True)
    assert "is already installed" in response.content.decode()
    assert Plan.objects.filter(playbook="quiet").count() == 1
    assert "Installed:" in client.get("/plans/playbooks/").content.decode()


def test_an_unknown_playbook_is_not_found(owner: User) -> None:
    assert client_for(owner).post("/plans/playbooks/nope/install").status_code == 404


def test_a_plan_that_only_sells_is_flagged_on_the_list_and_its_page(owner: User) -> None:
    campaign = draft(template())
    selling = plan(name="Selling", campaigns=[campaign])
    giving = plan(name="Giving")
    ada = make_contact(email="ada@example.com")
    sent(ada, origin_type="campaign", origin_id=campaign.pk, value="offer", when=at(3))
    client = client_for(owner)
    listing = client.get("/plans/").content.decode()
    assert listing.count("plan-only-sells") == 1
    assert "nothing sent yet" in listing  # the plan without messages is not flagged
    page = client.get(f"/plans/{selling.public_id}/").content.decode()
    assert "This plan mostly sells" in page
    assert "<strong>0%</strong> of the 1 marketing message this plan sent" in page
    assert "Nothing that gave value" in page
    assert "plan-only-sells" not in client.get(f"/plans/{giving.public_id}/").content.decode()


def test_a_percentage_objective_shows_the_percent_sign_on_both_figures(owner: User) -> None:
    plan(name="Win back", metric="won_back", unit="percent", target=5)
    page = client_for(owner).get("/plans/").content.decode()
    assert "0% of 5% ·" in page


def test_the_plan_page_says_what_it_counts_and_from_when(owner: User) -> None:
    made = plan(made=at(16, 11))
    page = client_for(owner).get(f"/plans/{made.public_id}/").content.decode()
    assert "Counted from 16 Nov 2026, 11:00, when this plan was made" in page
    assert "Only purchases credited to this plan's own campaigns" in page


def test_the_plan_page_names_its_channels_in_words(owner: User) -> None:
    made = plan(channels=["email", "sms"])
    page = client_for(owner).get(f"/plans/{made.public_id}/").content.decode()
    assert "Channels: Email, SMS" in page
