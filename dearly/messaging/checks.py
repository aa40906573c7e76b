"""Checks before sending: what the review step shows as blocking errors or warnings.

    check_version(version, *, purpose) -> [Check(level, code, message, where)]

Most checks read the template itself; links and images are checked in the HTML as rendered
for a sample person, so merge fields inside links are resolved the way a recipient sees them.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from jinja2 import nodes

from dearly.core.queries import get_business
from dearly.messaging import analysis
from dearly.messaging.compiling import TemplateProblem, compile_version, parse_part
from dearly.messaging.context import SAMPLE_LINKS, custom_keys, sample_context
from dearly.messaging.fields import POSTAL_ADDRESS, UNSUBSCRIBE
from dearly.messaging.missing import fields_needing_data, fields_without_wording
from dearly.messaging.models import MessagePurpose, MissingDataPolicy, TemplateVersion
from dearly.messaging.render import render_part
from dearly.messaging.sandbox import work_budget

ERROR, WARNING = "error", "warning"
MARKETING = {MessagePurpose.INFORMATIONAL, MessagePurpose.PROMOTIONAL}
SUBJECT_MAX = 60
PLACEHOLDER_HOSTS = {"example.com", "example.org", "example.net"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
Trees = dict[str, nodes.Template]


@dataclass(frozen=True, slots=True)
class Check:
    level: str
    code: str
    message: str
    where: str = ""


def check_version(version: TemplateVersion, *, purpose: str) -> list[Check]:
    checks, trees = _syntax(version)
    checks += _unknown_fields(trees)
    checks += _subject_and_preheader(version)
    checks += _missing_data(version, trees)
    checks += _unsubscribe(version, trees, purpose)
    checks += _postal_address(trees, purpose)
    if not any(c.code in {"syntax", "unknown_field"} for c in checks):
        checks += _links_and_images(version)
    return sorted(checks, key=lambda c: c.level != ERROR)


def is_blocking(checks: list[Check]) -> bool:
    return any(c.level == ERROR for c in checks)


def _parts(version: TemplateVersion) -> list[tuple[str, str, bool]]:
    parts = [("Subject", version.subject, False), ("Preheader", version.preheader, False)]
    parts.append(("HTML", version.html_source, True))
    if version.text_source.strip():
        parts.append(("Plain text", version.text_source, False))
    return parts


def _syntax(version: TemplateVersion) -> tuple[list[Check], Trees]:
    checks: list[Check] = []
    trees: Trees = {}
    for part, source, html in _parts(version):
        try:
            trees[part] = parse_part(source, html=html, part=part)
        except TemplateProblem as e:
            checks.append(Check(ERROR, "syntax", e.message, _where(part, e.line)))
    return checks, trees


def _where(part: str, line: int | None) -> str:
    return f"{part}, line {line}" if line else part


def _unknown_fields(trees: Trees) -> list[Check]:
    keys = custom_keys()
    return [
        Check(ERROR, "unknown_field", f"Unknown merge field “{u.field}”.", _where(part, u.line))
        for part, tree in trees.items()
        for u in analysis.unknown_fields(tree, keys)
    ]


def _uses(trees: Trees, field: str, parts: tuple[str, ...]) -> bool:
    return any(
        use.field == field for part in parts if part in trees for use in analysis.uses(trees[part])
    )


def _subject_and_preheader(version: TemplateVersion) -> list[Check]:
    subject, preheader = version.subject.strip(), version.preheader.strip()
    if not subject:
        return [Check(ERROR, "subject_missing", "Write a subject line.", "Subject")]
    checks = []
    if len(subject) > SUBJECT_MAX:
        checks.append(
            Check(
                WARNING,
                "subject_long",
                f"The subject is {len(subject)} characters; phones show about {SUBJECT_MAX}.",
                "Subject",
            )
        )
    if not preheader:
        checks.append(
            Check(
                WARNING,
                "preheader_missing",
                "Add a preheader: the line mail apps show after the subject.",
                "Preheader",
            )
        )
    elif preheader.casefold() == subject.casefold():
        checks.append(
            Check(
                WARNING,
                "preheader_repeats_subject",
                "The preheader repeats the subject; use it to say something more.",
                "Preheader",
            )
        )
    return checks


def _missing_data(version: TemplateVersion, trees: Trees) -> list[Check]:
    if version.missing_data_policy != MissingDataPolicy.FALLBACK or len(trees) < len(
        _parts(version)
    ):
        return []
    lacking = fields_without_wording(fields_needing_data(version), version.fallbacks)
    return [
        Check(ERROR, "fallback_missing", f"Write the friendly wording to use when “{f}” is empty.")
        for f in lacking
    ]


def _unsubscribe(version: TemplateVersion, trees: Trees, purpose: str) -> list[Check]:
    if purpose not in MARKETING:
        return []
    checks = []
    if "HTML" in trees and not _uses(trees, UNSUBSCRIBE, ("HTML",)):
        message = "Add an unsubscribe link: {{ links.unsubscribe_url }}."
        checks.append(Check(ERROR, "unsubscribe_missing", message, "HTML"))
    if "Plain text" in trees and not _uses(trees, UNSUBSCRIBE, ("Plain text",)):
        message = "The plain-text part has no unsubscribe link: {{ links.unsubscribe_url }}."
        checks.append(Check(WARNING, "unsubscribe_missing_text", message, "Plain text"))
    return checks


def _postal_address(trees: Trees, purpose: str) -> list[Check]:
    if purpose not in MARKETING:
        return []
    checks = []
    if not get_business().postal_address.strip():
        message = "Add the business's postal address in Settings: marketing email must show it."
        checks.append(Check(ERROR, "postal_address_missing", message, "Settings"))
    if "HTML" in trees and not _uses(trees, POSTAL_ADDRESS, ("HTML",)):
        message = "Show your postal address in the email: {{ business.postal_address }}."
        checks.append(Check(WARNING, "postal_address_not_in_template", message, "HTML"))
    return checks


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a" and "href" in attr:
            self.hrefs.append((attr["href"] or "").strip())
        if tag == "img" and "alt" not in attr:
            self.images_without_alt.append(attr.get("src") or "")


def _links_and_images(version: TemplateVersion) -> list[Check]:
    try:
        with work_budget():
            html = render_part(compile_version(version).html, sample_context(), "HTML")
    except TemplateProblem as e:
        return [Check(ERROR, "render", e.message, _where("HTML", e.line))]
    found = _Links()
    found.feed(html)
    checks = [c for href in found.hrefs if (c := _link_problem(href, version.html_source))]
    for src in found.images_without_alt:
        message = "An image has no alt text; many people see the email without images."
        checks.append(
            Check(
                WARNING, "image_alt", message, _line_of(src, version.html_source, attribute="src")
            )
        )
    return checks


def _link_problem(href: str, source: str) -> Check | None:
    if href in SAMPLE_LINKS.values():
        return None
    where = _line_of(href, source, attribute="href")
    try:
        url = urlsplit(href)
        host = (url.hostname or "").lower()
    except ValueError:
        return Check(ERROR, "link_malformed", f"This link cannot be read: {href}", where)
    if not href:
        return Check(ERROR, "link_empty", "A link has no address.", where)
    if url.scheme.lower() not in SAFE_SCHEMES:
        if not url.scheme:
            message = f"Links must be complete addresses starting with https://: {href}"
            return Check(ERROR, "link_not_absolute", message, where)
        message = f"Links must start with https:// or http://, not {url.scheme}:"
        return Check(ERROR, "link_scheme", message, where)
    if url.scheme.lower() in {"http", "https"} and not host:
        return Check(ERROR, "link_malformed", f"This link has no website in it: {href}", where)
    if host in PLACEHOLDER_HOSTS or host.endswith(tuple("." + h for h in PLACEHOLDER_HOSTS)):
        message = f"This link is still a placeholder: {href}"
        return Check(ERROR, "link_placeholder", message, where)
    return None


def _line_of(value: str, source: str, *, attribute: str) -> str:
    """The line an attribute value was written on, when it was written literally."""
    if value:
        wanted = [f'{attribute}="{value}"', f"{attribute}='{value}'", f"{attribute}={value}"]
        for number, line in enumerate(source.splitlines(), start=1):
            if any(w in line for w in wanted):
                return f"HTML, line {number}"
    return "HTML"
