"""A few weeks of simulated history, so the demo's dashboard tells a story on first start.

What a person would have done goes through the services (calls and visits, replies, purchases
with attribution, tasks, campaign launches); what the worker would have done at volume is
written in bulk (the launched campaigns' messages marked sent weeks ago, their delivered, open
and click events, one touch per delivered message). Everything written as history is already
"sent", so the demo's worker never sends it again. Seeded: the same story every time.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery

from dearly.audiences.models import Segment
from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.models import Campaign, Schedule, Value
from dearly.campaigns.services import Details, create_campaign
from dearly.contacts.models import Consent, ConsentStatus, Contact, Lifecycle, LifecycleChange
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.core.models import Membership, Role, Source
from dearly.delivery.models import (
    DeferReason,
    HoldReason,
    MessagePurpose,
    OutboxMessage,
    Status,
)
from dearly.delivery.outbox import enqueue_one
from dearly.messaging.models import EmailTemplate, MissingDataPolicy
from dearly.messaging.services import Draft, create_template
from dearly.touches.models import CallOutcome, Direction, Kind, Touch, TouchChannel
from dearly.touches.services import bump_last_touch, create_task, log_touch, record_reply
from dearly.tracking.models import EventKind, MessageEvent

DAY = dt.timedelta(days=1)
LAPSE_SAFE_DAYS = 300  # under the default lapse period (365 days without a purchase)
CALLS_PER_BRANCH = 24  # staff ring most customers the newsletter does not reach


@dataclass(frozen=True)
class Past:
    """A campaign sent `days_ago`, with what it gave the reader."""

    name: str
    subject: str
    body: str
    value: str
    days_ago: int
    open_rate: float
    click_rate: float


PAST = (
    Past(
        "Autumn lawn care tips",
        "{{ contact.name }}, five jobs for your lawn before the frost",
        "Scarify, aerate, feed, overseed and rake: the five autumn jobs our gardeners swear by, "
        "with a short video for each.",
        Value.USEFUL_INFORMATION,
        25,
        0.52,
        0.16,
    ),
    Past(
        "Bulb planting evening",
        "Come and plant spring bulbs with us, {{ contact.name }}",
        "A free evening at your branch: bring a pot, we bring the bulbs, compost and tea.",
        Value.INVITATION,
        17,
        0.47,
        0.11,
    ),
    Past(
        "November garden jobs",
        "{{ contact.name }}, what to do in the garden this month",
        "Lift dahlias, protect pots from frost and plant bare-root hedging while it is cheap.",
        Value.INSPIRATION,
        8,
        0.44,
        0.09,
    ),
)

PRODUCTS = (
    ("Lawn treatment, autumn", Decimal("65.00")),
    ("Hedge trim", Decimal("120.00")),
    ("Garden tidy, half day", Decimal("180.00")),
    ("Bulb collection", Decimal("24.50")),
    ("Fruit tree pruning", Decimal("95.00")),
    ("Planting plan", Decimal("240.00")),
)

NOTES = (
    "Happy with the last visit; wants the hedges done before Christmas.",
    "Asked about a planting plan for the spring.",
    "Away until next month, call again then.",
    "Loved the bulb evening, bringing a friend next time.",
    "Asked us to look at the drainage on the back lawn.",
)


def html(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"></head>'
        '<body style="font-family: Georgia, serif; max-width: 560px; margin: 0 auto">'
        f"<p>Hi {{{{ contact.name }}}},</p><h2>{title}</h2><p>{body}</p>"
        '<p>Warm wishes,<br>{{ business.name }}</p><hr><p style="font-size: 12px">'
        '<a href="{{ links.preferences_url }}">Choose what you hear about</a> or '
        '<a href="{{ links.unsubscribe_url }}">unsubscribe</a>.<br>'
        "{{ business.postal_address }}</p></body></html>"
    )


def simulate(rng: random.Random, actor: Actor, *, now: dt.datetime) -> None:
    owner = Membership.objects.select_related("user").get(role=Role.OWNER)
    readers = Segment.objects.get(name="Newsletter readers")
    backdate_contacts(rng, now=now)
    campaigns = [_past_campaign(rng, actor, owner, readers, past, now=now) for past in PAST]
    _replies(rng, campaigns)
    _calls_and_visits(rng, now=now)
    _purchases(rng, actor, now=now)
    _tasks(rng, now=now)
    _held(rng, campaigns[-1], now=now)
    _scheduled(actor, owner, readers, now=now)


def backdate_contacts(rng: random.Random, *, now: dt.datetime) -> None:
    """The demo's contacts were all created a moment ago; give them a past: created up to two
    years ago, their stage begun since (so rhythms have clocks that ran out)."""
    contacts = list(Contact.objects.order_by("pk").only("pk", "lifecycle_stage"))
    for contact in contacts:
        contact.created_at = now - dt.timedelta(days=rng.randint(40, 720), hours=rng.randint(0, 23))
        age = (now - contact.created_at).days
        if contact.lifecycle_stage == Lifecycle.LEAD:
            contact.lifecycle_changed_at = contact.created_at
        else:  # a customer's stage began within the year, or the lapse chore would end it
            longest = (
                min(age, LAPSE_SAFE_DAYS) if contact.lifecycle_stage == Lifecycle.CUSTOMER else age
            )
            contact.lifecycle_changed_at = now - dt.timedelta(
                days=rng.randint(20, max(longest, 21))
            )
    Contact.objects.bulk_update(contacts, ["created_at", "lifecycle_changed_at"], batch_size=500)
    began = {c.pk: c.lifecycle_changed_at for c in contacts}
    changes = list(LifecycleChange.objects.filter(from_stage="").only("pk", "contact_id"))
    for change in changes:
        change.changed_at = began.get(change.contact_id) or now
    LifecycleChange.objects.bulk_update(changes, ["changed_at"], batch_size=500)


def _template(actor: Actor, past: Past) -> EmailTemplate:
    version = create_template(
        actor=actor,
        name=past.name,
        draft=Draft(
            subject=past.subject,
            preheader=past.body[:80],
            html_source=html(past.name, past.body),
            fallbacks={"contact.name": "there"},
            missing_data_policy=MissingDataPolicy.FALLBACK,
        ),
    )
    return version.template


def _past_campaign(
    rng: random.Random,
    actor: Actor,
    owner: Membership,
    readers: Segment,
    past: Past,
    *,
    now: dt.datetime,
) -> Campaign:
    """Launch it through the service, then write what the worker and the readers did."""
    campaign = create_campaign(
        actor=actor,
        details=Details(
            name=past.name,
            template=_template(actor, past),
            purpose=MessagePurpose.INFORMATIONAL,
            segment=readers,
            consent_purpose="newsletter",
            value=past.value,
            schedule=Schedule.NOW,
        ),
    )
    launch_campaign(actor=actor, member=owner, campaign=campaign)
    sent_at = (now - past.days_ago * DAY).replace(hour=9, minute=0, second=0, microsecond=0)
    Campaign.objects.filter(pk=campaign.pk).update(launched_at=sent_at)
    rows = OutboxMessage.objects.filter(origin_type="campaign", origin_id=campaign.pk)
    email = Contact.objects.filter(pk=OuterRef("contact_id")).values("email")[:1]
    rows.update(
        status=Status.SENT,
        sent_at=sent_at,
        not_before=sent_at,
        attempts=1,
        to_address=Subquery(email),
    )
    sent = list(rows.values_list("pk", "contact_id", "contact__branch_id"))
    touches, events = [], []
    for message_id, contact_id, branch_id in sent:
        at = sent_at + dt.timedelta(seconds=rng.randint(1, 900))
        touches.append(
            Touch(
                contact_id=contact_id,
                occurred_at=at,
                kind=Kind.MESSAGE,
                channel=TouchChannel.EMAIL,
                direction=Direction.OUTBOUND,
                branch_id=branch_id,
                origin_type="campaign",
                origin_id=campaign.pk,
                message_id=message_id,
            )
        )
        event = _events(rng, message_id, contact_id, campaign.pk, at, past, now=now)
        events.extend(event)
    Touch.objects.bulk_create(touches, batch_size=1000)
    MessageEvent.objects.bulk_create(events, batch_size=1000)
    bump_last_touch([c for _, c, _ in sent], sent_at + dt.timedelta(minutes=15))
    return campaign


def _events(
    rng: random.Random,
    message_id: int,
    contact_id: int,
    origin_id: int,
    at: dt.datetime,
    past: Past,
    *,
    now: dt.datetime,
) -> list[MessageEvent]:
    def event(kind: str, when: dt.datetime) -> MessageEvent:
        return MessageEvent(
            message_id=message_id,
            contact_id=contact_id,
            origin_type="campaign",
            origin_id=origin_id,
            kind=kind,
            occurred_at=min(when, now),
            provider="dearly",
        )

    found = [event(EventKind.DELIVERED, at + dt.timedelta(seconds=5))]
    if rng.random() < past.open_rate:
        opened = at + dt.timedelta(minutes=rng.randint(5, 60 * 48))
        found.append(event(EventKind.OPENED, opened))
        if rng.random() < past.click_rate / past.open_rate:
            found.append(
                event(EventKind.CLICKED, opened + dt.timedelta(seconds=rng.randint(5, 300)))
            )
    return found


def _replies(rng: random.Random, campaigns: Sequence[Campaign]) -> None:
    """A few people wrote back; each reply is a touch from them."""
    for campaign in campaigns:
        sent = list(
            OutboxMessage.objects.filter(origin_type="campaign", origin_id=campaign.pk)
            .order_by("pk")
            .values_list("pk", "contact_id", "sent_at")
        )
        for message_id, contact_id, sent_at in rng.sample(sent, k=min(len(sent), 5)):
            if contact_id is None or sent_at is None:
                continue
            at = sent_at + dt.timedelta(hours=rng.randint(1, 40))
            record_reply(
                contact_id=contact_id, occurred_at=at, origin_type="campaign", origin_id=campaign.pk
            )
            MessageEvent.objects.create(
                message_id=message_id,
                contact_id=contact_id,
                origin_type="campaign",
                origin_id=campaign.pk,
                kind=EventKind.REPLIED,
                occurred_at=at,
                provider="dearly",
            )


def _staff_actor(user: User) -> Actor:
    return Actor(source=Source.UI, user=user, label=user.get_username())


def _calls_and_visits(rng: random.Random, *, now: dt.datetime) -> None:
    """Each branch's staff rang and visited some of their customers over the last weeks."""
    for member in Membership.objects.filter(role=Role.STAFF).select_related("user", "branch"):
        actor = _staff_actor(member.user)
        readers = Consent.objects.filter(status=ConsentStatus.GRANTED, purpose="newsletter").values(
            "contact_id"
        )
        ids = list(
            Contact.objects.filter(branch=member.branch, lifecycle_stage=Lifecycle.CUSTOMER)
            .exclude(pk__in=readers)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in rng.sample(ids, k=min(len(ids) * 2 // 3, CALLS_PER_BRANCH)):
            kind = rng.choice([Kind.CALL, Kind.CALL, Kind.VISIT])
            outcome = rng.choice(
                [
                    CallOutcome.SPOKE,
                    CallOutcome.SPOKE,
                    CallOutcome.LEFT_MESSAGE,
                    CallOutcome.NO_ANSWER,
                ]
            )
            log_touch(
                contact=Contact.objects.get(pk=pk),
                kind=kind,
                channel=TouchChannel.PHONE if kind == Kind.CALL else TouchChannel.IN_PERSON,
                direction=Direction.OUTBOUND,
                occurred_at=now - dt.timedelta(days=rng.randint(0, 27), hours=rng.randint(1, 8)),
                actor=actor,
                outcome=outcome if kind == Kind.CALL else CallOutcome.SPOKE,
                note=rng.choice(NOTES),
            )


def _purchases(rng: random.Random, actor: Actor, *, now: dt.datetime) -> None:
    """Orders reported as events: most from customers, a few from former customers (won
    back); each is attributed to the last message within the window, if any."""
    customers = list(
        Contact.objects.filter(lifecycle_stage=Lifecycle.CUSTOMER).values_list("pk", flat=True)
    )
    former = list(
        Contact.objects.filter(lifecycle_stage=Lifecycle.FORMER, email__isnull=False).values_list(
            "pk", flat=True
        )
    )
    buyers = rng.sample(customers, k=min(len(customers), 40)) + rng.sample(
        former, k=min(len(former), 4)
    )
    for n, pk in enumerate(buyers):
        item, price = rng.choice(PRODUCTS)
        if n % 3 == 0:  # a customer who had bought before: the next one is a repeat purchase
            record_event(
                contact=Contact.objects.get(pk=pk),
                name="purchase",
                event_id=f"demo-order-{500 + n}",
                occurred_at=now - dt.timedelta(days=rng.randint(40, 300)),
                value=price,
                currency="GBP",
                properties={"item": item},
                actor=actor,
            )
        record_event(
            contact=Contact.objects.get(pk=pk),
            name="purchase",
            event_id=f"demo-order-{1000 + n}",
            occurred_at=now - dt.timedelta(days=rng.randint(0, 24), hours=rng.randint(1, 10)),
            value=price,
            currency="GBP",
            properties={"item": item},
            actor=actor,
        )


def _tasks(rng: random.Random, *, now: dt.datetime) -> None:
    """Cards and calls still to make, some past due."""
    for member in Membership.objects.filter(role=Role.STAFF).select_related("branch"):
        quiet = list(
            Contact.objects.filter(branch=member.branch, last_touch_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:40]
        )
        for i, pk in enumerate(rng.sample(quiet, k=min(len(quiet), 4))):
            contact = Contact.objects.get(pk=pk)
            kind, title = rng.choice(
                [
                    ("call", "Call to check in"),
                    ("card", "Send a thank-you card"),
                    ("visit", "Drop by with the spring catalogue"),
                ]
            )
            create_task(
                contact=contact,
                kind=kind,
                title=title,
                due_at=now + dt.timedelta(days=i - 2, hours=rng.randint(0, 6)),
                assigned_to_id=member.user_id,
                dedupe_key=f"demo-task-{pk}",
            )


def _held(rng: random.Random, campaign: Campaign, *, now: dt.datetime) -> None:
    """A few messages the policy gate stopped, and a few waiting on the contact budget."""
    version_id = campaign.version_id or 0
    nobody = list(
        Contact.objects.filter(email__isnull=True).order_by("pk").values_list("pk", flat=True)[:3]
    )
    anyone = list(
        Contact.objects.filter(email__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    plan: list[tuple[int, str, str, str]] = [
        (pk, Status.HELD, HoldReason.NO_ADDRESS, "") for pk in nobody
    ]
    plan += [(pk, Status.HELD, HoldReason.NO_CONSENT, "") for pk in rng.sample(anyone, k=2)]
    plan += [(pk, Status.QUEUED, "", DeferReason.BUDGET) for pk in rng.sample(anyone, k=3)]
    for i, (pk, status, hold, defer) in enumerate(plan):
        message, _ = enqueue_one(
            contact=Contact.objects.get(pk=pk),
            origin_type="campaign",
            origin_id=campaign.pk,
            purpose=MessagePurpose.PROMOTIONAL,
            consent_purpose="marketing",
            template_version_id=version_id,
            idempotency_key=f"demo-held-{i}",
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status,
            hold_reason=hold,
            defer_reason=defer,
            not_before=now + dt.timedelta(days=2 + i % 3) if defer else now - 2 * DAY,
        )


def _scheduled(actor: Actor, owner: Membership, readers: Segment, *, now: dt.datetime) -> None:
    """The next campaign, set for a morning next week: its messages wait in the outbox."""
    past = Past(
        "Christmas wreath workshop",
        "{{ contact.name }}, make a wreath with us this December",
        "Two hours, everything provided, mulled apple juice included. Places are free.",
        Value.INVITATION,
        0,
        0,
        0,
    )
    send_at = (now + 6 * DAY).replace(hour=9, minute=30, second=0, microsecond=0)
    campaign = create_campaign(
        actor=actor,
        details=Details(
            name=past.name,
            template=_template(actor, past),
            purpose=MessagePurpose.INFORMATIONAL,
            segment=readers,
            consent_purpose="newsletter",
            value=past.value,
            schedule=Schedule.AT,
            send_at=send_at,
        ),
    )
    launch_campaign(actor=actor, member=owner, campaign=campaign)
