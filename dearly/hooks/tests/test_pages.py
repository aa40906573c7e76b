"""Settings → Webhooks: owner only, the secret shown once, a log per webhook, replay."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dearly.conftest import client_for, make_contact
from dearly.core.models import AuditEvent, Membership
from dearly.hooks.models import Delivery, Subscription
from dearly.hooks.services import Details, create_subscription
from dearly.hooks.tests.helpers import ACTOR, run_worker, subscribe
from dearly.hooks.tests.receiver import receiver

pytestmark = pytest.mark.django_db
FORM = {
    "name": "Shop",
    "url": "http://127.0.0.1:9/hooks",
    "events": ["contact.created", "consent.changed"],
    "is_active": "on",
    "allow_private_network": "on",
}


def test_creating_a_webhook_shows_its_secret_once(owner):
    response = client_for(owner).post(reverse("hooks:list"), FORM)
    secret = response.context["secret"]
    assert secret.startswith("whsec_")
    assert "only time it is shown" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    sub = Subscription.objects.get()
    assert sub.events == ["contact.created", "consent.changed"]
    listing = client_for(owner).get(reverse("hooks:list")).content.decode()
    detail = client_for(owner).get(reverse("hooks:detail", args=[sub.public_id])).content
    assert "Shop" in listing
    assert secret not in listing
    assert secret.encode() not in detail
    for event in AuditEvent.objects.filter(action__startswith="webhook."):
        assert secret not in str(event.old) + str(event.new)


def test_allowing_the_private_network_is_audited(owner):
    client_for(owner).post(reverse("hooks:list"), FORM)
    allowed = AuditEvent.objects.get(action="webhook.private_network_allowed")
    assert allowed.new["allow_private_network"] is True
    sub = Subscription.objects.get()
    client_for(owner).post(
        reverse("hooks:detail", args=[sub.public_id]),
        {**FORM, "url": "https://93.184.216.34/hooks", "allow_private_network": ""},
    )
    assert AuditEvent.objects.filter(action="webhook.private_network_denied").exists()


def test_a_private_address_is_refused_on_the_form_without_the_flag(owner):
    response = client_for(owner).post(reverse("hooks:list"), {**FORM, "allow_private_network": ""})
    assert "private network" in response.context["form"].errors["url"][0]
    assert not Subscription.objects.exists()


def test_a_webhook_needs_at_least_one_event(owner):
    response = client_for(owner).post(reverse("hooks:list"), {**FORM, "events": []})
    assert response.context["form"].errors["events"]


@pytest.mark.parametrize("who", ["manager", "north_staff"])
def test_only_the_owner_reaches_the_webhook_pages(who, request):
    user = request.getfixturevalue(who)
    sub, _ = subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    assert client_for(user).get(reverse("hooks:list")).status_code == 403
    assert client_for(user).get(reverse("hooks:detail", args=[sub.public_id])).status_code == 403
    assert client_for(user).post(reverse("hooks:list"), FORM).status_code == 403
    assert Subscription.objects.count() == 1


def test_the_settings_menu_shows_webhooks_to_the_owner_only(owner, manager):
    assert b">Webhooks<" in client_for(owner).get(reverse("core:keys")).content
    assert b">Webhooks<" not in client_for(manager).get(reverse("core:branch_list")).content


def test_the_log_shows_each_try_and_replay_sends_it_again_with_the_same_id(owner):
    with receiver(statuses=[500]) as box:
        sub, _ = subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        run_worker()
        page = client_for(owner).get(reverse("hooks:detail", args=[sub.public_id]))
        html = page.content.decode()
        assert "the receiver answered 500" in html
        delivery = Delivery.objects.get()
        client_for(owner).post(reverse("hooks:replay", args=[sub.public_id, delivery.public_id]))
        assert run_worker() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert AuditEvent.objects.filter(action="webhook.replayed").exists()
    ids = [r.headers["webhook-id"] for r in box.requests]
    assert ids == [f"msg_{delivery.public_id.hex}"] * 2


def test_a_test_event_goes_to_that_webhook_only(owner):
    sub, _ = subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    subscribe("http://127.0.0.1:9/other", ["contact.created"], name="Other")
    client_for(owner).post(reverse("hooks:test", args=[sub.public_id]))
    assert list(Delivery.objects.values_list("subscription", "event_type")) == [
        (sub.pk, "webhook.test")
    ]


def test_a_new_secret_replaces_the_old_one(owner):
    sub, secret = subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    response = client_for(owner).post(reverse("hooks:rotate", args=[sub.public_id]))
    assert response.context["secret"] != secret
    sub.refresh_from_db()
    assert sub.secret == response.context["secret"]


def test_deleting_asks_first(owner):
    sub, _ = subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    url = reverse("hooks:delete", args=[sub.public_id])
    assert "Delete “Shop”?" in client_for(owner).get(url).content.decode()
    client_for(owner).post(url)
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.filter(action="webhook.deleted").exists()


@pytest.mark.parametrize("role", ["manager", "marketer", "staff"])
def test_the_services_refuse_anyone_but_the_owner(role, north):
    member = Membership(role=role, branch=north)
    details = Details(name="Shop", url="https://93.184.216.34/hooks", events=["contact.created"])
    with pytest.raises(PermissionDenied):
        create_subscription(actor=ACTOR, member=member, details=details)
    assert not Subscription.objects.exists()
