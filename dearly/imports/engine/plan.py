"""What one run of an import was asked to do: a small frozen object that crosses processes."""

from dataclasses import dataclass, field

from dearly.contacts.fields import FIELDS

# Contact fields in the order rows carry them between validation and writing.
FIELD_ORDER: tuple[str, ...] = tuple(FIELDS)


@dataclass(frozen=True)
class Plan:
    headers: tuple[str, ...]
    mapping: dict[str, str]  # header -> field | "tags" | "branch" | ""
    region: str
    existing: str = "update-blanks"
    grants: tuple[tuple[str, str], ...] = ()
    wording: str = ""
    consent_source: str = ""
    file_name: str = ""
    default_branch_id: int | None = None
    branches: dict[str, int] = field(default_factory=dict)  # lower-cased name -> id
    branch_names: dict[int, str] = field(default_factory=dict)  # id -> name, for people
    suppress_reason: str = ""  # every address in the file goes on the suppression list
    duplicates: str = "later"  # a person's repeated rows: "later" values win, or "first"

    def columns(self) -> list[tuple[int, str, str]]:
        """(position, header, target) of every mapped column."""
        return [
            (i, header, self.mapping[header])
            for i, header in enumerate(self.headers)
            if self.mapping.get(header)
        ]
