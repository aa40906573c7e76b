"""The plain-text part, made from the HTML when the author did not write one.

Links read as "text (url)", headings are underlined, list items start with "- " or "1. ",
paragraphs are separated by a blank line, and anything not meant to be read (style, script,
head, hidden preheader) is left out.
"""

import re
from html.parser import HTMLParser

BLOCKS = {"p", "div", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
BLOCKS |= {"blockquote", "section", "article", "header", "footer", "center", "address"}
HIDDEN = {"style", "script", "head", "title", "template"}
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "source", "wbr", "area", "base"}
HEADINGS = {"h1": "=", "h2": "-", "h3": "-", "h4": "-", "h5": "-", "h6": "-"}


# Stands for "underline the line above" until the text is rendered. A private-use character:
# unlike control characters it is never whitespace, so trimming lines keeps it.
UNDERLINE = "\ue000"


class _TextWriter(HTMLParser):
    def __init__(self, *, deferred_underlines: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.deferred_underlines = deferred_underlines
        self.out: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.links: list[tuple[str, int]] = []
        self.lists: list[list[int]] = []  # per open list: [counter or -1 for bullets]
        self.heading_start = 0

    def text(self) -> str:
        return "".join(self.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in VOID and (self.hidden or tag in HIDDEN):
            return
        if self.hidden or tag in HIDDEN or _is_hidden(attr.get("style") or ""):
            self.hidden += 1
            return
        if tag in BLOCKS:
            self.out.append("\n\n")
        if tag in HEADINGS:
            self.heading_start = len(self.text())
        elif tag == "br":
            self.out.append("\n")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n")
        elif tag in {"ul", "ol"}:
            self.lists.append([1 if tag == "ol" else -1])
        elif tag == "li":
            self._list_item()
        elif tag in {"td", "th"}:
            self.out.append(" ")
        elif tag == "a":
            self.links.append((attr.get("href") or "", len(self.text())))
        elif tag == "img" and attr.get("alt"):
            self.out.append(f"[{attr['alt']}]")
        elif tag == "hr":
            self.out.append("\n\n" + "-" * 20 + "\n\n")

    def _list_item(self) -> None:
        counter = self.lists[-1] if self.lists else [-1]
        self.out.append("\n" + "  " * max(len(self.lists) - 1, 0))
        if counter[0] > 0:
            self.out.append(f"{counter[0]}. ")
            counter[0] += 1
        else:
            self.out.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1
            return
        if tag == "a" and self.links:
            self._end_link(*self.links.pop())
        elif tag in HEADINGS:
            self._underline(HEADINGS[tag])
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre -= 1
        if tag in BLOCKS or tag == "pre":
            self.out.append("\n\n")

    def _end_link(self, href: str, start: int) -> None:
        label = " ".join(self.text()[start:].split())
        url = href.strip()
        if not url or url.startswith("#") or url.removeprefix("mailto:") == label or url == label:
            return
        self.out.append(f" ({url})")

    def _underline(self, char: str) -> None:
        heading = " ".join(self.text()[self.heading_start :].split())
        if heading and self.deferred_underlines:
            self.out.append("\n" + UNDERLINE + char)
        elif heading:
            self.out.append("\n" + char * len(heading))

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def _is_hidden(style: str) -> bool:
    compact = style.replace(" ", "").lower()
    return "display:none" in compact or "mso-hide:all" in compact


def html_to_text(html: str, *, deferred_underlines: bool = False) -> str:
    """The text of `html`. With deferred_underlines, headings are underlined by `tidy` later:
    used to turn a template's HTML source into a text template once per version, where the
    length of a heading is only known after rendering."""
    writer = _TextWriter(deferred_underlines=deferred_underlines)
    writer.feed(html)
    writer.close()
    return writer.text() if deferred_underlines else tidy(writer.text())


def tidy(text: str) -> str:
    """Trim lines, keep at most one blank line in a row, and draw the deferred underlines."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith(UNDERLINE):
            lines[i] = line[1:2] * len(lines[i - 1]) if i else ""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
