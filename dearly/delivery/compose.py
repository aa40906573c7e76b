"""Turn claimed outbox rows into finished emails: the data → template → renderer step.

Runs outside any transaction, after the claim committed. It loads everything for a batch in
a few queries (contacts with branch and tags, template versions, the business), renders each
message from its immutable template version, and returns either an OutgoingEmail or a Result
saying why this person cannot get it (held: personal data missing; broken: template problem).
"""

from collections import defaultdict
from collections.abc import Sequence
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings

from dearly.contacts.models import Contact
from dearly.core.models import Business
from dearly.core.queries import get_business
from dearly.delivery.claim import BROKEN, HELD, Claimed, Result
from dearly.delivery.facts import TEST_ORIGIN
from dearly.delivery.models import MessagePurpose
from dearly.delivery.transports.message import OutgoingEmail
from dearly.messaging.compiling import TemplateProblem
from dearly.messaging.context import (
    branch_context,
    build_context,
    business_context,
    contact_context,
    custom_keys,
    sample_context,
)
from dearly.messaging.missing import MissingPersonalData
from dearly.messaging.models import TemplateVersion
from dearly.messaging.render import render_version
from dearly.preferences.tokens import preferences_url, unsubscribe_headers, unsubscribe_url
from dearly.tracking.links import LinkStore, open_pixel_html, prepare_links

LINKS = LinkStore()  # remembers which link sets this worker process has stored


@lru_cache(maxsize=8)
def _sender(from_email: str) -> tuple[str, str, str]:
    """(display name, address, domain) of DEARLY_FROM_EMAIL, which may be "Name <addr>"."""
    name, address = parseaddr(from_email)
    return name, address or from_email, address.rpartition("@")[2] or "localhost"


def sender() -> tuple[str, str, str]:
    # Parsed once per setting value: this runs for every message on the send path.
    return _sender(settings.FROM_EMAIL)


def sender_domain() -> str:
    return sender()[2]


def message_id(public_id: object) -> str:
    """The Message-ID of an outbox row: the same on every retry, so a resend is recognisable."""
    return f"<{public_id}@{sender_domain()}>"


def compose(claimed: Sequence[Claimed]) -> list[OutgoingEmail | Result]:
    contacts = Contact.objects.select_related("branch").in_bulk({c.contact_id for c in claimed})
    tags: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in Contact.tags.through.objects.filter(
        contact_id__in=contacts
    ).values_list("contact_id", "tag__name"):
        tags[contact_id].append(name)
    # One query for the batch's template versions (they never change once saved).
    versions = TemplateVersion.objects.in_bulk({c.template_version_id for c in claimed})
    business = get_business()
    keys = custom_keys()
    from_name, from_addr, _ = sender()
    from_name = from_name or business.name
    link_sets: list[list[str]] = []
    out: list[OutgoingEmail | Result] = []
    for message in claimed:
        contact = contacts.get(message.contact_id)
        if contact is None and message.origin_type == TEST_ORIGIN:
            out.append(_test_email(message, versions.get(message.template_version_id), business))
            continue
        if contact is None:
            out.append(Result(message, HELD, "contact erased"))
            continue
        links = links_for(message, contact)
        context = build_context(
            contact=contact_context(contact, keys=keys, tags=tags[contact.pk]),
            branch=branch_context(contact.branch),
            business=business_context(business),
            links=links,
        )
        version = versions.get(message.template_version_id)
        if version is None:
            out.append(Result(message, BROKEN, "template version not found"))
            continue
        try:
            rendered = render_version(version, context)
        except MissingPersonalData as exc:
            out.append(Result(message, HELD, exc.reason))
            continue
        except TemplateProblem as exc:
            out.append(Result(message, BROKEN, f"template problem: {exc.message}"))
            continue
        out.append(
            OutgoingEmail(
                message_id=message_id(message.public_id),
                from_addr=from_addr,
                from_name=from_name,
                to_addr=message.to_address,
                to_name=contact.display_name if contact.first_name or contact.last_name else "",
                subject=rendered.subject,
                html=tracked(rendered.html, message, link_sets),
                text=rendered.text,
                headers=headers_for(message, contact, links["unsubscribe_url"]),
            )
        )
    LINKS.store(*link_sets)  # before sending, so every tracked click can be resolved
    return out


def links_for(message: Claimed, contact: Contact) -> dict[str, str]:
    """The personal links a template may use: signed, never expiring."""
    return {
        "unsubscribe_url": unsubscribe_url(contact.public_id, message.public_id),
        "preferences_url": preferences_url(contact.public_id),
    }


def headers_for(
    message: Claimed, contact: Contact, one_click_url: str
) -> tuple[tuple[str, str], ...]:
    """List-Unsubscribe (https and mailto) and RFC 8058 one-click on every marketing email."""
    if message.purpose == MessagePurpose.SERVICE:
        return ()
    return unsubscribe_headers(contact.public_id, message.public_id, https=one_click_url)


def tracked(html: str, message: Claimed, link_sets: list[list[str]]) -> str:
    """Marketing mail gets click tracking (to stored links only) and an open pixel."""
    if message.purpose == MessagePurpose.SERVICE:
        return html
    html, links = prepare_links(html, message.public_id)
    link_sets.append(links)
    pixel = open_pixel_html(message.public_id)
    head, body_end, tail = html.rpartition("</body>")
    return f"{head}{pixel}{body_end}{tail}" if body_end else html + pixel


def _test_email(
    message: Claimed, version: TemplateVersion | None, business: Business
) -> OutgoingEmail | Result:
    """A member's test send: the made-up sample person, marked as a test in the subject."""
    if version is None:
        return Result(message, BROKEN, "template version not found")
    try:
        rendered = render_version(version, sample_context())
    except (MissingPersonalData, TemplateProblem) as exc:
        return Result(message, BROKEN, f"template problem: {exc}")
    return OutgoingEmail(
        message_id=message_id(message.public_id),
        from_addr=sender()[1],
        from_name=sender()[0] or business.name,
        to_addr=message.to_address,
        subject=f"[Test] {rendered.subject}",
        html=rendered.html,
        text=rendered.text,
    )
