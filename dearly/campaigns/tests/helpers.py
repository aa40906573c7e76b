"""Small builders for campaign tests: a business, templates, consenting contacts, drafts."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from dearly.audiences.models import Segment
from dearly.audiences.services import create_segment
from dearly.campaigns.models import Campaign
from dearly.campaigns.services import Details, create_campaign
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.access import member_for
from dearly.core.actor import Actor
from dearly.core.models import Business, Membership
from dearly.messaging.models import EmailTemplate, TemplateVersion
from dearly.messaging.services import Draft, create_template, save_version

ACTOR = Actor.system("tests")
TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
# Personal and complete: an unsubscribe link and the postal address, so no check blocks.
HTML = """<p>Hi {{ contact.first_name }}, our winter menu is here.</p>
<p><a href="{{ links.unsubscribe_url }}">Unsubscribe</a> · {{ business.postal_address }}</p>"""


def business(postal_address: str = "1 High Street, Leeds") -> Business:
    found, _ = Business.objects.update_or_create(
        pk=1, defaults={"name": "Corner Café", "postal_address": postal_address}
    )
    return found


def template(
    html: str = HTML, *, name: str = "Winter menu", policy: str = "fallback", **kw: Any
) -> TemplateVersion:
    kw.setdefault("fallbacks", {"contact.first_name": "there"} if policy == "fallback" else {})
    draft = Draft(
        subject=kw.pop("subject", "Our winter menu"),
        preheader=kw.pop("preheader", "Soups, stews and a free pudding"),
        html_source=html,
        missing_data_policy=policy,
        **kw,
    )
    return create_template(actor=ACTOR, name=name, draft=draft)


def new_version(tpl: EmailTemplate, html: str) -> TemplateVersion:
    draft = Draft(
        subject="Changed", preheader="A changed preheader", html_source=html, fallbacks={}
    )
    return save_version(actor=ACTOR, template=tpl, name=tpl.name, draft=draft)


def grant(contact: Contact, purpose: str = "newsletter", channel: str = "email") -> Contact:
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="grant",
        evidence=Evidence(method="web_form", wording="Yes please"),
    )
    return contact


def person(email: str | None, *, purpose: str | None = "newsletter", **values: Any) -> Contact:
    """A contact who consented to `purpose` by email (None: no consent at all)."""
    values.setdefault("time_zone", "Europe/London")
    if email:
        values["email"] = email
    contact = make_contact(**values)
    return grant(contact, purpose) if purpose else contact


def tagged_segment(tag: str, name: str = "Regulars") -> Segment:
    rules = {"match": "all", "rules": [{"field": "tag", "op": "has", "value": tag}]}
    return create_segment(actor=ACTOR, name=name, rules=rules)


def member(user: User) -> Membership:
    found = member_for(user)
    assert found is not None
    return found


def draft(version: TemplateVersion, **kw: Any) -> Campaign:
    kw.setdefault("name", "Winter menu")
    kw.setdefault("purpose", "informational")
    kw.setdefault("consent_purpose", "newsletter")
    kw.setdefault("value", "useful_information")
    return create_campaign(actor=ACTOR, details=Details(template=version.template, **kw))
