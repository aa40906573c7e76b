"""One raw row in, one clean row or its reasons out. Semantics are contacts.fields'; the fast
paths only answer sooner for the common shapes."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dearly.contacts.fields import FIELDS, clean_value
from dearly.core.normalize import InvalidValue
from dearly.core.text import FORBIDDEN, text_problem
from dearly.imports.engine.fastpaths import fast_date, fast_email, fast_phone
from dearly.imports.engine.plan import FIELD_ORDER, Plan

INDEX = {name: i for i, name in enumerate(FIELD_ORDER)}
DATE_FIELDS = frozenset({"birthday", "anniversary"})
TAG_SEPARATORS = str.maketrans({";": ",", "|": ","})
# An opt-in column's values that mean "agreed to marketing": Shopify's yes, Mailchimp's and
# Square's subscribed, HubSpot's legal basis "Freely given consent from contact". Any other
# value (no, unsubscribed, cleaned, pending, legitimate interest…) grants nothing.
OPTED_IN = frozenset({"yes", "y", "true", "1", "subscribed", "opted in", "opted-in", "confirmed"})
OPT_IN_TARGETS = {"email_opt_in": "email", "sms_opt_in": "sms"}


@dataclass(slots=True)
class Row:
    """A validated row: values in FIELD_ORDER (None = not given), tags, branch id."""

    line: int
    values: list[Any]
    tags: tuple[str, ...] = ()
    branch_id: int | None = None
    branch_chosen: bool = False
    opt_ins: tuple[str, ...] = ()  # channels the previous tool says this person opted in to
    opt_in_at: dt.datetime | None = None  # when, by that tool's record
    opt_in_status: str = ""  # the tool's own words, kept as evidence


Issue = tuple[int, str, str, str, str]  # line, column, value, reason, kind
ERROR, NOTICE = "error", "notice"


def opt_in_moment(raw: str) -> dt.datetime:
    """An export's opt-in time ("2024-03-01 09:30:00", ISO 8601, or a date), in UTC when
    the file does not say; never in the future."""
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidValue("not a date and time (use YYYY-MM-DD HH:MM:SS)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if moment > timezone.now() + dt.timedelta(days=1):
        raise InvalidValue("an opt-in cannot be in the future")
    return moment


def _printable(raw: str) -> str:
    """The cell as the report can hold it: each forbidden character shown as its code."""
    return FORBIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", raw)[:255]


class Validator:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.width = len(plan.headers)
        today = timezone.localdate()
        self.latest_date = today + dt.timedelta(days=366 * 100)
        # (position, header, target, slot or None for tags/branch): resolved once, not per cell.
        self.columns = [(p, h, t, INDEX.get(t)) for p, h, t in plan.columns()]
        self.tag_cache: dict[str, tuple[str, ...]] = {}  # a tags column repeats itself

    def row(self, line: int, cells: list[str]) -> tuple[Row | None, list[Issue]]:
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            reason = f"the row has {len(cells)} cells but there are {self.width} columns"
            return None, [
                (line, "", "", reason + " (a delimiter inside an unquoted value?)", ERROR)
            ]
        row = Row(line=line, values=[None] * len(FIELD_ORDER))
        issues: list[Issue] = []
        count = len(cells)
        suspect = FORBIDDEN.search("".join(cells)) is not None  # one scan for the clean rows
        for position, header, target, slot in self.columns:
            raw = cells[position] if position < count else ""
            if not raw or raw.isspace():
                continue
            if suspect and (problem := text_problem(raw)):
                issues.append((line, header, _printable(raw), problem, ERROR))
                continue
            try:
                if slot is None:
                    self._set(row, target, raw)
                else:
                    row.values[slot] = self.clean(target, raw)
            except InvalidValue as exc:
                issues.append((line, header, raw[:255], str(exc), ERROR))
        if issues:
            return None, issues
        return self._identified(row, issues)

    def _identified(self, row: Row, issues: list[Issue]) -> tuple[Row | None, list[Issue]]:
        if row.values[INDEX["email"]] or row.values[INDEX["phone"]]:
            if row.branch_id is None:
                row.branch_id = self.plan.default_branch_id
            return row, issues
        return None, [
            (row.line, "", "", "no email or phone: nothing to recognise the contact by", ERROR)
        ]

    def _set(self, row: Row, target: str, raw: str) -> None:
        if target == "tags":
            tags = self.tag_cache.get(raw)
            if tags is None:
                text = raw.replace(" ::: ", ",").translate(TAG_SEPARATORS)  # Google's labels
                names = (t.strip()[:60] for t in text.split(","))
                # "* myContacts" and "* starred" are Google's own groups, not the owner's.
                tags = tuple(dict.fromkeys(n for n in names if n and not n.startswith("* ")))
                if len(self.tag_cache) < 10_000:
                    self.tag_cache[raw] = tags
            row.tags = (*tags, *(t for t in row.tags if t not in tags))
        elif target in OPT_IN_TARGETS:
            status = " ".join(raw.lower().split())
            if status in OPTED_IN or "consent" in status:
                row.opt_ins = (*row.opt_ins, OPT_IN_TARGETS[target])
            row.opt_in_status = "; ".join(filter(None, (row.opt_in_status, raw.strip()[:60])))
        elif target == "opt_in_date":
            row.opt_in_at = opt_in_moment(raw)
        elif target == "member_rating":
            rating = raw.strip()
            if rating not in {"1", "2", "3", "4", "5"}:
                raise InvalidValue("a member rating is a whole number from 1 to 5")
            row.tags = (*row.tags, f"Mailchimp rating {rating}")
        elif target == "branch":
            branch_id = self.plan.branches.get(raw.strip().lower())
            if branch_id is None:
                raise InvalidValue(f"no branch named {raw.strip()!r}")
            row.branch_id, row.branch_chosen = branch_id, True
        else:
            row.values[INDEX[target]] = self.clean(target, raw)

    def clean(self, target: str, raw: str) -> Any:
        if target == "email":
            value: Any = fast_email(raw)
        elif target == "phone":
            value = fast_phone(raw, self.plan.region)
        elif target in DATE_FIELDS:
            value = self._date(raw)
        else:
            return FIELDS[target].clean(raw, self.plan.region)  # raw is never blank here
        return clean_value(target, raw, self.plan.region) if value is None else value

    def _date(self, raw: str) -> dt.date | None:
        # contacts.fields' range rule, applied to the fast parse; anything else falls back.
        value = fast_date(raw)
        if value is None or value.year < 1900 or value > self.latest_date:
            return None
        return value
