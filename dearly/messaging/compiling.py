"""Parse, check and compile the parts of a version; compiled versions are cached.

Every failure is a TemplateProblem: a message meant for the person who wrote the template,
the part it is in and, where known, the line. Never a traceback.
"""

from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Template, TemplateSyntaxError, nodes

from dearly.messaging.models import TemplateVersion
from dearly.messaging.sandbox import (
    FILTERS,
    MAX_SOURCE,
    Refused,
    bound_work,
    inspect_tree,
    make_environment,
)
from dearly.messaging.text import html_to_text

HTML_ENV = make_environment(html=True)
TEXT_ENV = make_environment(html=False)


class TemplateProblem(Exception):
    def __init__(self, message: str, line: int | None = None, *, part: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.part = part

    def __str__(self) -> str:
        where = f"{self.part} line {self.line}" if self.line else self.part
        return f"{self.message} ({where})" if where else self.message


@dataclass(frozen=True, slots=True)
class Compiled:
    subject: Template
    preheader: Template
    html: Template
    text: Template | None
    # The plain-text part made from the HTML source once, when none was written; None if that
    # source cannot be turned into a text template (the HTML is then converted per message).
    text_from_html: Template | None


def parse_part(source: str, *, html: bool, part: str) -> nodes.Template:
    """The checked syntax tree of one part; raises TemplateProblem."""
    if len(source) > MAX_SOURCE:
        raise TemplateProblem(f"This is longer than {MAX_SOURCE:,} characters.", part=part)
    env = HTML_ENV if html else TEXT_ENV
    try:
        tree = env.parse(source)
        inspect_tree(tree)
    except TemplateSyntaxError as e:
        raise TemplateProblem(_syntax_message(e), e.lineno, part=part) from None
    except Refused as e:
        raise TemplateProblem(e.message, e.line, part=part) from None
    except RecursionError:
        raise TemplateProblem("This is nested too deeply to read.", part=part) from None
    return tree


def compile_part(source: str, *, html: bool, part: str) -> Template:
    tree = bound_work(parse_part(source, html=html, part=part))
    env = HTML_ENV if html else TEXT_ENV
    try:
        return env.from_string(tree)  # type: ignore[arg-type]
    except TemplateSyntaxError as e:
        raise TemplateProblem(_syntax_message(e), e.lineno, part=part) from None
    except RecursionError:
        raise TemplateProblem("This is nested too deeply to read.", part=part) from None


def _syntax_message(e: TemplateSyntaxError) -> str:
    message = (e.message or "This could not be read.").strip()
    if message.startswith("No filter named"):
        return f"{message} Filters you can use: {', '.join(FILTERS)}."
    message = message.replace("Jinja was looking for", "It was looking for")
    return message[0].upper() + message[1:]


def compile_version(version: TemplateVersion) -> Compiled:
    return _compile(
        version.pk, version.subject, version.preheader, version.html_source, version.text_source
    )


@lru_cache(maxsize=256)
def _compile(pk: int | None, subject: str, preheader: str, html: str, text: str) -> Compiled:
    # Keyed by id and content: a version never changes, and unsaved drafts cache just as well.
    return Compiled(
        subject=compile_part(subject, html=False, part="Subject"),
        preheader=compile_part(preheader, html=False, part="Preheader"),
        html=compile_part(html, html=True, part="HTML"),
        text=compile_part(text, html=False, part="Plain text") if text.strip() else None,
        text_from_html=None if text.strip() else _text_from_html(html),
    )


def _text_from_html(html: str) -> Template | None:
    try:
        source = html_to_text(html, deferred_underlines=True)
        return compile_part(source, html=False, part="Plain text")
    except TemplateProblem:
        return None
