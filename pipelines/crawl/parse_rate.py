"""The parse-rate watch: catch the quiet drop in what a parser extracts.

The usual failure of a scraper is not a crash but a redesign after which a
field silently stops being found. Every crawl counts, per page kind, on how
many pages each expected field was found (``Parsed.fields_seen``). The
shares are stored per crawl in ``parse_rate``; a field whose share falls
below the threshold (default 90 %, ``RATSINFO_PARSE_RATE_THRESHOLD``) on a
page kind seen at least ``min_pages`` times marks the source as degraded.
"""

from __future__ import annotations

import json
from typing import Any

from schemas.env import env_number
from schemas.staging import StagingArea

DEFAULT_THRESHOLD = 0.90
DEFAULT_MIN_PAGES = 3


def threshold_from_env() -> float:
    return env_number("RATSINFO_PARSE_RATE_THRESHOLD", DEFAULT_THRESHOLD, minimum=0, maximum=1, what="a share")


def degraded_fields(
    field_counts: dict[str, dict[str, list[int]]],
    threshold: float = DEFAULT_THRESHOLD,
    min_pages: int = DEFAULT_MIN_PAGES,
) -> list[dict[str, Any]]:
    """Return the (page kind, field) pairs whose found share is below ``threshold``."""
    findings = []
    for page_kind, fields in sorted(field_counts.items()):
        for field, (found, total) in sorted(fields.items()):
            if total >= min_pages and found / total < threshold:
                findings.append(
                    {"pageKind": page_kind, "field": field, "found": found, "total": total, "rate": round(found / total, 3)}
                )
    return findings


def record_parse_rates(con, staging: StagingArea, threshold: float | None = None) -> list[dict[str, Any]]:
    """Store a crawl's parse rates in the warehouse; return its degraded fields."""
    manifest = staging.read_manifest()
    crawl_id = manifest.get("crawlId", staging.crawl_id)
    counts = manifest.get("fieldCounts") or {}
    con.execute('DELETE FROM parse_rate WHERE "crawlId" = ?', [crawl_id])
    rows = [
        (crawl_id, manifest.get("source"), kind, field, found, total, found / total if total else None)
        for kind, fields in counts.items()
        for field, (found, total) in fields.items()
    ]
    if rows:
        con.executemany("INSERT INTO parse_rate VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    findings = degraded_fields(counts, threshold if threshold is not None else threshold_from_env())
    staging.update_manifest(degraded=findings)
    con.execute('UPDATE crawl SET "degraded" = ? WHERE "crawlId" = ?', [json.dumps(findings), crawl_id])
    return findings
