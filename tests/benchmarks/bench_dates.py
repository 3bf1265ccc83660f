"""Print how many dates per second ``parse_date`` reads, fast path and overall.

The mix imitates what a crawl meets: mostly numeric dates with and without
weekday and time, some ISO values from OParl, some written months and English
locale dates, and a few forms only dateparser reads. Every string comes from a
random date, so dateparser's result cache rarely helps.

Run: ``python tests/benchmarks/bench_dates.py [--n 100000] [--seed 1]``
(not collected by pytest: only ``test_*.py`` files are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from pipelines.normalise.dates import parse_date

_WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_WEEKDAYS_LONG = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_MONTHS_ABBR = ("Jan.", "Feb.", "Mrz", "Apr.", "Mai", "Jun.", "Jul.", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Form = Callable[[dt.date, random.Random], str]

# (weight, name, formatter); the weights are per cent of the mix.
FAST_FORMS: list[tuple[int, str, Form]] = [
    (45, "dd.mm.yyyy", lambda d, r: d.strftime("%d.%m.%Y")),
    (10, "Mo, dd.mm.yyyy", lambda d, r: f"{_WEEKDAYS_SHORT[d.weekday()]}, {d:%d.%m.%Y}"),
    (5, "Di., dd.mm.yyyy", lambda d, r: f"{_WEEKDAYS_SHORT[d.weekday()]}., {d:%d.%m.%Y}"),
    (8, "dd.mm.yyyy HH:MM Uhr", lambda d, r: f"{d:%d.%m.%Y} {r.randint(8, 20)}:{r.choice(('00', '30'))} Uhr"),
    (8, "ISO date-time", lambda d, r: f"{d.isoformat()}T{r.randint(8, 20):02d}:00:00+01:00"),
    (3, "dd.mm.yy", lambda d, r: d.strftime("%d.%m.%y")),
    (5, "Wochentag, d. Monat yyyy", lambda d, r: f"{_WEEKDAYS_LONG[d.weekday()]}, {d.day}. {_MONTHS_DE[d.month - 1]} {d.year}"),
    (3, "Mon d, yyyy", lambda d, r: f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}"),
    (3, "Monat yyyy", lambda d, r: f"{_MONTHS_ABBR[d.month - 1]} {d.year}"),
    (2, "range", lambda d, r: f"{d:%d.%m.%Y} bis {d + dt.timedelta(days=r.randint(1, 2000)):%d.%m.%Y}"),
    (3, "date + time range", lambda d, r: f"{d:%d.%m.%Y}, 17:00 - 18:{r.randint(10, 59)} Uhr"),
]
SLOW_FORMS: list[tuple[int, str, Form]] = [
    (3, "dd-Mon-yyyy", lambda d, r: f"{d.day:02d}-{_MONTHS_EN[d.month - 1]}-{d.year}"),
    (2, "Weekday, dth of Month yyyy", lambda d, r: f"{d:%A}, {_ordinal(d.day)} of {d:%B} {d.year}"),
]


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"



def make_mix(n: int, seed: int) -> tuple[list[str], list[str]]:
    """Return (fast-path strings, all strings) for ``n`` random dates."""
    rng = random.Random(seed)
    forms = FAST_FORMS + SLOW_FORMS
    weights = [w for w, _, _ in forms]
    start = dt.date(1995, 1, 1).toordinal()
    stop = dt.date(2030, 12, 31).toordinal()
    everything: list[str] = []
    fast: list[str] = []
    slow_names = {name for _, name, _ in SLOW_FORMS}
    for _ in range(n):
        _, name, form = rng.choices(forms, weights)[0]
        text = form(dt.date.fromordinal(rng.randint(start, stop)), rng)
        everything.append(text)
        if name not in slow_names:
            fast.append(text)
    return fast, everything


def rate(strings: list[str]) -> tuple[float, int]:
    """Return (dates per second, how many parsed) for parsing ``strings`` once."""
    begin = time.perf_counter()
    parsed = sum(1 for s in strings if parse_date(s) is not None)
    return len(strings) / (time.perf_counter() - begin), parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="strings in the mix")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fast, everything = make_mix(args.n, args.seed)
    parse_date("Mo, 03.03.2025")  # compile the patterns outside the timing
    parse_date("15-Aug-2023")  # load dateparser's locales outside the timing

    numeric = [s for s in fast if s[:1].isdigit() and "." in s and len(s) <= 10]
    for label, strings in (
        ("numeric dd.mm.yyyy / dd.mm.yy", numeric),
        ("fast path (all fast forms)", fast),
        ("overall (incl. dateparser forms)", everything),
    ):
        per_second, parsed = rate(strings)
        print(f"{label:34} {len(strings):>8} strings  {per_second:>12,.0f} dates/s  parsed {parsed}/{len(strings)}")


if __name__ == "__main__":
    main()
