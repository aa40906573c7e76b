import pytest

from dearly.branches.hours import HoursError, check_hours, parse_day, week


def test_a_day_is_read_with_hyphens_or_en_dashes_and_several_periods():
    assert parse_day("mon", "9:00-12:30, 13:30\u201317:00") == [
        ["09:00", "12:30"],
        ["13:30", "17:00"],
    ]


@pytest.mark.parametrize("text", ["", "  ", "closed", "Closed"])
def test_an_empty_day_or_the_word_closed_means_closed(text):
    assert parse_day("sun", text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17:30-09:00", "opening time must come before closing"),
        ("09:00-09:00", "opening time must come before closing"),
        ("25:00-26:00", "is not a time"),
        ("nine to five", "is not a time"),
        ("09:00", "should look like"),
        ("09:00-13:00, 12:00-17:00", "overlap"),
    ],
)
def test_impossible_hours_are_refused_with_the_reason(text, message):
    with pytest.raises(HoursError, match=message) as exc:
        parse_day("tue", text)
    assert exc.value.day == "tue"


def test_a_stored_week_is_checked_and_unknown_days_refused():
    assert check_hours({"mon": [["09:00", "17:00"]]})["mon"] == [["09:00", "17:00"]]
    with pytest.raises(HoursError, match="not a weekday"):
        check_hours({"monday": []})


def test_the_week_reads_monday_to_sunday_with_closed_days_named():
    days = week({"mon": [["09:00", "17:30"]]})
    assert days[0] == ("Mon", "09:00\u201317:30")
    assert days[6] == ("Sun", "Closed")
