"""The contact form: every field, checked by the shared cleaners, turned into ContactChanges."""

import re
from types import EllipsisType
from typing import Any

from django import forms
from django.db.models import QuerySet

from dearly.branches.models import Branch
from dearly.contacts import custom_fields
from dearly.contacts.fields import FIELDS, clean_edited_values, clean_values
from dearly.contacts.forms.filters import business_region
from dearly.contacts.models import (
    Contact,
    ContactPoint,
    CustomField,
    FieldType,
    Lifecycle,
    PointKind,
)
from dearly.contacts.services import ContactChanges
from dearly.core.models import Membership
from dearly.core.normalize import InvalidValue, normalize_email, normalize_phone
from dearly.core.textforms import TextCheckedForm

# "work: ada@example.com" — a label, a colon and a space; "https://…" has no space, so no label.
LABELLED = re.compile(r"^(?P<label>[^:]{1,40}):\s+(?P<value>.+)$")
POINT_FIELDS = {
    "other_emails": PointKind.EMAIL,
    "other_phones": PointKind.PHONE,
    "social_handles": PointKind.SOCIAL,
}


def _text_widget(name: str) -> forms.Widget:
    if name in {"birthday", "anniversary"}:
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if name == "email":
        return forms.EmailInput(attrs={"autocomplete": "off"})
    if name == "phone":
        return forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})
    if name == "notes":
        return forms.Textarea(attrs={"rows": 3})
    if name in {"latitude", "longitude"}:
        return forms.TextInput(attrs={"inputmode": "decimal"})
    return forms.TextInput()


HELP = {
    "phone": "A national number is read as the business's country; abroad, start with +.",
    "country": "Two letters, e.g. GB, FR, IE.",
    "time_zone": "e.g. Europe/London",
    "language": "e.g. en, fr-CA",
}


def _point_lines(
    raw: str, kind: str, region: str, stored: str = ""
) -> tuple[list[tuple[str, str, str]], str, str]:
    """The points on each line, an error for new bad lines, a warning for stored ones: a
    line kept exactly as it was stored is kept, whatever today's rules say of it."""
    points, bad, kept = [], [], []
    unchanged = {ln.strip() for ln in stored.splitlines()}
    for line in filter(None, (ln.strip() for ln in raw.splitlines())):
        match = LABELLED.match(line)
        label, value = (match["label"].strip(), match["value"].strip()) if match else ("", line)
        try:
            points.append((kind, label, _point_value(kind, value, region)))
        except InvalidValue as exc:
            if line in unchanged:
                points.append((kind, label, value))
                kept.append(f"{line}: {exc}")
            else:
                bad.append(f"{line}: {exc}")
    return points, "; ".join(bad), "; ".join(kept)


def _point_value(kind: str, value: str, region: str) -> str:
    if kind == PointKind.EMAIL:
        return normalize_email(value)
    if kind == PointKind.PHONE:
        return normalize_phone(value, region)
    if len(value) > 254:
        raise InvalidValue("longer than 254 characters")
    return value


def _household(raw: str) -> tuple[dict[str, str], str]:
    facts: dict[str, str] = {}
    for line in filter(None, (ln.strip() for ln in raw.splitlines())):
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or not value.strip():
            return facts, f'"{line}": write each fact as "what: value"'
        if len(key) > 60 or len(value) > 200:
            return facts, f'"{line}": too long'
        facts[key.strip()] = value.strip()
    return facts, ""


def _lines(points: QuerySet[ContactPoint], kind: str) -> str:
    return "\n".join(
        f"{p.label}: {p.value}" if p.label else p.value for p in points if p.kind == kind
    )


class ContactForm(TextCheckedForm):
    """Every field of a contact. `clean()` runs the shared cleaners and reports per field."""

    lifecycle_reason = forms.CharField(
        label="Reason for the stage change",
        required=False,
        max_length=200,
        help_text="Only kept when the stage changes, e.g. “first order”.",
    )
    branch = forms.ChoiceField(label="Branch", required=False)
    tags = forms.CharField(
        label="Tags", required=False, help_text="Separate tags with commas: regulars, vegan"
    )
    household = forms.CharField(
        label="Household",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One fact a line, e.g. “Children's ages: 4, 7”.",
    )
    other_emails = forms.CharField(
        label="Other emails",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line; a label first if you like: “work: ada@example.com”.",
    )
    other_phones = forms.CharField(
        label="Other phones",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, e.g. “landline: 0113 496 0000”.",
    )
    social_handles = forms.CharField(
        label="Social handles",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line: “instagram: @ada”.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        member: Membership,
        contact: Contact | None = None,
        definitions: list[CustomField],
    ) -> None:
        super().__init__(data, initial=self._initial(contact, definitions))
        self.member, self.contact, self.definitions = member, contact, definitions
        self.region = business_region()
        self.changes: ContactChanges | None = None
        # Stored values today's rules refuse, kept as they are: {field: problem}.
        self.warnings: dict[str, str] = {} if data is not None else self._stored_problems()
        self._add_contact_fields()
        self._add_branch_choices()
        for field in definitions:
            self.fields[custom_fields.PREFIX + field.key] = self._custom_field(field)

    def _custom_field(self, field: CustomField) -> forms.Field:
        """The field's input; a stored choice since removed from the list is still offered,
        so leaving it alone keeps it instead of silently clearing it."""
        form_field = custom_fields.form_field(field)
        stored = self.contact.custom_fields.get(field.key) if self.contact else None
        if field.field_type == FieldType.CHOICE and stored not in (None, *field.choices):
            extra = (str(stored), f"{stored} (no longer a choice)")
            form_field.choices = [*form_field.choices, extra]  # type: ignore[attr-defined]
        return form_field

    def _add_contact_fields(self) -> None:
        for name, spec in FIELDS.items():
            if name == "lifecycle_stage":
                field: forms.Field = forms.ChoiceField(
                    label=spec.label, choices=Lifecycle.choices, initial=Lifecycle.LEAD
                )
            else:
                field = forms.CharField(
                    label=spec.label,
                    required=False,
                    widget=_text_widget(name),
                    help_text=HELP.get(name, ""),
                )
            self.fields[name] = field

    def _add_branch_choices(self) -> None:
        if not self.member.sees_all_branches:
            del self.fields["branch"]
            return
        current = self.contact.branch if self.contact else None
        automatic = f"Nearest branch (now {current})" if current else "Nearest branch"
        choices = [("", automatic), *((str(b.pk), b.name) for b in Branch.objects.all())]
        self.fields["branch"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def _initial(contact: Contact | None, definitions: list[CustomField]) -> dict[str, Any]:
        if contact is None:
            return {"lifecycle_stage": Lifecycle.LEAD}
        initial: dict[str, Any] = {
            name: "" if getattr(contact, name) is None else getattr(contact, name)
            for name in FIELDS
        }
        initial["branch"] = str(contact.branch_id) if contact.branch_chosen else ""
        initial["tags"] = ", ".join(t.name for t in contact.tags.all())
        initial["household"] = "\n".join(f"{k}: {v}" for k, v in contact.household.items())
        points = contact.points.all()
        for name, kind in POINT_FIELDS.items():
            initial[name] = _lines(points, kind)
        for field in definitions:
            stored = contact.custom_fields.get(field.key)
            initial[custom_fields.PREFIX + field.key] = custom_fields.initial_value(field, stored)
        return initial

    def _unchanged(self, data: dict[str, Any], name: str) -> bool:
        """Whether a stored field came back exactly as the form showed it."""
        if self.contact is None:
            return False
        shown = self.initial.get(name)
        return str(data.get(name) or "").strip() == str(shown or "").strip()

    def warning_lines(self) -> list[tuple[str, str]]:
        """(field label, problem) for each stored value kept although it is not valid."""
        return [(str(self.fields[name].label), text) for name, text in self.warnings.items()]

    def _stored_problems(self) -> dict[str, str]:
        if self.contact is None:
            return {}
        stored = {name: self.initial.get(name) for name in FIELDS}
        return clean_values(stored, self._region(stored.get("country")))[1]

    def _region(self, country: Any) -> str:
        code = str(country or "").strip().upper()
        return code if len(code) == 2 else self.region

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = self._region(data.get("country"))
        stored = {n: self.initial.get(n) for n in FIELDS} if self.contact else {}
        values, errors, self.warnings = clean_edited_values(
            {name: data.get(name, "") for name in FIELDS}, region, stored=stored
        )
        custom, custom_errors = custom_fields.clean_custom_values(
            self.definitions,
            {f.key: data.get(custom_fields.PREFIX + f.key) for f in self.definitions},
        )
        stored_custom = self.contact.custom_fields if self.contact else {}
        for key in list(custom_errors):
            if key in stored_custom and self._unchanged(data, custom_fields.PREFIX + key):
                custom[key] = stored_custom[key]
                self.warnings[custom_fields.PREFIX + key] = custom_errors.pop(key)
        errors |= {custom_fields.PREFIX + key: msg for key, msg in custom_errors.items()}
        household, errors["household"] = _household(data.get("household", ""))
        if errors["household"] and self._unchanged(data, "household"):
            household = dict(self.contact.household)  # type: ignore[union-attr]
            self.warnings["household"], errors["household"] = errors["household"], ""
        points: list[tuple[str, str, str]] = []
        for name, kind in POINT_FIELDS.items():
            stored_lines = self.initial.get(name, "") if self.contact else ""
            found, errors[name], kept = _point_lines(data.get(name, ""), kind, region, stored_lines)
            points += found
            if kept:
                self.warnings[name] = kept
        for name, message in errors.items():
            if message:
                self.add_error(name, message)
        if not self.errors:
            self.changes = self._changes(data, values, household, custom, points)
        return data

    def _changes(
        self,
        data: dict[str, Any],
        values: dict[str, Any],
        household: dict[str, str],
        custom: dict[str, Any],
        points: list[tuple[str, str, str]],
    ) -> ContactChanges:
        branch, chosen = self._branch(data.get("branch", ""))
        tags = [t.strip() for t in data.get("tags", "").split(",") if t.strip()]
        return ContactChanges(
            values=values,
            branch=branch,
            branch_chosen=chosen,
            lifecycle_reason=data.get("lifecycle_reason", ""),
            tags=tags,
            household=household,
            custom_fields=custom,
            points=points,
        )

    def _branch(self, raw: str) -> tuple[Branch | EllipsisType | None, bool | None]:
        """Branch staff always keep contacts in their own branch; others pick or leave it."""
        if not self.member.sees_all_branches:
            return (self.member.branch, True) if self.contact is None else (..., None)
        if raw:
            return Branch.objects.get(pk=raw), True
        if self.contact is None:
            return None, False
        return ..., False
