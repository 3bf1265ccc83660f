"""Fill an item's normalised fields from the raw strings its parser kept.

Parsers copy what the page prints into the ``…Raw`` fields; this step turns
them into values (``dateRaw`` → ``date`` + ``datePrecision``, ``timeRaw`` →
``start``/``end`` in Europe/Berlin, ``leadOfficeRaw`` → kind/code/name,
``resultRaw``/``voteRaw`` → result and vote counts). A value the parser
already set is kept. Runs where a crawl reads its pages
(``spiders.parse_worker.read_page``), in ``ratsinfo parse`` and in ``ratsinfo
reparse``, so all give the same items.
"""

from __future__ import annotations

import datetime as dt
import functools

from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Paper
from schemas.staging import StagedLines
from pipelines.normalise.dates import meeting_start_end, parse_date
from pipelines.normalise.offices import DATA_DIR, office_from_label, read_office_table

# A municipality whose offices deviate from the KGSt numbering gets its own
# table here, columns code,name (e.g. "61,Amt für Stadtentwicklung").
OFFICE_OVERRIDES = DATA_DIR / "offices"
from pipelines.normalise.votes import parse_vote_result


def normalise_item(item: Item) -> Item:
    """Return ``item`` with its normalised fields filled (in place)."""
    if isinstance(item, (Paper, Meeting, Consultation, File)):
        _fill_date(item)
    if isinstance(item, Meeting):
        _fill_meeting_times(item)
    if isinstance(item, Paper):
        _fill_office(item)
    if isinstance(item, AgendaItem):
        _fill_votes(item)
    if isinstance(item, Consultation) and item.result is None and item.resultRaw:
        vote = parse_vote_result(item.resultRaw)
        item.result = vote.result if vote else None
    return item


def normalised_lines(items: list[Item], fetched_at: dt.datetime | None) -> StagedLines | None:
    """Return a page's items stamped with their fetch time (if given), normalised and written out as
    the lines they add to a crawl's items.jsonl; None when the page has no items."""
    if not items:
        return None
    if fetched_at is not None:
        for item in items:
            item.crawledAt = fetched_at
    return StagedLines.of([normalise_item(item).to_staged() for item in items])


def _fill_date(item) -> None:
    if item.date is not None or not item.dateRaw:
        return
    parsed = parse_date(item.dateRaw)
    if parsed is None:
        return
    item.date = parsed.date
    if hasattr(item, "datePrecision"):
        item.datePrecision = parsed.precision


def _fill_meeting_times(item: Meeting) -> None:
    if item.date is None or item.start is not None:
        return
    start, end = meeting_start_end(item.date, item.timeRaw or item.dateRaw or "")
    item.start = start
    item.end = item.end or end


@functools.cache
def municipal_offices(source: str) -> dict[str, str] | None:
    """Return a municipality's own office names (``data/offices/<source>.csv``), or None."""
    path = OFFICE_OVERRIDES / f"{source}.csv"
    return read_office_table(path) if path.is_file() else None


def _fill_office(item: Paper) -> None:
    if not item.leadOfficeRaw or item.leadOfficeCode or item.leadOfficeName:
        return
    office = office_from_label(item.leadOfficeRaw, municipal_offices(item.source))
    if office is None:
        return
    item.leadOfficeKind = office.kind
    item.leadOfficeCode = office.code
    item.leadOfficeName = office.name


def _fill_votes(item: AgendaItem) -> None:
    if item.result is not None:
        return
    # The Beschlussart carries the outcome, the Abstimmungsergebnis the counts.
    vote = parse_vote_result(item.resultRaw, item.voteRaw)
    if vote is None:
        return
    item.result = vote.result
    item.unanimous = vote.unanimous
    item.votesYes = vote.yes
    item.votesNo = vote.no
    item.votesAbstain = vote.abstain
    item.votesBiased = vote.biased
    if vote.others:
        item.otherVotes = [
            {"result": o.result, "unanimous": o.unanimous, "yes": o.yes, "no": o.no, "abstain": o.abstain,
             "biased": o.biased, "raw": o.raw}
            for o in vote.others
        ]
