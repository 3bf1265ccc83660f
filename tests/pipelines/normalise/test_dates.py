"""Tests for pipelines.normalise.dates: every date form the pipeline meets."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.normalise.dates import (
    BERLIN,
    meeting_start_end,
    parse_date,
    parse_datetime_lenient,
    parse_time_range,
)

D = dt.date
T = dt.time

# (raw, date, precision, end, start_time, end_time)
CASES = [
    # numeric, 4- and 2-digit years
    ("15.08.2023", D(2023, 8, 15), "day", None, None, None),
    ("1.8.2023", D(2023, 8, 1), "day", None, None, None),
    ("27.06.17", D(2017, 6, 27), "day", None, None, None),
    ("01.01.69", D(1969, 1, 1), "day", None, None, None),
    ("31.12.68", D(2068, 12, 31), "day", None, None, None),
    ("  15.08.2023\u00a0", D(2023, 8, 15), "day", None, None, None),
    # weekdays, German and English (ALLRIS 4 "Di., 01.09.2026", Trier "Thu")
    ("Mo, 03.03.2025", D(2025, 3, 3), "day", None, None, None),
    ("Di., 01.09.2026", D(2026, 9, 1), "day", None, None, None),
    ("Dienstag, 15. August 2023", D(2023, 8, 15), "day", None, None, None),
    ("Donnerstag, den 5. Mai 2022", D(2022, 5, 5), "day", None, None, None),
    ("Thu 01.10.2026", D(2026, 10, 1), "day", None, None, None),
    ("Thu, Jan 29, 2026", D(2026, 1, 29), "day", None, None, None),
    # written months and their abbreviations
    ("15. März 2024", D(2024, 3, 15), "day", None, None, None),
    ("15. Mrz 2024", D(2024, 3, 15), "day", None, None, None),
    ("15. Mär. 2024", D(2024, 3, 15), "day", None, None, None),
    ("1. Sept. 2026", D(2026, 9, 1), "day", None, None, None),
    ("5.Mai.2022", D(2022, 5, 5), "day", None, None, None),
    # English-locale installs (Wolfsburg)
    ("Jan 29, 2026", D(2026, 1, 29), "day", None, None, None),
    ("January 29, 2026", D(2026, 1, 29), "day", None, None, None),
    ("Jan 29, 2026, 5:00:00 PM", D(2026, 1, 29), "day", None, T(17, 0), None),
    ("1/29/2026", D(2026, 1, 29), "day", None, None, None),
    ("29/1/2026", D(2026, 1, 29), "day", None, None, None),
    # ISO and OParl
    ("2024-03-15", D(2024, 3, 15), "day", None, None, None),
    ("2024-03-15T17:00:00+01:00", D(2024, 3, 15), "day", None, T(17, 0), None),
    ("2026-10-14T19:00", D(2026, 10, 14), "day", None, T(19, 0), None),
    ("2026-09-03 11:32:33", D(2026, 9, 3), "day", None, T(11, 32, 33), None),
    # month-only and year-only: first of the period, never a made-up day
    ("März 2024", D(2024, 3, 1), "month", None, None, None),
    ("Mrz 2024", D(2024, 3, 1), "month", None, None, None),
    ("Mär. 2024", D(2024, 3, 1), "month", None, None, None),
    ("Sept. 2023", D(2023, 9, 1), "month", None, None, None),
    ("03/2024", D(2024, 3, 1), "month", None, None, None),
    ("2024-03", D(2024, 3, 1), "month", None, None, None),
    ("2024", D(2024, 1, 1), "year", None, None, None),
    # times
    ("15.08.2023 17:00 Uhr", D(2023, 8, 15), "day", None, T(17, 0), None),
    ("15.08.2023 17.30 Uhr", D(2023, 8, 15), "day", None, T(17, 30), None),
    ("15.08.2023, 18:00 - 18:55", D(2023, 8, 15), "day", None, T(18, 0), T(18, 55)),
    ("15.08.2023, 17:00 - 18:55 Uhr", D(2023, 8, 15), "day", None, T(17, 0), T(18, 55)),
    ("08.09.2026 - 09:30 Uhr", D(2026, 9, 8), "day", None, T(9, 30), None),
    ("am Do., 01.10.2026 um 17:00 Uhr.", D(2026, 10, 1), "day", None, T(17, 0), None),
    ("Di. 1. Sept. 2026, 17 Uhr", D(2026, 9, 1), "day", None, T(17, 0), None),
    ("20.07.2026 10:36:44", D(2026, 7, 20), "day", None, T(10, 36, 44), None),
    # ranges (Wahlperioden, list filters)
    ("01.05.2017 bis 30.04.2019", D(2017, 5, 1), "day", D(2019, 4, 30), None, None),
    ("01.05.2017 - 10.04.2019", D(2017, 5, 1), "day", D(2019, 4, 10), None, None),
    ("15.08.2000-20.12.2000", D(2000, 8, 15), "day", D(2000, 12, 20), None, None),
    ("von 01.06.2014 bis 31.10.2020", D(2014, 6, 1), "day", D(2020, 10, 31), None, None),
    ("vom 01.06.2014 bis zum 31.10.2020", D(2014, 6, 1), "day", D(2020, 10, 31), None, None),
    ("ab 01.11.2025", D(2025, 11, 1), "day", None, None, None),
    ("07/2001-", D(2001, 7, 1), "month", None, None, None),
    ("Mai 2017 - April 2019", D(2017, 5, 1), "month", D(2019, 4, 30), None, None),
    ("2014-2020", D(2014, 1, 1), "year", D(2020, 12, 31), None, None),
    ("15.08.2023 17:00 - 16.08.2023 12:00", D(2023, 8, 15), "day", D(2023, 8, 16), T(17, 0), T(12, 0)),
    # forms only dateparser reads
    ("15-Aug-2023", D(2023, 8, 15), "day", None, None, None),
    ("Thursday, 5th of May 2022", D(2022, 5, 5), "day", None, None, None),
]


@pytest.mark.parametrize(("raw", "day", "precision", "end", "start", "stop"), CASES, ids=[c[0] for c in CASES])
def test_parse_date(raw, day, precision, end, start, stop):
    parsed = parse_date(raw)
    assert parsed is not None
    assert parsed.date == day
    assert parsed.precision == precision
    assert parsed.end == end
    assert parsed.start_time == start
    assert parsed.end_time == stop
    assert parsed.raw == raw


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "31.02.2024",  # no such day
        "15.13.2024",  # no such month
        "15. März",  # no year: would be a made-up year
        "heute",  # relative dates depend on when the page is parsed
        "12345",
        "0463/2026",  # a paper reference
        "TOP 5",
        "Sitzung",
    ],
)
def test_parse_date_rejects(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", ["März 2024", "Mrz 2024", "im März 2024", "Marz 2024"])
def test_month_only_never_gets_a_day(raw):
    # dateparser alone fills a missing day with today's ("im März 2024" and
    # "Marz 2024" go through it); the result must not depend on the day the
    # test runs.
    parsed = parse_date(raw)
    assert parsed is not None
    assert (parsed.date, parsed.precision) == (D(2024, 3, 1), "month")


# --- property-based tests for the numeric forms ------------------------------------

_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
any_day = st.dates()  # every date Python has, years 1–9999 written with four digits
# Two-digit years only reach the pivot window 1969–2068.
pivot_day = st.dates(min_value=D(1969, 1, 1), max_value=D(2068, 12, 31))


@given(any_day)
def test_dd_mm_yyyy_round_trips(day):
    parsed = parse_date(f"{day.day:02d}.{day.month:02d}.{day.year:04d}")
    assert parsed is not None and (parsed.date, parsed.precision) == (day, "day")


@given(any_day)
def test_d_m_yyyy_round_trips(day):
    parsed = parse_date(f"{day.day}.{day.month}.{day.year:04d}")
    assert parsed is not None and (parsed.date, parsed.precision) == (day, "day")


@given(pivot_day)
def test_dd_mm_yy_round_trips(day):
    parsed = parse_date(f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}")
    assert parsed is not None and (parsed.date, parsed.precision) == (day, "day")


@given(any_day, st.sampled_from(["{wd}, ", "{wd}., ", "{wd} ", "{wd}.,"]))
def test_weekday_prefix_round_trips(day, prefix):
    text = prefix.format(wd=_WEEKDAYS[day.weekday()]) + f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    parsed = parse_date(text)
    assert parsed is not None and (parsed.date, parsed.precision) == (day, "day")


@given(any_day, st.integers(0, 23), st.integers(0, 59))
def test_date_with_time_round_trips(day, hour, minute):
    parsed = parse_date(f"{day:%d.%m}.{day.year:04d} {hour:02d}:{minute:02d} Uhr")
    assert parsed is not None
    assert (parsed.date, parsed.start_time) == (day, T(hour, minute))


@given(any_day)
def test_iso_round_trips(day):
    parsed = parse_date(day.isoformat())
    assert parsed is not None and (parsed.date, parsed.precision) == (day, "day")


# --- times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("17:30 Uhr", T(17, 30), None),
        ("18:00 - 18:55", T(18, 0), T(18, 55)),
        ("16:00 - 17:11", T(16, 0), T(17, 11)),
        ("17:00-18:45\u00a0Uhr", T(17, 0), T(18, 45)),
        ("16:00 bis 17:11 Uhr", T(16, 0), T(17, 11)),
        ("Öffentlicher Teil: Beginn 17:00 Uhr", T(17, 0), None),
        ("Beginn 17:00 Uhr, Ende 19:30 Uhr", T(17, 0), T(19, 30)),
        ("18.30 Uhr", T(18, 30), None),
        ("19 Uhr", T(19, 0), None),
        ("18:30:00", T(18, 30), None),
        ("15.08.2023 17:00", T(17, 0), None),  # "15.08" is no time
        ("2026-10-14T19:00", T(19, 0), None),
        ("24:00", T(0, 0), None),
        ("", None, None),
        (None, None, None),
        ("15.08.2023", None, None),
        ("25:00", None, None),
    ],
)
def test_parse_time_range(raw, start, end):
    assert parse_time_range(raw) == (start, end)


def test_meeting_start_end_is_berlin_time():
    start, end = meeting_start_end(D(2023, 8, 15), "17:00 - 18:55 Uhr")
    assert start == dt.datetime(2023, 8, 15, 17, 0, tzinfo=BERLIN)
    assert end == dt.datetime(2023, 8, 15, 18, 55, tzinfo=BERLIN)
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time


def test_meeting_start_end_winter_offset():
    start, _ = meeting_start_end(D(2024, 1, 15), "18:00")
    assert start is not None and start.utcoffset() == dt.timedelta(hours=1)


def test_meeting_end_after_midnight_falls_on_next_day():
    start, end = meeting_start_end(D(2023, 8, 15), "19:00 - 00:30")
    assert start == dt.datetime(2023, 8, 15, 19, 0, tzinfo=BERLIN)
    assert end == dt.datetime(2023, 8, 16, 0, 30, tzinfo=BERLIN)


def test_meeting_start_end_reads_times_from_the_date_string():
    start, end = meeting_start_end("Di., 01.09.2026 17:00 - 19:00 Uhr")
    assert start == dt.datetime(2026, 9, 1, 17, 0, tzinfo=BERLIN)
    assert end == dt.datetime(2026, 9, 1, 19, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("day", "time_raw"),
    [(D(2023, 8, 15), None), (D(2023, 8, 15), ""), (None, "17:00"), ("März 2024", "17:00"), ("kein Datum", "17:00")],
)
def test_meeting_start_end_makes_up_no_time(day, time_raw):
    assert meeting_start_end(day, time_raw) == (None, None)


# --- lenient ISO / OParl date-times ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-12-16T11:21:11+01::00", dt.datetime(2019, 12, 16, 11, 21, 11, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
        ("2025-03-03T13:33:42+01:00", dt.datetime(2025, 3, 3, 13, 33, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
        ("2019-12-16T11:21:11Z", dt.datetime(2019, 12, 16, 11, 21, 11, tzinfo=dt.timezone.utc)),
        ("2019-12-16T11:21:11+0100", dt.datetime(2019, 12, 16, 11, 21, 11, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
        ("2026-10-14T19:00", dt.datetime(2026, 10, 14, 19, 0, tzinfo=BERLIN)),
        ("2026-09-03 11:32:33", dt.datetime(2026, 9, 3, 11, 32, 33, tzinfo=BERLIN)),
        ("2024-03-15", dt.datetime(2024, 3, 15, 0, 0, tzinfo=BERLIN)),
        ("20.07.2026 10:36:44", dt.datetime(2026, 7, 20, 10, 36, 44, tzinfo=BERLIN)),
    ],
)
def test_parse_datetime_lenient(raw, expected):
    value = parse_datetime_lenient(raw)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("raw", [None, "", "  ", "März 2024", "2024", "garbage"])
def test_parse_datetime_lenient_rejects(raw):
    assert parse_datetime_lenient(raw) is None


# --- real data ---------------------------------------------------------------------


def test_bonn_broken_offsets_all_parse(corpus_dir):
    text = (corpus_dir / "oparl" / "bonn-ccegov-allris-oparl11-body-broken-datetime.json").read_text("utf-8")
    values = re.findall(r'"(?:created|modified|startDate|endDate)":\s*"([^"]+)"', text)
    assert any("::" in v for v in values)
    for value in values:
        parsed = parse_datetime_lenient(value)
        assert parsed is not None, value
        assert parsed.utcoffset() == dt.timedelta(hours=1), value


def test_karlsruhe_meeting_times_all_parse(corpus_dir):
    with gzip.open(corpus_dir / "oparl-karlsruhe" / "meetings.jsonl.gz", "rt", encoding="utf-8") as lines:
        meetings = [json.loads(line) for line in lines]
    values = [m[k] for m in meetings for k in ("start", "end", "created", "modified") if m.get(k)]
    assert len(values) > 4 * 2000
    failed = [v for v in values if parse_datetime_lenient(v) is None]
    assert failed == []
    dates = [parse_date(m["start"]) for m in meetings if m.get("start")]
    assert all(d is not None and d.precision == "day" and d.start_time is not None for d in dates)
