"""What a segment condition may say: the fields, their operators, and the kind of value each takes.

A field has a `kind` (text, yearly date, moment, tag, …); the kind decides its operators, and each
operator decides its value kind. Custom fields join from their CustomField definitions, so a
segment on "Favourite colour is Blue" offers exactly the operators a choice field allows.
"""

from dataclasses import dataclass, field

from dearly.branches.models import Branch
from dearly.contacts.models import Channel, CustomField, FieldType, Lifecycle, Purpose

MAX_DEPTH = 3
MAX_DAYS = 366
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True, slots=True)
class Operator:
    label: str
    value: str  # none, text, days, date, number, choice, choices, branch, tag, tags, consent


OPERATORS: dict[str, Operator] = {
    "is": Operator("is", "text"),
    "is_not": Operator("is not", "text"),
    "contains": Operator("contains", "text"),
    "starts_with": Operator("starts with", "text"),
    "is_blank": Operator("is blank", "none"),
    "is_not_blank": Operator("is not blank", "none"),
    "in": Operator("is one of", "choices"),
    "has": Operator("has", "tag"),
    "has_not": Operator("does not have", "tag"),
    "any_of": Operator("has any of", "tags"),
    "all_of": Operator("has all of", "tags"),
    "granted": Operator("has granted", "consent"),
    "not_granted": Operator("has not granted", "consent"),
    "in_next_days": Operator("is in the next", "days"),
    "today": Operator("is today", "none"),
    "before": Operator("is before", "date"),
    "after": Operator("is after", "date"),
    "in_last_days": Operator("is in the last", "days"),
    "more_than_days_ago": Operator("is more than", "days"),
    "eq": Operator("=", "number"),
    "ne": Operator("≠", "number"),
    "gt": Operator(">", "number"),
    "gte": Operator("≥", "number"),
    "lt": Operator("<", "number"),
    "lte": Operator("≤", "number"),
    "is_true": Operator("yes", "none"),
    "is_false": Operator("no", "none"),
}

TEXT = ("is", "is_not", "contains", "starts_with", "is_blank", "is_not_blank")
KIND_OPERATORS: dict[str, tuple[str, ...]] = {
    "text": TEXT,
    "lifecycle": ("is", "is_not", "in"),
    "branch": ("is", "is_not"),
    "tag": ("has", "has_not", "any_of", "all_of"),
    "consent": ("granted", "not_granted"),
    "yearly": ("in_next_days", "today", "is_blank", "is_not_blank"),
    "moment": ("before", "after", "in_last_days", "more_than_days_ago"),
    "presence": ("is_true", "is_false"),
    "custom_text": TEXT,
    "custom_number": ("eq", "ne", "gt", "gte", "lt", "lte", "is_blank", "is_not_blank"),
    "custom_date": ("is", "before", "after", "is_blank", "is_not_blank"),
    "custom_boolean": ("is_true", "is_false", "is_blank"),
    "custom_choice": ("is", "is_not", "in", "is_blank", "is_not_blank"),
}
# Operators whose value kind depends on the field rather than the operator.
VALUE_BY_KIND: dict[str, dict[str, str]] = {
    "lifecycle": {"is": "choice", "is_not": "choice"},
    "branch": {"is": "branch", "is_not": "branch"},
    "custom_date": {"is": "date"},
    "custom_choice": {"is": "choice", "is_not": "choice"},
}


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    kind: str
    group: str
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def operators(self) -> tuple[str, ...]:
        return KIND_OPERATORS[self.kind]

    def value_kind(self, op: str) -> str:
        return VALUE_BY_KIND.get(self.kind, {}).get(op) or OPERATORS[op].value


def _text(key: str, label: str) -> Field:
    return Field(key, label, "text", "Details")


BUILT_IN: tuple[Field, ...] = (
    _text("first_name", "First name"),
    _text("last_name", "Last name"),
    _text("preferred_name", "Preferred name"),
    _text("email", "Email"),
    _text("email_domain", "Email domain"),
    _text("town", "Town"),
    _text("postcode", "Postcode"),
    _text("country", "Country"),
    _text("language", "Language"),
    _text("source", "Source"),
    Field("has_email", "Has an email address", "presence", "Details"),
    Field("has_phone", "Has a phone number", "presence", "Details"),
    Field(
        "lifecycle_stage", "Lifecycle stage", "lifecycle", "Relationship", tuple(Lifecycle.choices)
    ),
    Field("branch", "Branch", "branch", "Relationship"),
    Field("tag", "Tag", "tag", "Relationship"),
    Field("consent", "Consent", "consent", "Relationship"),
    Field("birthday", "Birthday", "yearly", "Dates"),
    Field("anniversary", "Anniversary", "yearly", "Dates"),
    Field("created_at", "Added", "moment", "Dates"),
    Field("lifecycle_changed_at", "Stage last changed", "moment", "Dates"),
    Field("customer_since", "Customer since", "moment", "Dates"),
)

CUSTOM_KINDS = {
    FieldType.TEXT: "custom_text",
    FieldType.NUMBER: "custom_number",
    FieldType.DATE: "custom_date",
    FieldType.BOOLEAN: "custom_boolean",
    FieldType.CHOICE: "custom_choice",
}
CHANNELS = tuple(Channel.choices)
PURPOSES = tuple(Purpose.choices)


def custom_field(definition: CustomField) -> Field:
    choices = tuple((str(c), str(c)) for c in definition.choices or ())
    return Field(
        CUSTOM_PREFIX + definition.key,
        definition.label,
        CUSTOM_KINDS[FieldType(definition.field_type)],
        "Custom fields",
        choices,
    )


@dataclass(frozen=True, slots=True)
class Schema:
    """The fields a rule may use today, and the branches it may name: loaded in two queries."""

    fields: dict[str, Field]
    branches: tuple[tuple[int, str], ...] = field(default=())

    @classmethod
    def load(cls) -> "Schema":
        fields = {f.key: f for f in BUILT_IN}
        fields.update((f.key, f) for f in map(custom_field, CustomField.objects.all()))
        branches = tuple(Branch.objects.order_by("name").values_list("pk", "name"))
        return cls(fields=fields, branches=branches)

    @property
    def branch_ids(self) -> set[int]:
        return {pk for pk, _ in self.branches}
