"""Which column feeds which contact field: suggested from the headers, checked before a run."""

import re
from collections import Counter

from dearly.contacts.fields import FIELDS

EXTRA_TARGETS = {
    "tags": "Tags",
    "branch": "Branch",
    "email_opt_in": "Email marketing opt-in (the other tool's status)",
    "sms_opt_in": "SMS marketing opt-in (the other tool's status)",
    "opt_in_date": "When they opted in",
    "member_rating": "Mailchimp member rating (kept as a tag)",
}
OPT_IN_TARGETS = frozenset({"email_opt_in", "sms_opt_in"})
EXTRA_ALIASES = {"tags": ("tag", "labels", "groups"), "branch": ("store", "shop", "location")}


def targets() -> list[tuple[str, str]]:
    """(value, label) for every field a column can feed, in form order."""
    return [(name, spec.label) for name, spec in FIELDS.items()] + list(EXTRA_TARGETS.items())


def _key(text: str) -> str:
    # "E-mail", "e.mail" and "email" are one name; "first_name" and "First Name" too.
    return re.sub(r"[\s_]+", " ", re.sub(r"[\-.]", "", text.strip().lower())).strip()


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for alias in (name, spec.label, *spec.aliases):
            index.setdefault(_key(alias), name)
    for name, aliases in EXTRA_ALIASES.items():
        for alias in (name, *aliases):
            index.setdefault(_key(alias), name)
    return index


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Each header mapped to the field its name or alias matches; a field is used once."""
    index = _alias_index()
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for header in headers:
        target = index.get(_key(header), "")
        if target in used:
            target = ""
        mapping[header] = target
        used.add(target)
    return mapping


def parse_map_options(
    options: list[str], headers: list[str], base: dict[str, str] | None = None
) -> dict[str, str]:
    """`--map "Column Name=field"` pairs on top of the suggestion (or of `base`, a
    recognised export's mapping); raises ValueError."""
    mapping = dict(base) if base is not None else suggest_mapping(headers)
    by_lower = {h.lower(): h for h in headers}
    for option in options:
        column, sep, target = option.rpartition("=")
        header = by_lower.get(column.strip().lower())
        if not sep or header is None:
            raise ValueError(f"--map {option!r}: no column named {column.strip()!r}")
        mapping[header] = target.strip() if target.strip() != "ignore" else ""
    return mapping


def mapping_errors(mapping: dict[str, str]) -> list[str]:
    """Why this mapping cannot run, if it cannot."""
    labels = dict(targets())
    errors = [f"'{t}' is not a contact field" for t in mapping.values() if t and t not in labels]
    chosen = Counter(t for t in mapping.values() if t in labels)
    errors += [f"Two columns feed “{labels[t]}”" for t in sorted(chosen) if chosen[t] > 1]
    if not {"email", "phone"} & set(chosen):
        errors.append("Map an email or a phone column: they are how contacts are recognised.")
    return errors
