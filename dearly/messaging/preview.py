"""A preview of what one person would receive, for the editor: never raises for content."""

from dataclasses import dataclass, field
from typing import Any

from dearly.messaging.compiling import TemplateProblem
from dearly.messaging.fields import label
from dearly.messaging.missing import MissingPersonalData, missing_fields
from dearly.messaging.models import MissingDataPolicy, TemplateVersion
from dearly.messaging.render import Rendered, render_version


@dataclass(frozen=True, slots=True)
class Preview:
    rendered: Rendered | None = None
    problem: TemplateProblem | None = None
    held_reason: str = ""
    fallbacks_used: list[str] = field(default_factory=list)


def preview_version(version: TemplateVersion, context: dict[str, Any]) -> Preview:
    try:
        rendered = render_version(version, context)
    except TemplateProblem as e:
        return Preview(problem=e)
    except MissingPersonalData as e:
        return Preview(held_reason=e.reason)
    used = []
    if version.missing_data_policy == MissingDataPolicy.FALLBACK:
        used = sorted(label(f) for f in missing_fields(version, context["contact"]))
    return Preview(rendered=rendered, fallbacks_used=used)
