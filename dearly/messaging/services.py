"""The write path for templates: create, save a new version, archive. Views and API call these.

Saving never changes an existing version: it appends version N+1, numbered under a row lock
on the template so two editors saving at once get N+1 and N+2, never the same number.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.messaging.compiling import TemplateProblem, parse_part
from dearly.messaging.missing import fields_needing_data, fields_without_wording
from dearly.messaging.models import EmailTemplate, MissingDataPolicy, TemplateVersion


class TemplateError(ValueError):
    """A save that was refused; `field` names the editor field to blame, `line` the line."""

    def __init__(self, message: str, *, field: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line


@dataclass(frozen=True, slots=True)
class Draft:
    """What the editor holds: the content of a version not yet saved."""

    subject: str
    html_source: str
    preheader: str = ""
    text_source: str = ""
    fallbacks: dict[str, str] = field(default_factory=dict)
    missing_data_policy: str = MissingDataPolicy.FALLBACK

    def as_version(self, template: EmailTemplate | None = None) -> TemplateVersion:
        """An unsaved version, for previews and checks of what is in the editor."""
        return TemplateVersion(
            template=template,
            number=0,
            subject=self.subject,
            preheader=self.preheader,
            html_source=self.html_source,
            text_source=self.text_source,
            fallbacks={k: v.strip() for k, v in self.fallbacks.items() if v and v.strip()},
            missing_data_policy=self.missing_data_policy,
        )


PARTS = (
    ("subject", "Subject", False),
    ("preheader", "Preheader", False),
    ("html_source", "HTML", True),
    ("text_source", "Plain text", False),
)


def validate_draft(draft: Draft) -> TemplateVersion:
    if not draft.subject.strip():
        raise TemplateError("Write a subject line.", field="subject")
    if not draft.html_source.strip():
        raise TemplateError("Write the email's HTML.", field="html_source")
    for name, part, html in PARTS:
        try:
            parse_part(getattr(draft, name), html=html, part=part)
        except TemplateProblem as e:
            raise TemplateError(e.message, field=name, line=e.line) from None
    version = draft.as_version()
    if version.missing_data_policy == MissingDataPolicy.FALLBACK:
        lacking = fields_without_wording(fields_needing_data(version), version.fallbacks)
        if lacking:
            raise TemplateError(
                "Write the friendly wording for: " + ", ".join(lacking), field="fallbacks"
            )
    return version


def create_template(*, actor: Actor, name: str, draft: Draft) -> TemplateVersion:
    validate_draft(draft)
    with transaction.atomic():
        template = EmailTemplate.objects.create(name=_name(name), created_by_id=actor.user_id)
        record_event(actor=actor, action="template.created", subject=template, new={"name": name})
        return _append_version(actor=actor, template=template, draft=draft)


def save_version(
    *, actor: Actor, template: EmailTemplate, name: str, draft: Draft
) -> TemplateVersion:
    validate_draft(draft)
    with transaction.atomic():
        locked = EmailTemplate.objects.select_for_update().get(pk=template.pk)
        if locked.name != _name(name):
            old = locked.name
            locked.name = _name(name)
            record_event(
                actor=actor,
                action="template.renamed",
                subject=locked,
                old={"name": old},
                new={"name": locked.name},
            )
        locked.save(update_fields=["name", "updated_at"])
        return _append_version(actor=actor, template=locked, draft=draft)


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise TemplateError("Give the template a name.", field="name")
    return name[:120]


def _append_version(*, actor: Actor, template: EmailTemplate, draft: Draft) -> TemplateVersion:
    latest = template.versions.aggregate(n=Max("number"))["n"] or 0
    version = draft.as_version(template)
    version.number = latest + 1
    version.created_by_id = actor.user_id
    version.save()
    record_event(
        actor=actor,
        action="template.version_saved",
        subject=template,
        new={"version": version.number, "subject": version.subject},
    )
    return version


def set_archived(*, actor: Actor, template: EmailTemplate, archived: bool) -> None:
    if template.archived == archived:
        return
    template.archived = archived
    template.save(update_fields=["archived", "updated_at"])
    action = "template.archived" if archived else "template.restored"
    record_event(actor=actor, action=action, subject=template)
