"""Text we can store: no control characters, no broken Unicode.

PostgreSQL refuses a NUL byte in text, SQLite keeps it silently, and neither can encode a lone
surrogate ("\\ud800" in JSON decodes to one); other control characters are invisible in every
page and export. So every way in (the API, forms, query strings, imports) asks `text_problem`
about each string and refuses the input with its answer, naming the field.
"""

import re
from collections.abc import Iterator
from typing import Any

# C0 and C1 controls and DEL. Tab, line feed and carriage return are text where a value may
# span lines; `multiline=False` refuses them too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Anything `text_problem` refuses in multi-line text, for one fast scan of a whole row.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why `value` cannot be stored as text, in words for the person who sent it; else None."""
    if found := _SURROGATE.search(value):
        return f"is not valid Unicode text (a broken character, U+{ord(found.group()):04X})"
    pattern = _CONTROL if multiline else _CONTROL_OR_BREAK
    if found := pattern.search(value):
        code = ord(found.group())
        if code in (0x09, 0x0A, 0x0D):
            return "must be a single line (no tabs or line breaks)"
        return f"has an invisible control character (U+{code:04X}); remove it"
    return None


def readable(value: str, *, multiline: bool = True) -> str:
    """`value` without what `text_problem` refuses, to show it back for correction."""
    pattern = _CONTROL if multiline else _CONTROL_OR_BREAK
    return pattern.sub("", _SURROGATE.sub("", value))


def text_problems(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every string in JSON-like `data` (keys too) that cannot be stored, as (dotted path, why).

    Values may span lines; a key may not.
    """
    where = ".".join(path)
    if isinstance(data, str):
        if problem := text_problem(data):
            yield where, problem
    elif isinstance(data, dict):
        for key, value in data.items():
            name = str(key)
            if problem := text_problem(name, multiline=False):
                yield where, f"has a key that {problem}"
                continue
            yield from text_problems(value, (*path, name))
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from text_problems(item, (*path, str(index)))


def query_problems(query: Any) -> Iterator[tuple[str, str]]:
    """Each query-string parameter (a QueryDict) whose name or a value cannot be stored, as
    (name, why); one line each, since a query string holds no multi-line text."""
    for key, values in query.lists():
        for value in (key, *values):
            if problem := text_problem(value, multiline=False):
                yield key, problem
                break
