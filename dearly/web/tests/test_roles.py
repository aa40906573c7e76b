"""The approver and the read-only viewer: what they see, and that they change nothing."""

import pytest

from dearly.campaigns.models import Campaign
from dearly.conftest import client_for, make_contact, make_user
from dearly.core.access import Can, can
from dearly.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(db):
    return make_user("april", role=Role.APPROVER)


@pytest.fixture
def viewer(db):
    return make_user("victor", role=Role.VIEWER)


def test_only_the_owner_and_the_approver_may_approve(owner, manager, approver, viewer):
    roles = {u.username: can(u.membership, Can.APPROVE) for u in (owner, manager, approver, viewer)}
    assert roles == {"olive": True, "manny": False, "april": True, "victor": False}


def test_the_viewer_reads_contacts_but_cannot_export_or_change_them(viewer, north):
    contact = make_contact(branch=north)
    client = client_for(viewer)
    assert client.get(f"/contacts/{contact.public_id}/").status_code == 200
    assert client.get("/contacts/export.csv").status_code == 403
    assert client.post(f"/contacts/{contact.public_id}/data.json").status_code == 403
    edit = client.post(f"/contacts/{contact.public_id}/edit", {"first_name": "Eve"})
    assert edit.status_code == 403
    contact.refresh_from_db()
    assert contact.first_name == "Ada"


def test_the_viewers_menu_offers_reading_only(viewer):
    page = client_for(viewer).get("/").content.decode()
    assert 'href="/contacts/"' in page and 'href="/campaigns/"' in page
    assert 'href="/import/"' not in page and 'href="/templates/"' not in page


def test_the_approver_reads_templates_and_campaigns_but_sees_no_contacts(approver):
    client = client_for(approver)
    assert client.get("/templates/").status_code == 200
    assert client.get("/campaigns/").status_code == 200
    assert client.get("/contacts/").status_code == 403
    page = client.get("/campaigns/").content.decode()
    assert "New campaign" not in page


def test_a_draft_under_review_shows_the_approver_no_launch_button(owner, approver):
    from dearly.core.actor import Actor
    from dearly.demo import marketing

    marketing.load(Actor.system("tests"))
    draft = Campaign.objects.filter(launched_at__isnull=True).first()
    if draft is None:
        pytest.skip("the demo's marketing has no draft campaign")
    review = f"/campaigns/{draft.public_id}/review"
    assert "Launch to" not in client_for(approver).get(review).content.decode()
    assert "Launch to" in client_for(owner).get(review).content.decode()
    assert client_for(approver).post(f"/campaigns/{draft.public_id}/launch").status_code == 403


def test_the_approvers_dashboard_names_no_contact_and_links_to_no_contact_page(owner, approver):
    from dearly.touches.services import create_task

    zeb = make_contact(first_name="Zebedee")
    create_task(contact=zeb, kind="call", title="Ring back")
    owners = client_for(owner).get("/").content.decode()
    assert "Zebedee" in owners  # the owner's board names them, so the approver's could have
    page = client_for(approver).get("/").content.decode()
    assert "Zebedee" not in page
    assert 'href="/contacts/' not in page and 'href="/tasks/"' not in page
