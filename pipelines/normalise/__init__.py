"""Pure normalisers: raw strings from pages and APIs in, typed values out.

* ``dates``       dates, times, ranges and date-times (``parse_date`` …);
* ``offices``     lead-office labels and the KGSt office table (``office_from_label``);
* ``votes``       agenda-item results and vote counts (``parse_vote_result``);
* ``references``  paper numbers in running text (``find_paper_references``);
* ``items``       an item's normalised fields from the raw strings its parser kept (``normalise_item``).

No network and no clock; the only file read is the office table in ``data/``.
"""

from pipelines.normalise.dates import (
    ParsedDate,
    meeting_start_end,
    parse_date,
    parse_datetime_lenient,
    parse_time_range,
)
from pipelines.normalise.offices import Office, load_office_table, office_from_label, office_key
from pipelines.normalise.references import (
    PaperReference,
    find_paper_references,
    reference_key,
    reference_keys,
)
from pipelines.normalise.votes import VoteResult, parse_vote_result

__all__ = [
    "Office",
    "PaperReference",
    "ParsedDate",
    "VoteResult",
    "find_paper_references",
    "load_office_table",
    "meeting_start_end",
    "office_from_label",
    "office_key",
    "parse_date",
    "parse_datetime_lenient",
    "parse_time_range",
    "parse_vote_result",
    "reference_key",
    "reference_keys",
]
