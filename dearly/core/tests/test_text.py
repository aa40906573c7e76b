"""What text can be stored: everything readable, nothing invisible or broken."""

import pytest

from dearly.core.text import readable, text_problem, text_problems


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Ada Lovelace",
        "Zoë Ñúñez",
        "李小龍",
        "👩‍👩‍👧 family",
        "\u202fnarrow space",
        "x" * 10_000,
    ],
)
def test_readable_text_has_no_problem(value):
    assert text_problem(value) is None
    assert text_problem(value, multiline=False) is None


@pytest.mark.parametrize(
    ("value", "code"),
    [("a\x00b", "U+0000"), ("\x1b[31m", "U+001B"), ("del\x7f", "U+007F"), ("c1\x85", "U+0085")],
)
def test_control_characters_are_named_by_their_code(value, code):
    assert text_problem(value) == f"has an invisible control character ({code}); remove it"


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", "\udcff"])
def test_a_lone_surrogate_is_broken_unicode(value):
    assert (text_problem(value) or "").startswith("is not valid Unicode text")


def test_tabs_and_line_breaks_are_text_only_where_text_spans_lines():
    assert text_problem("one\r\n\ttwo") is None
    assert text_problem("one\ntwo", multiline=False) == (
        "must be a single line (no tabs or line breaks)"
    )


def test_readable_drops_exactly_what_is_refused():
    assert readable("A\x00d\ud800a\n") == "Ada\n"
    assert readable("A\x00d\ud800a\n", multiline=False) == "Ada"


def test_every_bad_string_in_json_is_found_with_its_path():
    data = {"ok": "fine", "tags": ["vip", "a\x00"], "props": {"gift": {"note": "\ud800"}}}
    assert [path for path, _ in text_problems(data)] == ["tags.1", "props.gift.note"]
    assert [path for path, _ in text_problems({"bad\nkey": 1})] == [""]
