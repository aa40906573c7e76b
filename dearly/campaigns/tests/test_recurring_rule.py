"""Series rules become dates in the business's time zone, across daylight-saving changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dearly.campaigns.recurring_rule import (
    RuleError,
    describe_rule,
    next_issue_at,
    parse_rule,
    upcoming,
)

LONDON = ZoneInfo("Europe/London")
FIRST_AND_THIRD_THURSDAY = {"weekdays": [3], "nths": [1, 3], "time": "09:00"}


def local(instants: list[dt.datetime]) -> list[str]:
    return [f"{i.astimezone(LONDON):%a %d %b %Y %H:%M}" for i in instants]


def test_first_and_third_thursday_at_nine() -> None:
    rule = parse_rule(FIRST_AND_THIRD_THURSDAY)
    after = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    assert local(upcoming(rule, after, 4, "Europe/London")) == [
        "Thu 03 Dec 2026 09:00",
        "Thu 17 Dec 2026 09:00",
        "Thu 07 Jan 2027 09:00",
        "Thu 21 Jan 2027 09:00",
    ]


def test_last_friday_of_the_month() -> None:
    rule = parse_rule({"weekdays": [4], "nths": [-1], "time": "17:30"})
    after = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert local(upcoming(rule, after, 4, "Europe/London")) == [
        "Fri 30 Jan 2026 17:30",
        "Fri 27 Feb 2026 17:30",
        "Fri 27 Mar 2026 17:30",
        "Fri 24 Apr 2026 17:30",
    ]


def test_the_issue_after_the_clocks_go_back_is_still_at_nine_local() -> None:
    # Clocks go back on Sunday 25 October 2026 in London: 09:00 is 08:00 UTC before, 09:00 after.
    rule = parse_rule({"weekdays": [3], "nths": [], "time": "09:00"})
    after = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    first, second = upcoming(rule, after, 2, "Europe/London")
    assert first == dt.datetime(2026, 10, 22, 8, tzinfo=dt.UTC)
    assert second == dt.datetime(2026, 10, 29, 9, tzinfo=dt.UTC)
    assert local([first, second]) == ["Thu 22 Oct 2026 09:00", "Thu 29 Oct 2026 09:00"]


def test_an_issue_at_exactly_after_is_not_repeated() -> None:
    rule = parse_rule(FIRST_AND_THIRD_THURSDAY)
    at = dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)
    assert next_issue_at(rule, at, "Europe/London") == dt.datetime(2026, 12, 17, 9, tzinfo=dt.UTC)


def test_a_time_in_the_spring_gap_goes_when_the_clocks_jump() -> None:
    rule = parse_rule({"weekdays": [6], "nths": [-1], "time": "01:30"})
    after = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert next_issue_at(rule, after, "Europe/London") == dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"weekdays": [], "nths": [1], "time": "09:00"}, "weekdays"),
        ({"weekdays": [7], "nths": [1], "time": "09:00"}, "weekdays"),
        ({"weekdays": [3], "nths": [6], "time": "09:00"}, "nths"),
        ({"weekdays": [3], "nths": [1], "time": "9am"}, "time"),
        ({"weekdays": [3], "nths": [1], "time": "24:00"}, "time"),
    ],
)
def test_it_names_what_is_wrong_with_a_rule(raw: dict[str, object], key: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(raw)
    assert key in caught.value.errors


def test_a_rule_reads_as_a_sentence() -> None:
    assert describe_rule(FIRST_AND_THIRD_THURSDAY) == (
        "the first and third Thursday of the month at 09:00"
    )
    assert describe_rule({"weekdays": [4], "nths": [-1], "time": "17:30"}) == (
        "the last Friday of the month at 17:30"
    )
    assert describe_rule({"weekdays": [0, 4], "nths": [], "time": "10:00"}) == (
        "every Monday and Friday at 10:00"
    )
