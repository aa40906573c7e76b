"""Reading the wizard's form into the options services.configure takes; no rules here."""

from typing import Any

from django.http import QueryDict

from dearly.contacts.models import Channel, Purpose
from dearly.imports.models import ImportJob

GRANT_CHOICES = [
    (f"{c}:{p}", f"{cl} — {pl}")
    for c, cl in Channel.choices
    if c in ("email", "sms", "post")
    for p, pl in Purpose.choices
]


def options_from_post(job: ImportJob, data: QueryDict) -> dict[str, Any]:
    mapping = {h: data.get(f"map-{i}", "") for i, h in enumerate(job.headers)}
    consent = data.get("consent", "none")
    grants = [g.split(":", 1) for g in data.getlist("grants")] if consent == "grant" else []
    branch = data.get("default_branch", "")
    return {
        "mapping": mapping,
        "grants": grants,
        # Kept even without a grant to every row: opt-in columns need the same evidence.
        "consent_wording": data.get("consent_wording", "").strip(),
        "consent_source": data.get("consent_source", "").strip(),
        "existing": data.get("existing", "update-blanks"),
        "duplicates": data.get("duplicates", "later"),
        "default_branch_id": int(branch) if branch.isdigit() else None,
    }
