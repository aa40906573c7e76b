"""The policy gate: may this message go to this person now? Decided in one place (STYLE 4).

`judge` is pure: it takes the facts about one recipient at the moment of sending and returns
send, defer (with the instant it may go) or hold (with the reason). `gather_facts` loads those
facts for a whole batch in a handful of set-based queries. The same rules build audiences, so
what the review step counts is what the worker will send.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dearly.contacts.models import SuppressionReason
from dearly.delivery.models import DeferReason, HoldReason, MessagePurpose
from dearly.delivery.timing import DEFAULT_WINDOWS, Window, at_usual_hour, next_allowed

# Reasons that stop even a service message: the address does not work, or the person
# reported us as spam. An unsubscribe stops marketing only.
BLOCKS_SERVICE = frozenset({SuppressionReason.HARD_BOUNCE, SuppressionReason.COMPLAINT})


@dataclass(frozen=True, slots=True)
class Budget:
    """At most `max_messages` marketing messages per `days` per contact, all channels (F4)."""

    max_messages: int = 2
    days: int = 7

    @property
    def period(self) -> dt.timedelta:
        return dt.timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class Facts:
    """What is true about the recipient right now."""

    contact_exists: bool = True
    address: str | None = None
    time_zone: str = ""
    consented: bool = False
    suppression: frozenset[str] = frozenset()
    missing_data: str = ""  # a description of personal data the message needs but lacks
    # Marketing messages already sent or in flight within the budget period, oldest first.
    recent_marketing: tuple[dt.datetime, ...] = ()
    # The person's own choices in the preference centre: a pause, and a stricter budget.
    paused_until: dt.datetime | None = None
    own_budget: Budget | None = None
    # The local hour the person usually reads, for a message sent "in each recipient's
    # window" (F3); None when unknown or not asked for.
    usual_hour: int | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    action: str  # "send" | "defer" | "hold"
    until: dt.datetime | None = None
    reason: str = ""
    detail: str = ""

    @property
    def sends(self) -> bool:
        return self.action == "send"


SEND = Verdict("send")


def hold(reason: str, detail: str = "") -> Verdict:
    return Verdict("hold", reason=reason, detail=detail)


def defer(until: dt.datetime, reason: str) -> Verdict:
    return Verdict("defer", until=until, reason=reason)


def judge(
    *,
    purpose: str,
    facts: Facts,
    now: dt.datetime,
    budget: Budget,
    windows: dict[str, Window] = DEFAULT_WINDOWS,
    default_time_zone: str = "UTC",
) -> Verdict:
    """The one decision. Order matters: permanent reasons to hold come before waiting."""
    marketing = purpose != MessagePurpose.SERVICE
    if not facts.contact_exists:
        return hold(HoldReason.CONTACT_GONE)
    if not facts.address:
        return hold(HoldReason.NO_ADDRESS)
    blocking = facts.suppression if marketing else facts.suppression & BLOCKS_SERVICE
    if blocking:
        return hold(HoldReason.SUPPRESSED, ", ".join(sorted(blocking)))
    if marketing and not facts.consented:
        return hold(HoldReason.NO_CONSENT)
    if facts.missing_data:
        return hold(HoldReason.MISSING_DATA, facts.missing_data)
    window = at_usual_hour(windows[purpose], facts.usual_hour if marketing else None)
    opens = next_allowed(now, facts.time_zone or default_time_zone, window)
    if opens is None:
        return hold(HoldReason.WINDOW_CLOSED)
    if opens > now:
        return defer(opens, DeferReason.WINDOW)
    if marketing and facts.paused_until and facts.paused_until > now:
        return defer(facts.paused_until, DeferReason.PAUSED)
    if marketing:
        for limit in (budget, facts.own_budget):
            if (
                limit is not None
                and not (verdict := _within_budget(facts.recent_marketing, now, limit)).sends
            ):
                return verdict
    return SEND


def _within_budget(recent: Iterable[dt.datetime], now: dt.datetime, budget: Budget) -> Verdict:
    since = now - budget.period
    counted = sorted(t for t in recent if t > since)
    if len(counted) < budget.max_messages:
        return SEND
    # It frees up when the oldest counted message leaves the period.
    frees_at = counted[len(counted) - budget.max_messages] + budget.period
    return defer(frees_at, DeferReason.BUDGET)
