import pytest
from django.core.management import call_command

from dearly.campaigns.models import Campaign
from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact
from dearly.demo import business

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_signed_in_account_without_membership_is_refused(outsider):
    assert client_for(outsider).get("/").status_code == 403


def test_branch_staff_see_only_their_branchs_figures(north, south, north_staff):
    make_contact(branch=north, email="a@example.com", lifecycle_stage="customer")
    make_contact(branch=south, email="b@example.com", first_name="Secret", last_name="Southerner")
    page = client_for(north_staff).get("/").content.decode()
    assert "Secret" not in page
    assert '<p class="stat-figure">1</p><p>contacts at North</p>' in page


def test_the_owner_sees_recent_changes_across_branches(north, south, owner):
    make_contact(branch=south, email="b@example.com", first_name="Bea", last_name="South")
    page = client_for(owner).get("/").content.decode()
    assert "Bea South" in page
    assert "Contact added" in page


def test_health_endpoint_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_demo_loads_a_business_once_and_prints_logins(tmp_path, settings, capsys):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve", "--customers", "30")
    first = capsys.readouterr().out
    assert "Creating the demo business" in first
    assert "owner" in first
    count = Contact.objects.count()
    assert 20 <= count <= 30  # a few former customers are erased on purpose
    call_command("demo", "--no-serve")
    again = capsys.readouterr().out
    assert "Using the data already there" in again
    assert Contact.objects.count() == count
    assert [x.username for x in business.demo_logins()][:2] == ["owner", "manager"]
    campaign = Campaign.objects.get(name="Winter pruning guide")
    assert campaign.status == "draft"
    assert campaign.segment is not None and campaign.segment.name == "Newsletter readers"


def test_a_missing_page_says_not_found_in_plain_words(owner, settings):
    settings.DEBUG = False
    response = client_for(owner).get("/contacts/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "There is nothing here, or it is not yours to see." in response.content.decode()
