"""What the steps read about contacts, loaded for a whole claimed batch in a few queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Max

from dearly.audiences.dates import zone
from dearly.contacts.models import Consent, ConsentStatus, Contact
from dearly.delivery.models import OutboxMessage
from dearly.messaging.models import TemplateVersion
from dearly.touches.models import Direction, Kind, Touch
from dearly.tracking.models import EventKind, MessageEvent

TagLinks = Contact.tags.through
# What steps read of a contact; loading only these keeps a batch of 500 cheap.
CONTACT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "phone",
    "town",
    "postcode",
    "time_zone",
    "lifecycle_stage",
    "custom_fields",
    "branch_id",
)
RECENT = 50  # a contact's newest messages searched for this journey's last one
ENGAGEMENT = {"opened_last": EventKind.OPENED, "clicked_last": EventKind.CLICKED}


@dataclass
class ContactFacts:
    """One contact as the steps see it. Engagement reads the last message this journey sent
    the contact (origin "journey", this journey's id), and replies since they entered."""

    contact: Contact
    tags: dict[str, str]  # lower-cased name → name as written
    granted: set[tuple[str, str]]
    journey_id: int
    entered_at: dt.datetime
    tz: ZoneInfo = field(init=False)

    def __post_init__(self) -> None:
        self.tz = zone(self.contact.time_zone)

    def has_tag(self, name: str) -> bool:
        return name.strip().lower() in self.tags

    def engaged(self, kind: str) -> bool:
        if kind == "replied":
            return replied_since(self.contact.pk, self.entered_at)
        # The contact's newest messages through the (contact, -id) index, then this journey's
        # in Python: filtering on the origin in SQL lets the planner walk the origin index over
        # every message the journey ever sent, once per contact.
        recent = (
            OutboxMessage.objects.filter(contact_id=self.contact.pk)
            .order_by("-id")
            .values_list("id", "origin_type", "origin_id")[:RECENT]
        )
        last = next(
            (pk for pk, kind, origin in recent if kind == "journey" and origin == self.journey_id),
            None,
        )
        if last is None:
            return False
        return MessageEvent.objects.filter(message_id=last, kind=ENGAGEMENT[kind]).exists()


def replied_since(contact_id: int, since: dt.datetime) -> bool:
    touch = Touch.objects.filter(
        contact_id=contact_id,
        kind=Kind.REPLY,
        direction=Direction.INBOUND,
        occurred_at__gte=since,
    )
    reply = MessageEvent.objects.filter(
        contact_id=contact_id, kind=EventKind.REPLIED, occurred_at__gte=since
    )
    return touch.exists() or reply.exists()


@dataclass
class BatchFacts:
    contacts: dict[int, Contact]
    tags: dict[int, dict[str, str]]
    granted: dict[int, set[tuple[str, str]]]
    latest_versions: dict[int, int]  # template id → newest TemplateVersion id


def load_batch(contact_ids: Iterable[int], template_ids: Iterable[int]) -> BatchFacts:
    ids = sorted(set(contact_ids))
    contacts = Contact.objects.only(*CONTACT_COLUMNS).in_bulk(ids)
    tags: dict[int, dict[str, str]] = defaultdict(dict)
    for contact_id, name in TagLinks.objects.filter(contact_id__in=ids).values_list(
        "contact_id", "tag__name"
    ):
        tags[contact_id][name.lower()] = name
    granted: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for contact_id, channel, purpose in Consent.objects.filter(
        contact_id__in=ids, status=ConsentStatus.GRANTED
    ).values_list("contact_id", "channel", "purpose"):
        granted[contact_id].add((channel, purpose))
    return BatchFacts(contacts, tags, granted, latest_versions(template_ids))


def latest_versions(template_ids: Iterable[int]) -> dict[int, int]:
    wanted = set(template_ids)
    if not wanted:
        return {}
    rows = (
        TemplateVersion.objects.filter(template_id__in=wanted, template__archived=False)
        .values("template_id")
        .annotate(newest=Max("number"))
    )
    newest = {(r["template_id"], r["newest"]) for r in rows}
    versions = TemplateVersion.objects.filter(template_id__in=wanted).values_list(
        "template_id", "number", "id"
    )
    return {t: pk for t, n, pk in versions if (t, n) in newest}
