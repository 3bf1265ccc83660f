"""The nightly run's report: per source what was fetched, loaded, failed, degraded and pending.

Written twice beside each other under ``<data_dir>/runs/``: ``<run id>.json``
for machines, ``<run id>.txt`` for people. A source is ``failed`` when its
crawl crashed, stopped before it finished (time budget, unreachable host,
interrupted), fetched nothing although it asked, or its load failed; it is
``degraded`` when a field's parse rate fell below the threshold. When any
source fails or degrades, the alert configured in ``sources.toml``
(``[alert] command``/``webhook``) or the environment
(``RATSINFO_ALERT_COMMAND``/``RATSINFO_ALERT_WEBHOOK``) is called with the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shlex
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

from flows.sources import Alert, Source
from schemas.staging import StagingArea, read_jsonl

logger = logging.getLogger(__name__)


def source_entry(source: Source, crawl_id: str, budget_s: float) -> dict[str, Any]:
    """Return a source's report entry before its crawl starts."""
    return {
        "source": source.slug, "crawlId": crawl_id, "baseUrl": source.base_url, "system": source.system,
        "timeBudgetSeconds": budget_s,
        # Filled by the documents stage when it runs after the load; None means "not counted".
        "pendingDocuments": None,
    }


def failure_counts(staging: StagingArea) -> dict[str, int]:
    """Return a crawl's failure records split into fetch failures, refusals and pages that did not parse."""
    counts = {"fetchFailed": 0, "refused": 0, "parseFailed": 0}
    if not staging.failures_path.exists():
        return counts
    for record in read_jsonl(staging.failures_path):
        error = str(record.get("error") or "")
        if record.get("outcome") == "refused":
            counts["refused"] += 1
        elif record.get("stage") == "fetch" or error.startswith("fetch failed") or (
            record.get("status") is None and not record.get("sha256")
        ):
            counts["fetchFailed"] += 1
        else:
            counts["parseFailed"] += 1
    return counts


def why_failed(entry: dict[str, Any]) -> str | None:
    """Return why a source's run counts as failed, or None."""
    if entry.get("error"):
        return entry["error"].strip().splitlines()[0]
    if entry.get("loadError"):
        return f"load failed: {entry['loadError'].strip().splitlines()[0]}"
    status = entry.get("crawlStatus")
    if status is None:
        return "the crawl left nothing staged"
    if status == "stopped: closespider_timeout":
        minutes = (entry.get("timeBudgetSeconds") or 0) / 60
        return f"time budget of {minutes:g} min used up; stopped (what was fetched is loaded)"
    if status != "finished":
        return f"crawl {status}"
    if entry.get("requests") and not entry.get("responses"):
        return f"unreachable: {entry['requests']} request(s), no response"
    return None


def finish_report(summary: dict[str, Any], data_dir: Path, alert: Alert) -> Path | None:
    """Complete the summary's per-source outcomes, write the JSON and text reports, call the alert; return the JSON path."""
    for slug, entry in summary["sources"].items():
        staging = StagingArea(data_dir, entry["crawlId"])
        manifest = staging.read_manifest()
        entry.update(
            fetched=manifest.get("responses", entry.get("pages", 0)) or 0,
            requests=manifest.get("requests"),
            responses=manifest.get("responses"),
            crawlSeconds=_seconds_between(manifest.get("startedAt"), manifest.get("finishedAt")),
            **failure_counts(staging),
        )
        tables = entry.get("tables") or {}
        entry["loaded"] = {
            "rows": sum(t.get("staged", 0) for t in tables.values()),
            "inserted": sum(t.get("inserted", 0) for t in tables.values()),
            "updated": sum(t.get("updated", 0) for t in tables.values()),
        }
        entry["reason"] = why_failed(entry)
        entry["outcome"] = "failed" if entry["reason"] else "degraded" if entry.get("degraded") else "ok"
    summary["failed"] = sorted(s for s, e in summary["sources"].items() if e["outcome"] == "failed")
    summary["degraded"] = sorted(s for s, e in summary["sources"].items() if e.get("degraded"))
    summary["finishedAt"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    try:
        path = write_report(summary, data_dir)
    except OSError as exc:
        logger.error("could not write the run report under %s: %s", data_dir / "runs", exc)
        summary["errors"]["report"] = str(exc)
        path = None
    if summary["failed"] or summary["degraded"] or summary["errors"]:
        summary["alert"] = send_alert(summary, path, alert)
        if path is not None:  # the report also says whether the alert went out
            with contextlib.suppress(OSError):
                path.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    try:
        return round((dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds(), 1)
    except ValueError:
        return None


def write_report(summary: dict[str, Any], data_dir: Path) -> Path:
    """Write ``runs/<run id>.json`` and ``.txt`` under ``data_dir``; return the JSON path."""
    runs = data_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.fromisoformat(summary["startedAt"]).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = stamp, 1
    while (runs / f"{run_id}.json").exists():
        n += 1
        run_id = f"{stamp}-{n}"
    summary["runId"] = run_id
    path = runs / f"{run_id}.json"
    summary["report"] = str(path)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    path.with_suffix(".txt").write_text(format_summary(summary), encoding="utf-8")
    return path


def format_summary(summary: dict[str, Any]) -> str:
    """Return the person-readable summary of a nightly run."""
    lines = ["", "ratsinfo run summary", "=" * 60]
    if summary.get("skipped"):
        return "\n".join(lines + [summary["skipped"], ""])
    for slug, entry in summary["sources"].items():
        lines.append(f"{slug}  [{entry.get('system') or '?'}]  {entry.get('baseUrl')}  {entry.get('outcome', '?').upper()}")
        if entry.get("reason"):
            lines.append(f"  FAILED   {entry['reason']}")
        tables = entry.get("tables") or {}
        if tables:
            parts = [f"{t}: {c['staged']} ({c['inserted']} new, {c['updated']} changed)" for t, c in sorted(tables.items())]
            lines.append("  loaded   " + "\n           ".join(parts))
        lines.append(
            f"  pages    {entry.get('fetched', 0)} fetched, {entry.get('fetchFailed', 0)} fetch failed, "
            f"{entry.get('refused', 0)} refused, {entry.get('parseFailed', 0)} could not be parsed"
        )
        for finding in entry.get("degraded") or []:
            lines.append(f"  DEGRADED {finding['pageKind']}.{finding['field']}: {finding['found']}/{finding['total']} pages")
        documents = entry.get("documents") or {}
        if documents:
            statuses = ", ".join(f"{n} {s}" for s, n in sorted((documents.get("statuses") or {}).items()))
            lines.append(f"  documents {documents.get('urls', 0)} fetched ({statuses or 'none'}), "
                         f"{entry.get('pendingDocuments', '?')} pending" + (" — FAILED" if documents.get("error") else ""))
        elif entry.get("pendingDocuments") is not None:
            lines.append(f"  documents {entry['pendingDocuments']} pending")
        timing = [f"crawl {entry['crawlSeconds']} s" if entry.get("crawlSeconds") is not None else None,
                  f"load {entry['loadSeconds']} s" if entry.get("loadSeconds") is not None else None]
        if any(timing):
            lines.append("  time     " + ", ".join(t for t in timing if t))
    lines.append(f"warehouse  {Path(summary['db']).resolve()}")
    export = summary["export"]
    if (summary.get("errors") or {}).get("export"):
        written = "not written: see ERROR"
    else:
        written = f"{export['rows'] if export.get('rows') is not None else 'no'} {export['topic']} papers"
    lines.append(f"export     {Path(export['path']).resolve()}  ({written})")
    for name, error in (summary.get("errors") or {}).items():
        lines.append(f"ERROR      {name}: {str(error).strip().splitlines()[-1] if str(error).strip() else error}")
    if summary.get("degraded"):
        lines.append(f"degraded   {', '.join(summary['degraded'])}")
    if summary.get("failed"):
        lines.append(f"failed     {', '.join(summary['failed'])}")
    if summary.get("pendingDocuments") is not None:
        lines.append(f"documents  {summary['pendingDocuments']} pending (`ratsinfo documents` fetches them)")
    digest = summary.get("digest") or {}
    if any(digest.get(k) for k in ("email", "webhook", "error")):
        sent = "; ".join(f"{k} {digest[k]}" for k in ("email", "webhook", "error") if digest.get(k))
        lines.append(f"digest     {digest.get('entries', 0)} new or changed resolutions: {sent}")
    if summary.get("report"):
        lines.append(f"report     {summary['report']}")
    lines.append(f"web page   run `ratsinfo web --db {summary['db']}`, then open http://127.0.0.1:8080/ in a browser")
    return "\n".join(lines) + "\n"


def send_alert(summary: dict[str, Any], report: Path | None, alert: Alert) -> dict[str, Any]:
    """Call the configured alert command and/or webhook about a run with failed or degraded sources; return what happened."""
    command = alert.command or os.environ.get("RATSINFO_ALERT_COMMAND")
    webhook = alert.webhook or os.environ.get("RATSINFO_ALERT_WEBHOOK")
    outcome: dict[str, Any] = {}
    payload = {
        "runId": summary.get("runId"), "report": str(report) if report else None,
        "failed": {s: summary["sources"][s].get("reason") for s in summary["failed"]},
        "degraded": summary["degraded"], "errors": summary.get("errors") or {},
    }
    if command:
        try:
            result = subprocess.run([*shlex.split(command), str(report or "")], input=json.dumps(payload), text=True,
                                    capture_output=True, timeout=60)
            outcome["command"] = f"exit {result.returncode}"
        except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
            outcome["command"] = f"failed: {exc}"
            logger.error("alert command %r failed: %s", command, exc)
    if webhook:
        request = urllib.request.Request(webhook, data=json.dumps(payload).encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/json", "User-Agent": "ratsinfo-alert"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                outcome["webhook"] = f"HTTP {response.status}"
        except (OSError, ValueError) as exc:
            outcome["webhook"] = f"failed: {exc}"
            logger.error("alert webhook %s failed: %s", webhook, exc)
    return outcome
