"""Dates and times as council information systems print them, as ``ParsedDate`` values.

One normaliser for every date the pipeline meets. A fast path of regular
expressions reads the forms the systems print (numeric dates, ISO dates,
weekday prefixes, written and abbreviated month names in German and English,
times and ranges); whatever it cannot read goes to ``dateparser``, which costs
about a millisecond a call and is imported only when first needed.

Rules every caller can rely on:

* A value that names only a month or a year gets ``precision`` ``"month"`` or
  ``"year"`` and the *first day* of that period as ``date``; no day (and no
  year) is ever made up. A date without a year ("15. März") is not parsed.
* Two-digit years pivot like POSIX ``strptime("%y")``: ``00``–``68`` are
  2000–2068, ``69``–``99`` are 1969–1999. The pivot is fixed rather than
  relative to today so that re-parsing a stored page gives the same answer.
* A printed weekday is read and ignored: the date decides.
* Slash dates (``1/29/2026``) come from English-locale installs (German pages
  use dots), so they are read month first unless the first number exceeds 12.
* Times are wall-clock times in Europe/Berlin; ``meeting_start_end`` and
  ``parse_datetime_lenient`` return tz-aware datetimes. ``24:00`` is read as
  ``00:00`` (an end time then falls on the next day).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

BERLIN = ZoneInfo("Europe/Berlin")

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from a string, with how precise the string was.

    ``date`` is the (first) day; ``end`` the last day of a range
    (``01.05.2017 bis 30.04.2019``), else None. ``start_time``/``end_time``
    are the times the string held, as naive Europe/Berlin wall-clock times.
    """

    date: dt.date
    precision: Precision
    end: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    raw: str = ""


# --- vocabulary ---------------------------------------------------------------

_MONTHS: dict[str, int] = {
    # German, with the abbreviations pages print (Mrz, Mär., Sept., Jän.)
    "januar": 1, "jan": 1, "jänner": 1, "jän": 1,
    "februar": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English (ALLRIS 4 installs with an English locale: "Jan 29, 2026")
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6,
    "july": 7, "october": 10, "oct": 10, "december": 12, "dec": 12,
}
_WEEKDAYS = (
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
    "sonntag", "mo", "di", "mi", "do", "fr", "sa", "so",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "mär" does not stop "märz" from matching.
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?P<mon>{_alternation(_MONTHS)})\.?"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAYS)})(?![a-zäöüß])"
_F = re.IGNORECASE

# --- regular expressions of the fast path -------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_BARE_NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
# Words before a date: weekday ("Mo, ", "Di., ", "Thu "), "am", "den", "vom" …
_PREFIX = re.compile(
    rf"(?:(?:am|vom|von|ab|seit|on|from)\s+)?(?:{_WEEKDAY}\.?\s*,?\s*)?(?:(?:den|the)\s+)?", _F
)

_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?![\d.])")
# Each core form: (regex, kind). Groups are named after what they hold.
_CORES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_NUMERIC_DATE, "dmy"),
    (re.compile(r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"), "ymd"),
    (re.compile(rf"(?P<d>\d{{1,2}})\.?\s*{_MONTH}\s*,?\s*(?P<y>\d{{4}})(?!\d)", _F), "d_mon_y"),
    (re.compile(rf"{_MONTH}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})(?!\d)", _F), "mon_d_y"),
    (re.compile(rf"{_MONTH}\s*,?\s*(?P<y>\d{{4}})(?!\d)", _F), "mon_y"),
    (re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"), "slash"),
    (re.compile(r"(?P<m>\d{1,2})[./](?P<y>\d{4})(?![\d./])"), "my"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?![\d-])"), "ym"),
    (re.compile(r"(?P<y>\d{4})(?![\d.:/])"), "y"),
)

# A clock time is "17:30", "17.30", "17:30:00", "17 Uhr", "5:00 PM"; an hour
# alone needs its "Uhr"/"PM" so that "2023" or "17" on their own are not times.
_TIME1 = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?(?P<suffix1>\s*(?:Uhr|h\b|[ap]\.?\s?m\b\.?))?"
    r"|(?P<suffix2>\s*(?:Uhr|h\b|[ap]\.?\s?m\b\.?)))",
    _F,
)
# Between a date and its time: ", ", " um ", "T" (ISO), " - " (SessionNet "08.09.2026 - 09:30 Uhr").
_TIME_LEAD = re.compile(r"\s*(?:,|/|-|–)?\s*(?:T|um|ab|von|at|,)?\s*", _F)
_TIME_SEP = re.compile(r"\s*(?:-|–|—|bis)\s*(?:ca\.\s*)?", _F)
_OFFSET = re.compile(r"\s*(?:Z|[+-]\d{2}:{0,2}\d{2}|[+-]\d{2})(?![\d:])")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|bis(?:\s+zum)?|to|until)\s*", _F)
_END = re.compile(r"\s*[.,;)]?\s*")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")
_UHR = re.compile(r"\s*Uhr\b", _F)


# --- the fast path ------------------------------------------------------------


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # POSIX %y pivot, fixed so that results do not depend on today.
        year += 2000 if year < 69 else 1900
    return year


def _core_date(s: str, pos: int) -> tuple[dt.date, Precision, int] | None:
    """Return (date, precision, end position) of the date form at ``pos``, or None."""
    for pattern, kind in _CORES:
        m = pattern.match(s, pos)
        if m is None:
            continue
        g = m.groupdict()
        try:
            if kind in ("dmy", "ymd"):
                return dt.date(_year(g["y"]), int(g["m"]), int(g["d"])), "day", m.end()
            if kind in ("d_mon_y", "mon_d_y"):
                month = _MONTHS[g["mon"].lower()]
                return dt.date(int(g["y"]), month, int(g["d"])), "day", m.end()
            if kind == "mon_y":
                return dt.date(int(g["y"]), _MONTHS[g["mon"].lower()], 1), "month", m.end()
            if kind == "slash":
                a, b = int(g["a"]), int(g["b"])
                day, month = (a, b) if a > 12 else (b, a)
                return dt.date(_year(g["y"]), month, day), "day", m.end()
            if kind in ("my", "ym"):
                return dt.date(int(g["y"]), int(g["m"]), 1), "month", m.end()
            year = int(g["y"])
            if not 1800 <= year <= 2199:  # a bare number, not a year
                return None
            return dt.date(year, 1, 1), "year", m.end()
        except ValueError:
            # 31.02.2024 or month 13: the form matched but is no date. Later
            # forms would only misread it (e.g. as a year), so stop here.
            return None
    return None


def _clock(m: re.Match[str]) -> dt.time | None:
    hour = int(m["h"])
    minute = int(m["m"] or 0)
    second = int(m["s"] or 0)
    suffix = (m["suffix1"] or m["suffix2"] or "").strip().lower()
    # "5:00 PM" from English locales; "17:00 am Rathaus" is German "am" (at).
    if suffix[:1] in ("a", "p") and 1 <= hour <= 12:
        hour = hour % 12 + (12 if suffix[:1] == "p" else 0)
    if hour == 24 and minute == 0 and second == 0:
        return dt.time(0, 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def _times_at(s: str, pos: int) -> tuple[dt.time | None, dt.time | None, int]:
    """Return (start, end, position after) of a time or time range at ``pos``."""
    lead = _TIME_LEAD.match(s, pos)
    assert lead is not None  # the lead pattern can match empty
    m = _TIME1.match(s, lead.end())
    # "10.04" of "01.05.2017 - 10.04.2019" is the end date, not a time.
    if m is None or _NUMERIC_DATE.match(s, lead.end()):
        return None, None, pos
    start = _clock(m)
    if start is None:
        return None, None, pos
    end_pos = m.end()
    offset = _OFFSET.match(s, end_pos)
    if offset and s[lead.end() - 1 : lead.end()] in ("T", "t"):
        end_pos = offset.end()  # ISO offset: the wall-clock time is what counts here
    end: dt.time | None = None
    sep = _TIME_SEP.match(s, end_pos)
    if sep is not None:
        m2 = _TIME1.match(s, sep.end())
        # "18:00 - 18:55" but not "17:00 - 16.08.2023" (the end date's day).
        if m2 is not None and not _NUMERIC_DATE.match(s, sep.end()):
            end = _clock(m2)
            if end is not None:
                end_pos = m2.end()
    tail = _UHR.match(s, end_pos)
    if tail is not None:
        end_pos = tail.end()
    return start, end, end_pos


def _date_with_times(s: str, pos: int) -> tuple[dt.date, Precision, dt.time | None, dt.time | None, int] | None:
    prefix = _PREFIX.match(s, pos)
    assert prefix is not None
    core = _core_date(s, prefix.end())
    if core is None:
        return None
    day, precision, end_pos = core
    start_time, end_time, end_pos = _times_at(s, end_pos)
    return day, precision, start_time, end_time, end_pos


def _fast_parse(s: str, raw: str) -> ParsedDate | None | bool:
    """Return the ParsedDate of the fast path, None for no date, False when it cannot tell."""
    m = _BARE_NUMERIC.fullmatch(s)
    if m is not None:
        try:
            return ParsedDate(dt.date(_year(m[3]), int(m[2]), int(m[1])), "day", raw=raw)
        except ValueError:
            return None
    first = _date_with_times(s, 0)
    if first is None:
        return False
    day, precision, start_time, end_time, pos = first
    end_day: dt.date | None = None
    sep = _RANGE_SEP.match(s, pos)
    if sep is not None:
        second = _date_with_times(s, sep.end())
        if second is not None:
            end_day, end_precision, second_start, _second_end, pos = second
            if end_precision != precision:
                return False  # "Mai 2017 - 30.04.2019": leave odd mixtures to dateparser
            if end_precision == "month":
                end_day = _last_of_month(end_day)
            elif end_precision == "year":
                end_day = dt.date(end_day.year, 12, 31)
            if second_start is not None and end_time is None:
                end_time = second_start
        elif s[sep.end() :].strip() == "":
            pos = len(s)  # open range "07/2001-": only a start
    rest = _END.match(s, pos)
    if rest is None or rest.end() != len(s):
        return False
    return ParsedDate(day, precision, end_day, start_time, end_time, raw)


def _last_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# --- the dateparser fallback ----------------------------------------------------


@functools.cache
def _dateparser() -> DateDataParser:
    """Return the one configured dateparser instance (built on first use)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["de", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            # A date without a year would get this year: refuse it instead.
            "REQUIRE_PARTS": ["year"],
            # No "heute"/"vor 3 Tagen": a relative date depends on when the
            # page is parsed, not on what it says.
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )


@functools.lru_cache(maxsize=4096)
def _slow_parse(s: str) -> tuple[dt.date, Precision, dt.time | None] | None:
    data = _dateparser().get_date_data(s)
    if data.date_obj is None:
        return None
    value = data.date_obj
    # dateparser fills missing parts (a "2024" comes back as today's month):
    # keep only what the period says the string held.
    if data.period == "year":
        return dt.date(value.year, 1, 1), "year", None
    if data.period == "month":
        return dt.date(value.year, value.month, 1), "month", None
    clock = value.time()
    return value.date(), "day", (clock if clock != dt.time(0, 0) else None)


# --- public functions -------------------------------------------------------------


def parse_date(raw: str | None) -> ParsedDate | None:
    """Return the date (range, times) a string names, or None when it names none."""
    if raw is None:
        return None
    s = _SPACES.sub(" ", raw).strip()
    if not s:
        return None
    fast = _fast_parse(s, raw)
    if fast is not False:
        return fast  # type: ignore[return-value]
    if not (_HAS_LETTER.search(s) and _HAS_DIGIT.search(s)):
        # The fast path knows every purely numeric form, and a string
        # without digits names no year: dateparser would only guess.
        return None
    slow = _slow_parse(s)
    if slow is None:
        return None
    day, precision, clock = slow
    return ParsedDate(day, precision, start_time=clock, raw=raw)


_FREE_TIME = re.compile(
    # A time in free text: "17:00", "17:00:00", "17.30 Uhr", "17 Uhr". A dotted
    # or bare hour needs "Uhr" so that "15.08" of a date is not read as a time.
    r"(?<![\d.:])(?P<h>\d{1,2})(?:"
    r":(?P<m>\d{2})(?::(?P<s>\d{2}))?(?P<suffix1>\s*(?:Uhr|[ap]\.?\s?m\b\.?))?"
    r"|\.(?P<m2>\d{2})(?P<suffix3>\s*Uhr)"
    r"|(?P<suffix2>\s*(?:Uhr|[ap]\.?\s?m\b\.?))"
    r")(?![\d:])(?!\.\d)",
    _F,
)
_BETWEEN_TIMES = re.compile(r"^\s*(?:Uhr)?\s*(?:-|–|—|bis|ca\.|,?\s*Ende:?)+\s*(?:ca\.)?\s*$", _F)


def _free_clock(m: re.Match[str]) -> dt.time | None:
    hour, minute, second = int(m["h"]), int(m["m"] or m["m2"] or 0), int(m["s"] or 0)
    suffix = (m["suffix1"] or m["suffix2"] or "").strip().lower()
    # "5:00 PM" from English locales; "17:00 am Rathaus" is German "am" (at).
    if suffix[:1] in ("a", "p") and 1 <= hour <= 12:
        hour = hour % 12 + (12 if suffix[:1] == "p" else 0)
    if (hour, minute, second) == (24, 0, 0):
        return dt.time(0, 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def parse_time_range(raw: str | None) -> tuple[dt.time | None, dt.time | None]:
    """Return the (start, end) times a string holds; (None, None) when it holds none.

    Reads "17:30 Uhr", "18:00 - 18:55", "17:00-18:45 Uhr", "Beginn 17:00 Uhr",
    "16:00 bis 17:11 Uhr", "18.30 Uhr". The end is set only when a range
    separator (``-``, ``bis``, "Ende") stands between the two times.
    """
    if not raw:
        return None, None
    s = _SPACES.sub(" ", raw)
    found = [(m, _free_clock(m)) for m in _FREE_TIME.finditer(s)]
    found = [(m, t) for m, t in found if t is not None]
    if not found:
        return None, None
    (first, start), rest = found[0], found[1:]
    if rest and _BETWEEN_TIMES.match(s[first.end() : rest[0][0].start()]):
        return start, rest[0][1]
    return start, None


def meeting_start_end(
    date: dt.date | str | None, time_raw: str | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return tz-aware Europe/Berlin (start, end) of a meeting from its date and time text.

    ``date`` is a date or a date string (which may itself hold the times,
    "15.08.2023 17:00 - 18:55 Uhr"). Without a start time the start is None:
    no time of day is made up. An end earlier than the start falls on the
    next day (a meeting from 19:00 to 00:30).
    """
    start_time = end_time = None
    if isinstance(date, str):
        parsed = parse_date(date)
        if parsed is None or parsed.precision != "day":
            return None, None
        day = parsed.date
        start_time, end_time = parsed.start_time, parsed.end_time
    elif isinstance(date, dt.datetime):
        day = date.date()
    elif isinstance(date, dt.date):
        day = date
    else:
        return None, None
    if time_raw:
        start_time, end_time = parse_time_range(time_raw)
    if start_time is None:
        return None, None
    start = dt.datetime.combine(day, start_time, tzinfo=BERLIN)
    if end_time is None:
        return start, None
    end = dt.datetime.combine(day, end_time, tzinfo=BERLIN)
    if end < start:
        end = dt.datetime.combine(day + dt.timedelta(days=1), end_time, tzinfo=BERLIN)
    return start, end


_BROKEN_OFFSET = re.compile(r"([+-]\d{2}):{2,}(\d{2})$")
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_datetime_lenient(raw: str | None) -> dt.datetime | None:
    """Return the tz-aware datetime an ISO/OParl date-time string names, or None.

    Repairs what real OParl servers send: broken offsets (``+01::00``, Bonn),
    ``Z``, offsets without colon, date-times with a space instead of ``T``,
    no offset at all (read as Europe/Berlin), and bare dates (midnight in
    Europe/Berlin). German numeric forms ("20.07.2026 10:36:44") are read too.
    Empty strings, month- or year-only values and garbage give None.
    """
    if raw is None:
        return None
    s = raw.strip()
    if not s:
        return None
    if _ISO_LIKE.match(s):
        # fromisoformat (3.11) reads Z, +0100, +01 and a space for T; only
        # the doubled colon of some CC e-gov servers needs repair.
        s = _BROKEN_OFFSET.sub(r"\1:\2", s)
        try:
            value = dt.datetime.fromisoformat(s)
        except ValueError:
            value = None
        if value is not None:
            return value if value.tzinfo is not None else value.replace(tzinfo=BERLIN)
    parsed = parse_date(raw)
    if parsed is None or parsed.precision != "day":
        return None
    return dt.datetime.combine(parsed.date, parsed.start_time or dt.time(0, 0), tzinfo=BERLIN)


__all__ = [
    "BERLIN",
    "ParsedDate",
    "Precision",
    "meeting_start_end",
    "parse_date",
    "parse_datetime_lenient",
    "parse_time_range",
]
