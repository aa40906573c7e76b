"""No "Dear Sir or Madam": what happens when a recipient lacks data the template prints.

1. From the syntax tree, find the contact fields a version prints without a fallback
   (dearly.messaging.analysis.needs_data).
2. For one recipient, `missing_fields` says which of those are empty for them.
3. The version's policy decides: HOLD raises MissingPersonalData with a readable reason
   ("missing first name"), which the delivery layer stores on the held message; FALLBACK puts
   the owner's friendly wording in place. A fallback policy without wording for a field is
   refused when the version is saved, and treated as HOLD here, so a blank is never sent.
4. For a whole audience, `audience_gaps` counts the gaps in one aggregate query.
"""

from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet

from dearly.contacts.models import Contact
from dearly.messaging.analysis import needs_data
from dearly.messaging.compiling import parse_part
from dearly.messaging.fields import label
from dearly.messaging.models import MissingDataPolicy, TemplateVersion
from dearly.messaging.sandbox import is_missing


class MissingPersonalData(Exception):
    def __init__(self, fields: set[str]) -> None:
        self.fields = frozenset(fields)
        self.reason = hold_reason(fields)
        super().__init__(self.reason)


def hold_reason(fields: set[str] | frozenset[str]) -> str:
    """'missing first name', 'missing first name and town'."""
    names = sorted(label(f) for f in fields)
    if len(names) > 1:
        return "missing " + ", ".join(names[:-1]) + " and " + names[-1]
    return "missing " + "".join(names)


def fields_needing_data(version: TemplateVersion) -> frozenset[str]:
    return _needs(version.subject, version.preheader, version.html_source, version.text_source)


@lru_cache(maxsize=256)
def _needs(subject: str, preheader: str, html: str, text: str) -> frozenset[str]:
    parts = [(subject, False, "Subject"), (preheader, False, "Preheader"), (html, True, "HTML")]
    if text.strip():
        parts.append((text, False, "Plain text"))
    found: set[str] = set()
    for source, is_html, part in parts:
        found |= needs_data(parse_part(source, html=is_html, part=part))
    return frozenset(found)


def missing_fields(version: TemplateVersion, contact_context: dict[str, Any]) -> set[str]:
    """The fields this version prints that this contact (the `contact` dict) lacks."""
    return {
        f
        for f in fields_needing_data(version)
        if _present(contact_context, f) and is_missing(_lookup(contact_context, f))
    }


def fields_without_wording(
    fields: frozenset[str] | set[str], fallbacks: dict[str, str]
) -> list[str]:
    return sorted(f for f in fields if not str(fallbacks.get(f) or "").strip())


def apply_missing_data_policy(version: TemplateVersion, context: dict[str, Any]) -> dict[str, Any]:
    missing = missing_fields(version, context["contact"])
    if not missing:
        return context
    if version.missing_data_policy == MissingDataPolicy.HOLD:
        raise MissingPersonalData(missing)
    if fields_without_wording(missing, version.fallbacks):
        raise MissingPersonalData(missing)
    contact = _deep_copy(context["contact"])
    for field in missing:
        _assign(contact, field, version.fallbacks[field].strip())
    return {**context, "contact": contact}


def _path(field: str) -> list[str]:
    return field.split(".")[1:]  # "contact.custom.x" -> ["custom", "x"]


def _lookup(contact: dict[str, Any], field: str) -> Any:
    value: Any = contact
    for key in _path(field):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _present(contact: dict[str, Any], field: str) -> bool:
    """Known to the context (if empty) rather than unknown: unknown fields are an error."""
    *parents, last = _path(field)
    target: Any = contact
    for key in parents:
        target = target.get(key) if isinstance(target, dict) else None
    return isinstance(target, dict) and last in target


def _assign(contact: dict[str, Any], field: str, wording: str) -> None:
    *parents, last = _path(field)
    target = contact
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = wording


def _deep_copy(value: dict[str, Any]) -> dict[str, Any]:
    return {k: _deep_copy(v) if isinstance(v, dict) else v for k, v in value.items()}


BLANK_TEXT = {
    "first_name",
    "last_name",
    "preferred_name",
    "town",
    "postcode",
    "country",
    "language",
}


def _empty(field: str) -> Q | None:
    """The condition under which a contact lacks `field`, as the database sees it."""
    path = _path(field)
    if path[0] in BLANK_TEXT:
        return Q(**{path[0]: ""})
    if path[0] == "name":
        return Q(preferred_name="", first_name="")
    if path[0] == "email":
        return Q(email__isnull=True) | Q(email="")
    if path[0] in ("birthday", "anniversary"):
        return Q(**{f"{path[0]}__isnull": True})
    if path[0] == "custom" and len(path) == 2:
        key = f"custom_fields__{path[1]}"
        has_key = Q(custom_fields__has_key=path[1])
        return ~has_key | Q(**{key: ""}) | Q(**{key: None})
    return None


def audience_gaps(version: TemplateVersion, contacts: QuerySet[Contact]) -> dict[str, int]:
    """{"contact.first_name": 37, …}: how many of these contacts lack each needed field."""
    conditions = {f: q for f in sorted(fields_needing_data(version)) if (q := _empty(f))}
    if not conditions:
        return {}
    aliases = {f"gap_{i}": field for i, field in enumerate(conditions)}
    counts = contacts.aggregate(
        **{alias: Count("pk", filter=conditions[field]) for alias, field in aliases.items()}
    )
    return {field: counts[alias] or 0 for alias, field in aliases.items()}
