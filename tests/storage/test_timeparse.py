"""parse_when, When.start_utc/end_utc and zone helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.problems import CodedError
from storage.timeparse import (
    TimeFormatError,
    When,
    iso_utc,
    parse_when,
    reads_in_zone,
    typed_parts,
    zone_or_error,
)
from tests.words import english

DUBAI = ZoneInfo("Asia/Dubai")
KYIV = ZoneInfo("Europe/Kyiv")


# --- accepted forms ----------------------------------------------------------------------


def test_parse_when_accepts_a_month():
    when = parse_when("2026-02")
    assert when == When("2026-02", "month", date(2026, 2, 1))
    assert when.instant is None


def test_parse_when_accepts_a_day():
    when = parse_when("2026-02-04")
    assert when == When("2026-02-04", "day", date(2026, 2, 4))
    assert when.instant is None


def test_parse_when_accepts_a_leap_day_in_a_leap_year():
    assert parse_when("2028-02-29").day == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("2026-02-04T10:00Z", datetime(2026, 2, 4, 10, 0, tzinfo=UTC)),
        ("2026-02-04T10:00:30Z", datetime(2026, 2, 4, 10, 0, 30, tzinfo=UTC)),
        ("2026-02-04T10:00+04:00", datetime(2026, 2, 4, 6, 0, tzinfo=UTC)),
        ("2026-02-04 10:00:00-05:00", datetime(2026, 2, 4, 15, 0, tzinfo=UTC)),
        ("2026-02-04T10:00:00.250000+02:00", datetime(2026, 2, 4, 8, 0, 0, 250000, tzinfo=UTC)),
        ("2026-02-04T10:00:00.5+00:00", datetime(2026, 2, 4, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2026-02-04T10:00+14:00", datetime(2026, 2, 3, 20, 0, tzinfo=UTC)),
    ],
)
def test_parse_when_accepts_instants_with_z_or_an_offset(text, expected_utc):
    when = parse_when(text)
    assert when.resolution == "instant"
    assert when.text == text
    assert when.instant is not None
    assert when.instant.utcoffset() is not None
    assert when.instant == expected_utc


def test_an_instants_day_is_its_local_day_not_the_utc_day():
    when = parse_when("2026-02-04T23:30-05:00")
    assert when.day == date(2026, 2, 4)
    assert when.start_utc(UTC).date() == date(2026, 2, 5)


def test_parse_when_strips_surrounding_whitespace():
    when = parse_when("  2026-02-04\n")
    assert when.text == "2026-02-04"
    assert when.resolution == "day"


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-02-04T10:00", "2026-02-04T10:00:00", "2026-02-04 10:00", "2026-02-04T10:00:00.5"],
)
def test_parse_when_refuses_naive_datetimes_and_says_to_add_an_offset(text):
    with pytest.raises(TimeFormatError) as caught:
        parse_when(text)
    assert caught.value.code == "date_no_offset"
    assert "Z or +HH:MM" in english(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-02-29",  # 2026 is not a leap year
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-13",
        "2026-00",
        "2026-02-04T24:00Z",
        "2026-02-04T10:60Z",
        "2026-02-30T10:00Z",
        "2026-02-04T10:00+24:00",
    ],
)
def test_parse_when_refuses_impossible_dates(text):
    with pytest.raises(TimeFormatError) as caught:
        parse_when(text)
    assert "impossible date" in english(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "tomorrow",
        "2026",
        "2026/02/04",
        "04.02.2026",
        "2026-2-4",
        "20260204",
        "2026-02-04Z",
        "2026-02-04T10Z",
        "2026-02-04T10:00+0400",
        "2026-02-04T10:00 +04:00",
        "2026-02-04T10:00:00.1234567Z",
        "2026-02-04t10:00Z",
        "2026-02-04T10:00Z trailing",
        "x2026-02-04",
    ],
)
def test_parse_when_refuses_garbage(text):
    with pytest.raises(TimeFormatError) as caught:
        parse_when(text)
    assert "is not a date" in english(caught.value)


def test_parse_when_error_for_long_garbage_is_short():
    with pytest.raises(TimeFormatError) as caught:
        parse_when("x" * 10_000)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    "value",
    [
        None,
        20260204,
        2026.02,
        date(2026, 2, 4),
        datetime(2026, 2, 4, 10, tzinfo=UTC),
        b"2026-02-04",
        ["2026-02-04"],
        {"start": "2026-02-04"},
    ],
)
def test_parse_when_refuses_non_strings(value):
    with pytest.raises(TimeFormatError) as caught:
        parse_when(value)
    assert english(caught.value) == "must be text in ISO 8601 form"


@settings(database=None)
@given(st.text(max_size=40))
def test_parse_when_either_parses_or_raises_time_format_error(text):
    try:
        when = parse_when(text)
    except TimeFormatError:
        return
    assert when.resolution in ("month", "day", "instant")
    assert (when.instant is not None) == (when.resolution == "instant")


@pytest.mark.parametrize("text", ["２０２６-０２", "٢٠٢٦-٠٢-٠٤"])
def test_parse_when_refuses_non_ascii_digits(text):
    with pytest.raises(TimeFormatError):
        parse_when(text)


# --- UTC bounds --------------------------------------------------------------------------


def test_day_in_asia_dubai_starts_and_ends_at_local_midnight():
    when = parse_when("2026-02-04")
    assert when.start_utc(DUBAI) == datetime(2026, 2, 3, 20, 0, tzinfo=UTC)
    assert when.end_utc(DUBAI) == datetime(2026, 2, 4, 20, 0, tzinfo=UTC)
    assert when.start_utc(DUBAI).tzinfo == UTC


def test_the_same_day_read_in_utc_has_other_bounds():
    when = parse_when("2026-02-04")
    assert when.start_utc(UTC) == datetime(2026, 2, 4, tzinfo=UTC)
    assert when.end_utc(UTC) == datetime(2026, 2, 5, tzinfo=UTC)


def test_a_day_when_kyiv_starts_summer_time_is_23_hours_long():
    when = parse_when("2026-03-29")
    assert when.end_utc(KYIV) - when.start_utc(KYIV) == timedelta(hours=23)


@pytest.mark.parametrize(
    ("text", "zone", "start", "end"),
    [
        (
            "2026-12",
            UTC,
            datetime(2026, 12, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
        ),
        (
            "2026-12",
            DUBAI,
            datetime(2026, 11, 30, 20, tzinfo=UTC),
            datetime(2026, 12, 31, 20, tzinfo=UTC),
        ),
        (
            "2026-02",
            UTC,
            datetime(2026, 2, 1, tzinfo=UTC),
            datetime(2026, 3, 1, tzinfo=UTC),
        ),
        (
            "2028-02",
            UTC,
            datetime(2028, 2, 1, tzinfo=UTC),
            datetime(2028, 3, 1, tzinfo=UTC),
        ),
        (
            "2026-01",
            KYIV,
            datetime(2025, 12, 31, 22, tzinfo=UTC),
            datetime(2026, 1, 31, 22, tzinfo=UTC),
        ),
    ],
)
def test_month_bounds_including_across_december(text, zone, start, end):
    when = parse_when(text)
    assert when.start_utc(zone) == start
    assert when.end_utc(zone) == end


@settings(database=None)
@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1, max_value=12))
def test_every_month_ends_where_the_next_one_starts(year, month):
    nxt_year, nxt_month = (year + 1, 1) if month == 12 else (year, month + 1)
    this = parse_when(f"{year:04d}-{month:02d}")
    following = parse_when(f"{nxt_year:04d}-{nxt_month:02d}")
    assert this.end_utc(UTC) == following.start_utc(UTC)


def test_an_instant_is_a_point_whatever_the_zone():
    when = parse_when("2026-02-04T10:00+04:00")
    expected = datetime(2026, 2, 4, 6, 0, tzinfo=UTC)
    for zone in (UTC, DUBAI, KYIV):
        assert when.start_utc(zone) == expected
        assert when.end_utc(zone) == expected


# --- helpers -----------------------------------------------------------------------------


def test_iso_utc_converts_to_utc_with_a_z():
    moment = datetime(2026, 2, 4, 10, 0, 30, 999, tzinfo=timezone(timedelta(hours=4)))
    assert iso_utc(moment) == "2026-02-04T06:00:30Z"


def test_iso_utc_text_sorts_like_the_instants():
    earlier = datetime(2026, 2, 4, 23, 0, tzinfo=timezone(timedelta(hours=-5)))  # 04:00Z on 5th
    later = datetime(2026, 2, 5, 8, 0, tzinfo=timezone(timedelta(hours=2)))  # 06:00Z on 5th
    assert earlier < later
    assert iso_utc(earlier) < iso_utc(later)


@pytest.mark.parametrize("name", ["Europe/Kyiv", "Asia/Dubai", "UTC", "America/New_York"])
def test_zone_or_error_returns_the_zone(name):
    assert zone_or_error(name) == ZoneInfo(name)


@pytest.mark.parametrize(
    "name",
    ["", None, 3, "Mars/Olympus_Mons", "Europe/Kyev", "../etc/passwd", "/etc/localtime", "x" * 65],
)
def test_zone_or_error_refuses_unknown_zones_with_value_error(name):
    with pytest.raises(ValueError) as caught:
        zone_or_error(name)
    assert isinstance(caught.value, CodedError)
    assert "time zone" in english(caught.value)


@pytest.mark.parametrize("name", ["Europe", "America", "Etc"])
def test_zone_or_error_refuses_a_zone_directory_with_value_error(name):
    with pytest.raises(ValueError) as caught:
        zone_or_error(name)
    assert isinstance(caught.value, CodedError)
    assert "time zone" in english(caught.value)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12", "2101-01-01T00:00Z"])
def test_years_outside_1900_to_2100_are_refused_not_overflowed(text):
    with pytest.raises(TimeFormatError) as caught:
        parse_when(text)
    assert "outside 1900-2100" in english(caught.value)


@pytest.mark.parametrize(
    "typed, parts",
    [
        ("tomorrow 14:00", ["tomorrow 14:00"]),
        ("tomorrow 14:00 tomorrow 18:00", ["tomorrow 14:00", "tomorrow 18:00"]),
        ("2026-02-06 10:00 2026-02-07", ["2026-02-06 10:00", "2026-02-07"]),
        ("завтра 9:30  2026-02", ["завтра 9:30", "2026-02"]),
        ("2026-02 10:00", ["2026-02", "10:00"]),  # a month takes no time of day
        ("tomorrow garbage", ["tomorrow", "garbage"]),
        ("", []),
    ],
)
def test_typed_parts_keeps_a_day_and_its_time_of_day_together(typed, parts):
    assert typed_parts(typed) == parts


@pytest.mark.parametrize(
    "typed, needs_zone",
    [
        ("tomorrow", True),
        ("Вчора 10:00", True),
        ("2026-02-06 10:00", True),
        ("2026-02-06T10:00", True),
        ("2026-02-06", False),
        ("2026-02-06T10:00+04:00", False),
        ("garbage", False),
    ],
)
def test_reads_in_zone_says_which_typed_dates_a_zone_decides(typed, needs_zone):
    assert reads_in_zone(typed) is needs_zone
