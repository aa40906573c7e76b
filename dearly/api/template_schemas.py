"""The shapes of templates, versions and their checks in the API."""

import datetime as dt
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from dearly.messaging.models import (
    EmailTemplate,
    MessagePurpose,
    MissingDataPolicy,
    TemplateVersion,
)
from dearly.messaging.services import Draft

# The API's names for a version's parts, and the editor's names TemplateError blames.
PART_FIELDS = {"html_source": "html", "text_source": "text"}


class VersionIn(Schema):
    """The content of a version. Merge fields use the sandboxed template language, e.g.
    `{{ contact.first_name | default("there") }}`."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=300)
    html: str = Field(description="The HTML body; CSS is inlined when it is sent")
    text: str = Field("", description="The plain-text part; blank makes it from the HTML")
    preheader: str = Field("", max_length=300)
    fallbacks: dict[str, str] = Field(
        default_factory=dict,
        description='Friendly wording per merge field, e.g. {"contact.first_name": "there"}',
    )
    missing_data_policy: MissingDataPolicy = Field(
        MissingDataPolicy.FALLBACK,
        description="When a recipient lacks a field the template prints: use the fallback "
        "wording, or hold their message",
    )

    def to_draft(self) -> Draft:
        return Draft(
            subject=self.subject,
            html_source=self.html,
            text_source=self.text,
            preheader=self.preheader,
            fallbacks=self.fallbacks,
            missing_data_policy=self.missing_data_policy,
        )


class TemplateIn(VersionIn):
    name: str = Field(max_length=120)


class NewVersionIn(VersionIn):
    name: str | None = Field(None, max_length=120, description="Renames the template when given")


class VersionOut(Schema):
    number: int
    subject: str
    preheader: str
    html: str
    text: str = Field(description="Blank when the plain text is made from the HTML")
    fallbacks: dict[str, str]
    missing_data_policy: MissingDataPolicy
    created_at: dt.datetime

    @staticmethod
    def resolve_html(obj: TemplateVersion) -> str:
        return obj.html_source

    @staticmethod
    def resolve_text(obj: TemplateVersion) -> str:
        return obj.text_source


class TemplateSummary(Schema):
    id: UUID
    name: str
    archived: bool
    latest_version: int | None = Field(description="The number of the newest version")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_id(obj: EmailTemplate) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_latest_version(obj: EmailTemplate) -> int | None:
        return getattr(obj, "latest_number", None)


class TemplateOut(TemplateSummary):
    versions: list[VersionOut] = Field(description="Newest first; a version never changes")

    @staticmethod
    def resolve_versions(obj: EmailTemplate) -> list[object]:
        return list(obj.versions.order_by("-number"))


class TemplateList(Schema):
    items: list[TemplateSummary]


class CheckOut(Schema):
    level: str = Field(description='"error" blocks sending; "warning" does not')
    code: str
    message: str
    where: str


class ChecksOut(Schema):
    version: int
    purpose: MessagePurpose
    blocking: bool
    checks: list[CheckOut]


class ListQuery(Schema):
    archived: bool = Field(False, description="List archived templates instead")


class ChecksQuery(Schema):
    purpose: MessagePurpose = Field(description="The kind of message it will be sent as")
    version: int | None = Field(None, ge=1, description="A version number; default the newest")
