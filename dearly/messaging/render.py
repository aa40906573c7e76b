"""Render a template version for one person: subject, HTML (CSS inlined) and plain text.

    render_version(version, context) -> Rendered(subject, html, text)

The context is built by dearly.messaging.context (primitives only). The version's
missing-data policy is applied first (dearly.messaging.missing), so a rendered message never
greets someone with a blank. Failures raise TemplateProblem (see dearly.messaging.compiling).
"""

import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import css_inline
from jinja2 import Template, UndefinedError
from jinja2.sandbox import SecurityError
from markupsafe import escape

from dearly.messaging.compiling import Compiled, TemplateProblem, compile_version
from dearly.messaging.missing import apply_missing_data_policy
from dearly.messaging.models import TemplateVersion
from dearly.messaging.sandbox import MAX_OUTPUT, NOT_ALLOWED, Refused, work_budget
from dearly.messaging.text import html_to_text, tidy

__all__ = ["Rendered", "TemplateProblem", "render_version"]

TEMPLATE_FILE = "<template>"
# Remote stylesheets are never fetched: rendering must not make network requests.
INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)
PREHEADER = (
    '<div style="display:none;max-height:0;overflow:hidden;mso-hide:all" aria-hidden="true">'
    "{}</div>"
)


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    html: str
    text: str


def render_version(version: TemplateVersion, context: dict[str, Any]) -> Rendered:
    context = apply_missing_data_policy(version, context)
    compiled = compile_version(version)
    with work_budget():
        subject = _one_line(render_part(compiled.subject, context, "Subject"))
        preheader = _one_line(render_part(compiled.preheader, context, "Preheader"))
        body = render_part(compiled.html, context, "HTML")
        text = _text(compiled, context, body)
    return Rendered(subject, finish_html(body, preheader), text)


def _text(compiled: Compiled, context: dict[str, Any], body: str) -> str:
    if compiled.text is not None:
        return render_part(compiled.text, context, "Plain text")
    if compiled.text_from_html is not None:
        return tidy(render_part(compiled.text_from_html, context, "Plain text"))
    return html_to_text(body)


def render_part(template: Template, context: dict[str, Any], part: str) -> str:
    size = 0
    chunks: list[str] = []
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise Refused("This renders to more text than an email can hold.")
            chunks.append(chunk)
    except Exception as e:  # every failure becomes a neutral message (see module docstring)
        raise TemplateProblem(_message(e), _line(e.__traceback__), part=part) from None
    return "".join(chunks)


def _message(e: Exception) -> str:
    if isinstance(e, Refused):
        return e.message
    if isinstance(e, UndefinedError | SecurityError):
        return e.message or NOT_ALLOWED
    if isinstance(e, RecursionError | MemoryError):
        return "This template is too complex to render."
    if isinstance(e, ZeroDivisionError):
        return "This divides by zero."
    return "This part of the template could not be worked out for this person."


def _line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _one_line(text: str) -> str:
    # A subject is a header: a newline in it could start a new header.
    return " ".join(text.split())


def finish_html(body: str, preheader: str) -> str:
    """Put the hidden preheader first in the body and inline the CSS."""
    hidden = PREHEADER.format(escape(preheader)) if preheader else ""
    match = re.search(r"<body[^>]*>", body, flags=re.IGNORECASE)
    html = body[: match.end()] + hidden + body[match.end() :] if match else hidden + body
    try:
        return INLINER.inline(html)
    except (css_inline.InlineError, ValueError):
        raise TemplateProblem("The CSS in this template cannot be inlined.", part="HTML") from None
