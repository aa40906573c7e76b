"""Audit events in people's words: what happened, to what, and each change as a sentence
("Changed the branch from York to Leeds"), never action codes, field keys or ids.

Core knows no app above it, so the apps' words are registered at start-up (web.apps):

1. `values(key, {code: label})`: a field's codes, e.g. "method": {"in_person": "Said in person"}.
2. `names(key, resolve)`: a field holding ids; `resolve(ids) -> {id: name}` runs once per page.
3. `subjects(subject_type, noun, resolve)`: an event's subject, by its public id, named; a type
   with no resolver shows its noun only. Ids appear only where a person needs one (an API key's
   prefix, which is what its holder sees).
4. A key "email/marketing" is a consent: "email for marketing", valued with the "consent" words.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, timezone

from dearly.core.models import AuditEvent

Resolve = Callable[[set[str]], dict[str, str]]

ACTIONS: dict[str, str] = {}
FIELDS: dict[str, str] = {}
VALUES: dict[str, dict[str, str]] = defaultdict(dict)
NAMES: dict[str, Resolve] = {}
SUBJECTS: dict[str, tuple[str, Resolve | None]] = {}
CONSENT = "consent"


def actions(labels: dict[str, str]) -> None:
    ACTIONS.update(labels)


def fields(labels: dict[str, str]) -> None:
    FIELDS.update(labels)


def values(key: str, labels: Iterable[tuple[str, str]] | dict[str, str]) -> None:
    VALUES[key].update(dict(labels))


def names(key: str, resolve: Resolve) -> None:
    NAMES[key] = resolve


def subjects(subject_type: str, noun: str, resolve: Resolve | None = None) -> None:
    SUBJECTS[subject_type] = (noun, resolve)


def action_label(action: str) -> str:
    """ "Consent granted"; an unknown action reads as "Thing: verb"."""
    if action in ACTIONS:
        return ACTIONS[action]
    subject, _, verb = action.partition(".")
    return f"{subject.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}"


def field_label(key: str) -> str:
    """A field as a noun in a sentence: "first name", "email for marketing"."""
    if key in FIELDS:
        return FIELDS[key]
    channel, slash, purpose = key.partition("/")
    if slash:
        return f"{_noun(word('channel', channel))} for {_noun(word('purpose', purpose))}"
    return key.removeprefix("custom.").removesuffix("_id").replace("_", " ").lower()


def _noun(label: str) -> str:
    """A label inside a sentence: "Email" becomes "email"; "SMS" stays."""
    return label if label.isupper() else label.lower()


def word(key: str, code: str) -> str:
    return VALUES.get(key, {}).get(code, code)


@dataclass(frozen=True, slots=True)
class Change:
    """One field: old is None when it was set, new is None when it was removed."""

    field: str
    old: str | None
    new: str | None

    @property
    def sentence(self) -> str:
        if self.old is not None and self.new is not None:
            return f"Changed the {self.field} from {self.old} to {self.new}"
        if self.new is not None:
            return f"{self.field[:1].upper()}{self.field[1:]}: {self.new}"
        return f"Removed the {self.field} (was {self.old})"


@dataclass(frozen=True, slots=True)
class Described:
    event: AuditEvent
    what: str
    subject: str  # "Campaign “Winter menu”", or the contact's name
    changes: list[Change]


class Words:
    """Reads a page of events and resolves every id in them with one query per kind."""

    def __init__(self, events: list[AuditEvent]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        subjects_wanted: dict[str, set[str]] = defaultdict(set)
        for event in events:
            for key, value in [*event.old.items(), *event.new.items()]:
                if key in NAMES:
                    wanted[key].update(str(v) for v in _items(value) if v not in (None, ""))
            if event.subject_type in SUBJECTS and event.subject_id:
                subjects_wanted[event.subject_type].add(event.subject_id)
        self.names = {key: NAMES[key](ids) for key, ids in wanted.items() if ids}
        self.subjects: dict[str, dict[str, str]] = {}
        for kind, ids in subjects_wanted.items():
            resolve = SUBJECTS[kind][1]
            self.subjects[kind] = resolve(ids) if resolve else {}

    def value(self, key: str, value: Any) -> str | None:
        """The value as a person reads it; None when there is nothing (blank, empty list)."""
        if value is None or value in ("", [], {}):
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(v for item in value if (v := self.value(key, item)) is not None)
        if isinstance(value, dict):
            return _plain(value)
        if key in self.names:
            return self.names[key].get(str(value), str(value))
        if isinstance(value, str) and (moment := _moment(value)):
            return moment
        family = CONSENT if "/" in key else key
        return word(family, str(value))

    def changes(self, event: AuditEvent) -> list[Change]:
        """One change per field named, in a stable order; fields empty before and after are
        left out (a creation lists what was filled in)."""
        found = []
        for key in dict.fromkeys([*event.old, *event.new]):
            if key == "redacted":
                continue
            old = self.value(key, event.old.get(key))
            new = self.value(key, event.new.get(key))
            if old is None and new is None:
                continue
            found.append(Change(field_label(key), old, new))
        return found

    def subject(self, event: AuditEvent) -> str:
        if event.contact_id is not None and event.contact is not None:
            return str(event.contact.display_name)
        noun, _ = SUBJECTS.get(event.subject_type, (event.subject_type.capitalize(), None))
        name = self.subjects.get(event.subject_type, {}).get(event.subject_id, "")
        if not name and event.subject_type in SUBJECTS_BY_ID:
            name = event.subject_id
        return f"{noun} “{name}”" if name else noun

    def describe(self, event: AuditEvent) -> Described:
        return Described(
            event=event,
            what=action_label(event.action),
            subject=self.subject(event),
            changes=self.changes(event),
        )


# Subjects whose id is itself a name people chose (a username, a custom field's key).
SUBJECTS_BY_ID = {"user", "custom_field"}


def _plain(value: Any) -> str:
    """A nested structure (a segment's rules, a rhythm's phases) as compact text: its keys
    are its own, not the audit log's fields, so no words are looked up."""
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return "—" if value is None or value == "" else str(value)


def _moment(value: str) -> str | None:
    """An ISO date or datetime as people write it: "14 Dec 2026" or "14 Dec 2026, 09:30"."""
    if len(value) < 10 or value[4:5] != "-" or value[7:8] != "-":
        return None
    try:
        if len(value) == 10:
            return dateformat.format(dt.date.fromisoformat(value), "j M Y")
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, "j M Y, H:i")


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def describe(events: Iterable[AuditEvent]) -> list[Described]:
    events = list(events)
    words = Words(events)
    return [words.describe(e) for e in events]
