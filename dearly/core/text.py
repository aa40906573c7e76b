"""Text a person could have typed: no NUL or other control characters, no lone surrogates.

PostgreSQL refuses a NUL in text (a 500 if nobody checked first) and SQLite stores it
silently; a lone surrogate cannot be encoded as UTF-8 at all. Tab, newline and carriage
return are ordinary text.
"""

import re

# C0 controls but tab, newline and CR; DEL and the C1 controls; UTF-16 surrogate halves,
# which only reach a str through a lenient decoder or a JSON "\ud800" escape.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` is not acceptable text, in words for a person; None when it is fine."""
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL byte (character 0), which text cannot hold"
    if "\ud800" <= char <= "\udfff":
        return f"contains an invalid character (a lone surrogate U+{ord(char):04X})"
    return f"contains a control character (U+{ord(char):04X}), which text cannot hold"
