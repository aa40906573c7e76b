"""The authorisation matrix: every route x every role x GET and POST, against RULES.

Routes are read from the resolver, so a new one is covered the moment it is added; one that
RULES does not classify fails `test_every_route_is_classified` by name. To classify a route,
add `"<its pattern>": <rule>` to RULES (the pattern is printed in the failure).

A world of real objects (the demo business, plus what it lacks) fills every URL's arguments,
the branch objects belonging to staff's branch, so a request gets past the URL to the view.
Each request runs in a savepoint that is rolled back, so a POST that launches or erases
leaves the next request the same world.

What each expectation means:
    login   anonymous: sent to the sign-in page (or 405 for a POST-only view)
    deny    403, or 404/405: never a 2xx or 3xx
    ok      reached the view: not 401/403/404, never a redirect to sign in
    hidden  another branch's object: 404
    api     the JSON API takes API keys only, never a browser session: 401 (405 where the
            path has no such method)
    any     public pages: whatever the answer, never a 500
No request may answer 500.
"""

import copy
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.campaigns.models import Campaign, Series
from dearly.conftest import make_user
from dearly.contacts.field_definitions import create_custom_field
from dearly.contacts.models import Contact
from dearly.core.access import ROLE_CAPABILITIES, Can
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key
from dearly.core.models import AuditEvent, Membership, Role, SignIn
from dearly.delivery.models import OutboxMessage, Status
from dearly.hooks.models import Delivery
from dearly.hooks.services import Details, create_subscription
from dearly.imports.models import ImportJob, JobStatus
from dearly.imports.services import store_path
from dearly.journeys.models import Journey
from dearly.mailbox.services import catch_mail
from dearly.messaging.models import EmailTemplate
from dearly.plans.models import Plan
from dearly.plans.playbooks import PLAYBOOKS
from dearly.preferences.tokens import preferences_token, unsubscribe_token
from dearly.rhythms.models import Rhythm
from dearly.touches.services import create_task
from dearly.tracking.models import TrackedLink
from dearly.tracking.tokens import click_token, link_set_key, open_token

ROLES = ("anonymous", "owner", "manager", "marketer", "staff", "other_staff", "approver", "viewer")
METHODS = ("GET", "POST")
PUBLIC, SIGNED_IN, API, MEMBER = "public", "signed_in", "api", "member"


@dataclass(frozen=True)
class Rule:
    """Who may reach a route: `need` is a capability, MEMBER (any member), SIGNED_IN (any
    signed-in user), PUBLIC or API; `obj` names the world object in its URL; `branch` marks
    an object of staff's branch, which another branch's staff must not find."""

    need: Can | str
    obj: str = ""
    branch: bool = False


def needs(capability: Can | str, obj: str = "", *, branch: bool = False) -> Rule:
    return Rule(capability, obj, branch)


def public(obj: str = "") -> Rule:
    return Rule(PUBLIC, obj)


def api(obj: str = "") -> Rule:
    return Rule(API, obj)


RULES: dict[str, Rule] = {
    # Shell and signing in
    "": needs(MEMBER),
    "login/": public(),
    "login/code/": needs(SIGNED_IN),
    "logout/": public(),
    "healthz": public(),
    "favicon.ico": public(),
    # Contacts
    "contacts/": needs(Can.VIEW_CONTACTS),
    "contacts/export.csv": needs(Can.EXPORT),
    "contacts/new": needs(Can.EDIT_CONTACTS),
    "contacts/<uuid:public_id>/": needs(Can.VIEW_CONTACTS, "contact", branch=True),
    "contacts/<uuid:public_id>/edit": needs(Can.EDIT_CONTACTS, "contact", branch=True),
    "contacts/<uuid:public_id>/consent": needs(Can.EDIT_CONTACTS, "contact", branch=True),
    "contacts/<uuid:public_id>/touches/": needs(Can.VIEW_CONTACTS, "contact", branch=True),
    "contacts/<uuid:public_id>/touches/log": needs(Can.EDIT_CONTACTS, "contact", branch=True),
    "contacts/<uuid:public_id>/data.json": needs(Can.EXPORT, "contact", branch=True),
    "contacts/<uuid:public_id>/erase": needs(Can.ERASE, "contact", branch=True),
    # Tasks
    "tasks/": needs(Can.VIEW_CONTACTS),
    "tasks/new": needs(Can.EDIT_CONTACTS),
    "tasks/<uuid:public_id>/done": needs(Can.EDIT_CONTACTS, "task", branch=True),
    "tasks/<uuid:public_id>/cancel": needs(Can.EDIT_CONTACTS, "task", branch=True),
    # Imports
    "import/": needs(Can.IMPORT),
    "import/<uuid:public_id>/": needs(Can.IMPORT, "import"),
    "import/<uuid:public_id>/progress/": needs(Can.IMPORT, "import"),
    "import/<uuid:public_id>/resume/": needs(Can.IMPORT, "import"),
    "import/<uuid:public_id>/errors.csv": needs(Can.IMPORT, "import"),
    # Settings
    "manage/": needs(MEMBER),
    "manage/team/": needs(Can.MANAGE_TEAM),
    "manage/team/new/": needs(Can.MANAGE_TEAM),
    "manage/team/<int:member_id>/": needs(Can.MANAGE_TEAM, "member"),
    "manage/team/<int:member_id>/active/": needs(Can.MANAGE_TEAM, "member"),
    "manage/business/": needs(Can.MANAGE_SETTINGS),
    "manage/keeping-data/": needs(Can.MANAGE_SETTINGS),
    "manage/profile/": needs(MEMBER),
    "manage/profile/password/": needs(MEMBER),
    "manage/fields/": needs(Can.MANAGE_FIELDS),
    "manage/fields/new/": needs(Can.MANAGE_FIELDS),
    "manage/fields/<slug:key>/": needs(Can.MANAGE_FIELDS, "field"),
    "manage/fields/<slug:key>/delete/": needs(Can.MANAGE_FIELDS, "field"),
    "manage/api-keys/": needs(Can.MANAGE_API_KEYS),
    "manage/api-keys/<uuid:public_id>/revoke/": needs(Can.MANAGE_API_KEYS, "api_key"),
    "manage/audit/": needs(Can.VIEW_AUDIT_LOG),
    "manage/security/": needs(MEMBER),
    "manage/security/two-factor/": needs(SIGNED_IN),
    "manage/security/two-factor/off/": needs(MEMBER),
    "manage/security/recovery-codes/": needs(MEMBER),
    "manage/security/sessions/<int:sign_in_id>/end/": needs(MEMBER, "sign_in"),
    "manage/branches/": needs(MEMBER),
    "manage/branches/new/": needs(Can.MANAGE_BRANCHES),
    "manage/branches/<uuid:public_id>/": needs(Can.MANAGE_BRANCHES, "branch"),
    "manage/webhooks/": needs(Can.MANAGE_WEBHOOKS),
    "manage/webhooks/<uuid:public_id>/": needs(Can.MANAGE_WEBHOOKS, "webhook"),
    "manage/webhooks/<uuid:public_id>/test/": needs(Can.MANAGE_WEBHOOKS, "webhook"),
    "manage/webhooks/<uuid:public_id>/secret/": needs(Can.MANAGE_WEBHOOKS, "webhook"),
    "manage/webhooks/<uuid:public_id>/delete/": needs(Can.MANAGE_WEBHOOKS, "webhook"),
    "manage/webhooks/<uuid:public_id>/deliveries/<uuid:delivery_id>/replay/": needs(
        Can.MANAGE_WEBHOOKS, "webhook_delivery"
    ),
    "delivery/budget/": needs(Can.MANAGE_SETTINGS),
    "conversions/settings/": needs(Can.MANAGE_SETTINGS),
    "p/setup/": needs(Can.MANAGE_SETTINGS),
    # Segments
    "segments/": needs(Can.EDIT_SEGMENTS),
    "segments/new": needs(Can.EDIT_SEGMENTS),
    "segments/count": needs(Can.EDIT_SEGMENTS),
    "segments/<uuid:public_id>/edit": needs(Can.EDIT_SEGMENTS, "segment"),
    "segments/<uuid:public_id>/count": needs(Can.EDIT_SEGMENTS, "segment"),
    "segments/<uuid:public_id>/delete": needs(Can.EDIT_SEGMENTS, "segment"),
    # Templates
    "templates/": needs(Can.VIEW_TEMPLATES),
    "templates/new": needs(Can.EDIT_TEMPLATES),
    "templates/preview": needs(Can.EDIT_TEMPLATES),
    "templates/fallbacks": needs(Can.EDIT_TEMPLATES),
    "templates/contacts": needs(Can.EDIT_TEMPLATES),
    "templates/<uuid:public_id>/": needs(Can.EDIT_TEMPLATES, "template"),
    "templates/<uuid:public_id>/test": needs(Can.EDIT_TEMPLATES, "template"),
    "templates/<uuid:public_id>/archive": needs(Can.EDIT_TEMPLATES, "template"),
    "templates/<uuid:public_id>/versions/": needs(Can.VIEW_TEMPLATES, "template"),
    "templates/<uuid:public_id>/versions/<int:number>/": needs(Can.VIEW_TEMPLATES, "version"),
    # Campaigns
    "campaigns/": needs(Can.VIEW_CAMPAIGNS),
    "campaigns/new": needs(Can.SEND_CAMPAIGNS),
    "campaigns/series/": needs(Can.SEND_CAMPAIGNS),
    "campaigns/series/new": needs(Can.SEND_CAMPAIGNS),
    "campaigns/series/<uuid:public_id>/": needs(Can.SEND_CAMPAIGNS, "series"),
    "campaigns/series/<uuid:public_id>/edit": needs(Can.SEND_CAMPAIGNS, "series"),
    "campaigns/series/<uuid:public_id>/status": needs(Can.SEND_CAMPAIGNS, "series"),
    "campaigns/<uuid:public_id>/": needs(Can.VIEW_CAMPAIGNS, "campaign"),
    "campaigns/<uuid:public_id>/edit": needs(Can.SEND_CAMPAIGNS, "campaign"),
    "campaigns/<uuid:public_id>/review": needs(Can.VIEW_CAMPAIGNS, "campaign"),
    "campaigns/<uuid:public_id>/launch": needs(Can.SEND_CAMPAIGNS, "campaign"),
    "campaigns/<uuid:public_id>/cancel": needs(Can.SEND_CAMPAIGNS, "campaign"),
    # Rhythms, plans, journeys
    "rhythms/": needs(Can.SEND_CAMPAIGNS),
    "rhythms/new": needs(Can.SEND_CAMPAIGNS),
    "rhythms/overdue/": needs(Can.VIEW_CONTACTS),
    "rhythms/<uuid:public_id>/edit": needs(Can.SEND_CAMPAIGNS, "rhythm"),
    "plans/": needs(Can.SEND_CAMPAIGNS),
    "plans/new": needs(Can.SEND_CAMPAIGNS),
    "plans/playbooks/": needs(Can.SEND_CAMPAIGNS),
    "plans/playbooks/<slug:key>/install": needs(Can.SEND_CAMPAIGNS, "playbook"),
    "plans/<uuid:public_id>/": needs(Can.SEND_CAMPAIGNS, "plan"),
    "plans/<uuid:public_id>/edit": needs(Can.SEND_CAMPAIGNS, "plan"),
    "journeys/": needs(Can.SEND_CAMPAIGNS),
    "journeys/new": needs(Can.SEND_CAMPAIGNS),
    "journeys/<uuid:public_id>/": needs(Can.SEND_CAMPAIGNS, "journey"),
    "journeys/<uuid:public_id>/edit": needs(Can.SEND_CAMPAIGNS, "journey"),
    "journeys/<uuid:public_id>/status": needs(Can.SEND_CAMPAIGNS, "journey"),
    "journeys/<uuid:public_id>/rehearse": needs(Can.SEND_CAMPAIGNS, "journey"),
    "journeys/<uuid:public_id>/contacts": needs(Can.SEND_CAMPAIGNS, "journey"),
    # Mailbox (the mail catcher is on for this test)
    "mailbox/": needs(Can.VIEW_MAILBOX),
    "mailbox/<uuid:public_id>/": needs(Can.VIEW_MAILBOX, "mail"),
    "mailbox/<uuid:public_id>/raw/": needs(Can.VIEW_MAILBOX, "mail"),
    # Customers' own links: signed tokens, no session
    "t/c/<str:token>": public("click"),
    "t/o/<str:token>.gif": public("open"),
    "p/signup/": public(),
    "p/signup/thanks/": public(),
    "p/u/<str:token>/": public("unsubscribe"),
    "p/u/<str:token>/confirm/": public("unsubscribe"),
    "p/<str:token>/": public("preferences"),
    "p/<str:token>/pause/": public("preferences"),
    "p/<str:token>/details/": public("preferences"),
    "p/<str:token>/confirm/": public("preferences"),
    # The JSON API
    "api/v1/": public(),
    "api/v1/openapi.json": public(),
    "api/v1/docs": public(),
    "api/v1/contacts": api(),
    "api/v1/contacts/<contact_id>": api("api_contact"),
    "api/v1/contacts/<contact_id>/consents": api("api_contact"),
    "api/v1/templates": api(),
    "api/v1/templates/<template_id>": api("api_template"),
    "api/v1/templates/<template_id>/versions": api("api_template"),
    "api/v1/templates/<template_id>/checks": api("api_template"),
    "api/v1/campaigns": api(),
    "api/v1/campaigns/<campaign_id>": api("api_campaign"),
    "api/v1/campaigns/<campaign_id>/launch": api("api_campaign"),
    "api/v1/campaigns/<campaign_id>/report": api("api_campaign"),
    "api/v1/messages": api(),
    "api/v1/messages/<message_id>": api("api_message"),
    "api/v1/events": api(),
    "api/v1/contacts/<contact_id>/touches": api("api_contact"),
    "api/v1/contacts/<contact_id>/export": api("api_contact"),
    "api/v1/contacts/<contact_id>/erase": api("api_contact"),
    "api/v1/segments": api(),
    "api/v1/tags": api(),
    "api/v1/tasks": api(),
    "api/v1/tasks/<task_id>/complete": api("api_task"),
}

# Whole families of routes that a library mounts: the first matching prefix classifies them.
PREFIX_RULES: dict[str, Rule] = {
    # django-anymail's provider webhooks: basic-auth and provider signatures, no session; only
    # the configured provider's answer, the others are "not found", never a 500.
    "webhooks/anymail/": public(),
}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


ROUTES = sorted(set(_walk(get_resolver())))


def rule_for(route: str) -> Rule | None:
    if route in RULES:
        return RULES[route]
    return next((r for p, r in PREFIX_RULES.items() if route.startswith(p)), None)


def test_every_route_is_classified() -> None:
    missing = [r for r in ROUTES if rule_for(r) is None]
    assert not missing, (
        "Classify these routes in RULES (dearly/web/tests/test_authorisation_matrix.py): "
        + ", ".join(repr(r) for r in missing)
    )


def test_the_table_names_no_route_that_is_gone() -> None:
    gone = sorted(set(RULES) - set(ROUTES))
    assert not gone, f"Remove these from RULES, no such route: {gone}"


# --- The world ----------------------------------------------------------------------------


def _world(tmp_path: Path) -> dict[str, Any]:
    from dearly.demo import business as demo

    demo.load(customers=8)
    home, away = list(Branch.objects.order_by("id")[:2])
    actor = Actor.system("tests")
    people = {
        "owner": make_user("m_owner", role=Role.OWNER),
        "manager": make_user("m_manager", role=Role.MANAGER),
        "marketer": make_user("m_marketer", role=Role.MARKETER),
        "staff": make_user("m_staff", role=Role.STAFF, branch=home),
        "other_staff": make_user("m_other", role=Role.STAFF, branch=away),
        "approver": make_user("m_approver", role=Role.APPROVER),
        "viewer": make_user("m_viewer", role=Role.VIEWER),
    }
    contact = Contact.objects.filter(branch=home).order_by("id").first()
    assert contact is not None
    task, _ = create_task(contact=contact, kind="call", title="Ring back")
    csv = tmp_path / "people.csv"
    csv.write_text("first_name,email\nAda,ada@example.com\n")
    job = store_path(actor=actor, source=csv)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    field = create_custom_field(
        actor=actor, key="shoe_size", label="Shoe size", field_type="text", choices=[]
    )
    key, _ = create_api_key(actor=actor, name="Shop")
    mail = catch_mail(
        mail_from="hello@localhost", rcpt_tos=["ada@example.com"], raw=b"Subject: Hi\r\n\r\nHello"
    )
    sent = OutboxMessage.objects.filter(status=Status.SENT).first() or OutboxMessage.objects.first()
    assert sent is not None
    url = "https://example.com/tips"
    set_key = link_set_key([url])
    TrackedLink.objects.create(set_key=set_key, index=0, url=url)
    template = EmailTemplate.objects.order_by("id").first()
    campaign = Campaign.objects.order_by("id").first()
    assert template is not None and campaign is not None
    staff_member = Membership.objects.get(user=people["staff"])
    owner_member = Membership.objects.get(user=people["owner"])
    hook, _ = create_subscription(
        actor=actor,
        member=owner_member,
        details=Details(
            name="Shop",
            url="http://127.0.0.1:9/hooks",  # resolvable offline; nothing is sent here
            events=["contact.updated"],
            allow_private_network=True,
        ),
    )
    delivery = Delivery.objects.create(
        subscription=hook,
        event_type="contact.updated",
        body="{}",
        occurred_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    objects: dict[str, dict[str, Any]] = {
        "contact": {"public_id": contact.public_id},
        "task": {"public_id": task.public_id},
        "import": {"public_id": job.public_id},
        "member": {"member_id": staff_member.pk},
        "field": {"key": field.key},
        "api_key": {"public_id": key.public_id},
        "branch": {"public_id": home.public_id},
        "segment": {"public_id": _first("audiences.Segment").public_id},
        "template": {"public_id": template.public_id},
        "version": {"public_id": template.public_id, "number": 1},
        "campaign": {"public_id": campaign.public_id},
        "series": {"public_id": _first(Series).public_id},
        "rhythm": {"public_id": _first(Rhythm).public_id},
        "plan": {"public_id": _first(Plan).public_id},
        "playbook": {"key": next(iter(PLAYBOOKS))},
        "journey": {"public_id": _first(Journey).public_id},
        "mail": {"public_id": mail.public_id},
        "click": {"token": click_token(sent.public_id, set_key, 0)},
        "open": {"token": open_token(sent.public_id)},
        "unsubscribe": {"token": unsubscribe_token(contact.public_id, sent.public_id)},
        "preferences": {"token": preferences_token(contact.public_id)},
        "api_contact": {"contact_id": contact.public_id},
        "api_template": {"template_id": template.public_id},
        "api_campaign": {"campaign_id": campaign.public_id},
        "api_message": {"message_id": sent.public_id},
        "api_task": {"task_id": task.public_id},
        "webhook": {"public_id": hook.public_id},
        "webhook_delivery": {"public_id": hook.public_id, "delivery_id": delivery.public_id},
    }
    return {"people": people, "objects": objects}


def _first(model: Any) -> Any:
    if isinstance(model, str):
        from django.apps import apps

        model = apps.get_model(model)
    row = model.objects.order_by("id").first()
    assert row is not None, f"the demo made no {model.__name__}"
    return row


def _url(route: str, kwargs: dict[str, Any]) -> str:
    path = route
    for name, value in kwargs.items():
        for converter in ("uuid", "int", "slug", "str", ""):
            token = f"<{converter}:{name}>" if converter else f"<{name}>"
            path = path.replace(token, str(value))
    assert "<" not in path, f"no world object fills {route}: give its rule an obj"
    return "/" + path


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def expectation(rule: Rule, role: str, method: str) -> str:
    if rule.need == PUBLIC:
        return "any"
    if rule.need == API:
        return "api"
    if role == "anonymous":
        return "login"
    if rule.need in (SIGNED_IN, MEMBER):
        return "ok"
    if rule.need not in ROLE_CAPABILITIES[ROLE_OF[role]]:
        return "deny"
    return "hidden" if rule.branch and role == "other_staff" else "ok"


ROLE_OF = {
    "owner": Role.OWNER,
    "manager": Role.MANAGER,
    "marketer": Role.MARKETER,
    "staff": Role.STAFF,
    "other_staff": Role.STAFF,
    "approver": Role.APPROVER,
    "viewer": Role.VIEWER,
}


def verdict(expected: str, status: int, location: str) -> bool:
    to_login = status == 302 and location.startswith("/login/")
    if status >= 500:
        return False
    if expected == "any":
        return True
    if expected == "api":
        return status in (401, 405)
    if expected == "login":
        return to_login or status == 405
    if expected == "deny":
        return status in (403, 404, 405)
    if expected == "hidden":
        return status in (404, 405)
    return status not in (401, 403, 404) and not to_login  # ok


# A viewer or an approver changes nothing through a signed-in page (their own sign-in and
# security aside). Customers' signed links act for the customer, whoever follows them.
READ_ONLY = ("viewer", "approver")
OWN_ACCOUNT = ("login/", "logout/", "login/code/", "manage/security/", "manage/profile/")


@pytest.mark.django_db
def test_each_role_gets_exactly_what_the_table_allows(tmp_path, settings):
    """One world for all roles: building it is the slow part (the demo business)."""
    settings.MAIL_CATCHER = True
    settings.DATA_DIR = tmp_path
    world = _world(tmp_path)
    staff = world["people"]["staff"]
    clients = {role: _client(world["people"].get(role)) for role in ROLES}
    sign_in = SignIn.objects.filter(user=staff).first()  # nobody else can end it
    assert sign_in is not None
    world["objects"]["sign_in"] = {"sign_in_id": sign_in.pk}
    wrong: list[str] = []
    writes: list[str] = []
    for role in ROLES:
        _check_role(role, clients[role], world, wrong, writes)
    assert not wrong, f"{len(wrong)} unexpected answers:\n" + "\n".join(wrong)
    assert not writes, "Viewers and approvers may change nothing, but:\n" + "\n".join(writes)


def _check_role(
    role: str, client: Client, world: dict[str, Any], wrong: list[str], writes: list[str]
) -> None:
    for route in ROUTES:
        rule = rule_for(route)
        if rule is None:
            continue  # test_every_route_is_classified names it
        kwargs = world["objects"][rule.obj] if rule.obj else {}
        url = _url(route, kwargs) if "<" in route else "/" + route
        for method in METHODS:
            expected = expectation(rule, role, method)
            status, location, wrote = _ask(client, method, url)
            if not verdict(expected, status, location):
                wrong.append(f"{role} {method} {url} [{route}] expected {expected}, got {status}")
            signed_in_write = rule.need != PUBLIC
            if (
                wrote
                and role in READ_ONLY
                and signed_in_write
                and not route.startswith(OWN_ACCOUNT)
            ):
                writes.append(f"{role} {method} {url} [{route}] wrote {wrote}")


def _ask(client: Client, method: str, url: str) -> tuple[int, str, list[str]]:
    """One request in a savepoint that is rolled back; what it answered and what it audited."""
    cookies = copy.deepcopy(client.cookies)  # signing out must not sign the next request out
    with transaction.atomic():
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(url) if method == "GET" else client.post(url, {})
        wrote = list(AuditEvent.objects.filter(id__gt=before).values_list("action", flat=True))
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code, response.get("Location", ""), wrote


def test_unknown_objects_are_not_found_for_every_member(db):
    """The matrix fills URLs with real objects; a made-up id must never be a success."""
    owner = make_user("solo", role=Role.OWNER)
    client = _client(owner)
    made_up = uuid.UUID(int=1)
    for route in ROUTES:
        rule = rule_for(route)
        if rule is None or rule.need in (PUBLIC, API) or "<uuid:public_id>" not in route:
            continue
        url = _url(route, {"public_id": made_up, "number": 1, "delivery_id": made_up})
        status, _, _ = _ask(client, "GET", url)
        assert status in (404, 405), f"GET {url} answered {status}"
