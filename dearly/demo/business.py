"""Load the demo business through the same services the app uses, so the audit log and the
consent ledger look exactly as they would after real use."""

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.contacts.models import Channel, ConsentMethod, Contact, Lifecycle, Purpose
from dearly.contacts.privacy import erase_contact
from dearly.contacts.services import ContactError, Evidence, create_contact, record_consent
from dearly.core.actor import Actor
from dearly.core.models import Business, Membership, Role
from dearly.demo import history, marketing, people, story
from dearly.rhythms import snapshot
from dearly.web import figures

BUSINESS_NAME = "Greenleaf Garden Care"
# The business's own (reserved, never delivered) domain: branch and staff addresses.
DOMAIN = "greenleaf.example"
CREDENTIALS_FILE = "demo_login"


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


def demo_logins() -> list[Login]:
    """The demo's logins, kept in the data directory (mode 600) so each start can print them."""
    path = Path(settings.DATA_DIR) / CREDENTIALS_FILE
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text().splitlines() if line.strip()]
    return [Login(*row) for row in rows]


def _save_logins(logins: list[Login]) -> None:
    path = Path(settings.DATA_DIR) / CREDENTIALS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("".join(f"{x.username}\t{x.password}\t{x.role}\n" for x in logins))


def is_loaded() -> bool:
    return Branch.objects.exists() or Contact.objects.exists()


@transaction.atomic
def load(*, customers: int = 500, seed: int = 7) -> list[Login]:
    rng = random.Random(seed)
    Business.objects.update_or_create(
        pk=1,
        defaults={
            "name": BUSINESS_NAME,
            "postal_address": "Greenleaf Garden Care Ltd, 14 Parliament Street, Harrogate HG1 2QU",
            "default_country": "GB",
        },
    )
    branches = add_branches()
    logins = _staff(branches)
    actor = Actor.system("demo")
    add_customers(rng, count=customers, branches=branches, actor=actor)
    _erase_a_few(rng, actor)
    marketing.load(actor)
    now = timezone.now()
    history.simulate(rng, actor, now=now)
    story.load(rng, actor, now=now)
    # The figures the worker's chores keep, computed once so the first page view has them.
    snapshot.refresh(now)
    figures.refresh(now)
    _save_logins(logins)
    return logins


def add_branches() -> list[Branch]:
    return [_branch(*row) for row in people.BRANCHES]


def add_customers(rng: random.Random, *, count: int, branches: list[Branch], actor: Actor) -> None:
    """The demo's customers, with their consents, as `load` makes them."""
    for i in range(count):
        _customer(rng, i, branches, actor)


def _branch(
    name: str, town: str, pc: str, lat: float, lng: float, street: str, phone: str
) -> Branch:
    return Branch.objects.create(
        name=name,
        address=street,
        town=town,
        postcode=f"{pc} {random.Random(name).randint(1, 9)}AB",
        latitude=lat,
        longitude=lng,
        time_zone="Europe/London",
        phone=phone,
        email=f"{name.lower()}@{DOMAIN}",
        opening_hours=people.OPENING_HOURS,
    )


def _staff(branches: list[Branch]) -> list[Login]:
    specs: list[tuple[str, str, str, str, Branch | None]] = [
        ("owner", "Olivia", "Greenwood", Role.OWNER, None),
        ("manager", "Marcus", "Hale", Role.MANAGER, None),
    ]
    specs += [
        (b.name.lower(), first, b.name, Role.STAFF, b)
        for b, first in zip(branches, ("Sam", "Priya", "Tom"), strict=False)
    ]
    logins = []
    for username, first, last, role, branch in specs:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@{DOMAIN}".lower(),
        )
        Membership.objects.create(user=user, role=role, branch=branch)
        logins.append(Login(username, password, Role(role).label))
    return logins


def _nearest(branches: list[Branch], lat: float, lng: float) -> Branch:
    return min(branches, key=lambda b: (b.latitude - lat) ** 2 + (b.longitude - lng) ** 2)  # type: ignore[operator]


def _customer(rng: random.Random, i: int, branches: list[Branch], actor: Actor) -> None:
    home = rng.choice(branches)
    lat = home.latitude + rng.uniform(-0.08, 0.08)  # type: ignore[operator]
    lng = home.longitude + rng.uniform(-0.1, 0.1)  # type: ignore[operator]
    first, last = rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES)
    today = timezone.localdate()
    stage = rng.choices(Lifecycle.values, weights=[2, 6, 2])[0]
    values = {
        "first_name": first,
        "last_name": last,
        "email": f"{first}.{last}.{i}@example.com".lower() if rng.random() < 0.93 else None,
        "phone": _phone(rng, i),
        "address_line1": f"{rng.randint(1, 120)} {rng.choice(people.STREETS)}",
        "town": home.town,
        "postcode": f"{home.postcode.split()[0]} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
        + rng.choice("LNPQRSTU"),
        "country": "GB",
        "latitude": round(lat, 5),
        "longitude": round(lng, 5),
        "time_zone": "Europe/London",
        "language": "en",
        "birthday": _date(rng, 1945, 2004) if rng.random() < 0.6 else None,
        "anniversary": today - dt.timedelta(days=rng.randint(30, 3000))
        if stage != "lead"
        else None,
        "lifecycle_stage": stage,
        "source": rng.choice(["shop", "website", "referral", "garden show", "phone enquiry"]),
    }
    contact = create_contact(
        actor=actor,
        values=values,
        branch=_nearest(branches, lat, lng),
        tags=rng.sample(people.TAGS, k=rng.randint(0, 3)),
        lifecycle_reason="former customer: moved away" if stage == "former" else "",
    )
    _consents(rng, contact, actor)


def _phone(rng: random.Random, i: int) -> str | None:
    """For 70% of customers, a drama-range number of their own (phones are unique)."""
    if rng.random() >= 0.7:
        return None
    rng.randint(100000, 999999)  # the draw that once picked it: the seeded story stays the same
    return people.drama_phone(i)


def _date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    return dt.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _consents(rng: random.Random, contact: Contact, actor: Actor) -> None:
    when = timezone.now() - dt.timedelta(days=rng.randint(5, 700))
    for channel, purpose, chance in (
        (Channel.EMAIL, Purpose.NEWSLETTER, 0.7),
        (Channel.EMAIL, Purpose.MARKETING, 0.5),
        (Channel.SMS, Purpose.MARKETING, 0.3),
        (Channel.POST, Purpose.MARKETING, 0.2),
        (Channel.EMAIL, Purpose.SURVEYS, 0.4),
    ):
        if rng.random() > chance:
            continue
        method = rng.choice(
            [ConsentMethod.WEB_FORM, ConsentMethod.PAPER_FORM, ConsentMethod.IN_PERSON]
        )
        try:
            record_consent(
                actor=actor,
                contact=contact,
                channel=channel,
                purpose=purpose,
                action="grant",
                occurred_at=when,
                evidence=Evidence(
                    method=method,
                    form_name="Website signup" if method == ConsentMethod.WEB_FORM else "Shop card",
                    wording_version="2025-03",
                    wording=f"Yes, send me {purpose} by {channel}. I can stop at any time.",
                    ip_address="203.0.113.7" if method == ConsentMethod.WEB_FORM else None,
                ),
            )
        except ContactError:
            continue  # no address for that channel
        if rng.random() < 0.1:
            record_consent(
                actor=actor,
                contact=contact,
                channel=channel,
                purpose=purpose,
                action="withdraw",
                occurred_at=when + dt.timedelta(days=rng.randint(1, 60)),
                evidence=Evidence(
                    method=ConsentMethod.UNSUBSCRIBE_LINK, note="Clicked unsubscribe"
                ),
            )


def _erase_a_few(rng: random.Random, actor: Actor) -> None:
    ids = list(
        Contact.objects.filter(lifecycle_stage=Lifecycle.FORMER).values_list("pk", flat=True)
    )
    for pk in rng.sample(ids, k=min(3, len(ids))):
        erase_contact(actor=actor, contact=Contact.objects.get(pk=pk))
