"""Scale-out: the nightly flow's crawls on a Prefect process work pool with two workers.

A real Prefect server, a process work pool, two `prefect worker start`
processes (each one flow run at a time) and the demo site. The crawls run
as flow runs on the workers and write to a shared data directory; the
nightly flow loads them. The warehouse must equal the one a single-process
run builds from the same sources (crawl ids and timestamps aside).
"""

from __future__ import annotations

import contextvars
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from flows.demo_site import serve_demo
from flows.nightly import demo_sources, nightly
from flows.schedule import register_crawl_deployment, stop_process_group
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

# One request at a time per host, as in production (no delay: the demo site is ours).
FAST_CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
POOL = "ratsinfo-test-pool"
# Bookkeeping that differs between any two runs: which crawl, and when.
RUN_COLUMNS = {"crawlId", "crawledAt", "firstSeen", "lastSeen", "startedAt", "finishedAt", "loadedAt", "fetchedAt", "at",
               "resumedAt", "requests", "responses", "retries", "seenAt", "derivedAt",
               "modified"}  # for HTML sources: when ratsinfo first saw the object
# The record of how each run's loads went (which change, which duplicate won first), not the warehouse's content.
RUN_TABLES = {"history", "load_conflict", "changes"}
# An object (a row with a systemId) shown on several pages (a person, a document, an agenda item) keeps the url of the page the crawl
# met it on first, which depends on the order of responses in any two crawls, and so does its contentHash.
CRAWL_ORDER_COLUMNS = {"url", "contentHash"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, prefect_server):
    """Run the nightly flow once in one process and once on the work pool; return both warehouses and the worker logs."""
    tmp = tmp_path_factory.mktemp("workpool")
    with serve_demo() as demo:
        sources = demo_sources(demo.base_url)
        deployment = register_crawl_deployment(POOL)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_API_URL=prefect_server, PREFECT_WORKER_QUERY_SECONDS="1",
                   PREFECT_HOME=str(tmp / "worker-home"), PYTHONPATH=str(PROJECT_ROOT), DO_NOT_TRACK="1")
        prefect = Path(sys.executable).with_name("prefect")
        workers, logs = [], []
        try:
            for name in ("worker-a", "worker-b"):
                log = tmp / f"{name}.log"
                logs.append(log)
                workers.append(subprocess.Popen(
                    [str(prefect), "worker", "start", "--pool", POOL, "--type", "process", "--name", name, "--limit", "1"],
                    env=env, cwd=tmp, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
                ))
            # The reference, every crawl in this process, runs beside the pooled run (they share nothing).
            with ThreadPoolExecutor(1) as pool:
                single = pool.submit(
                    contextvars.copy_context().run, nightly, sources=sources, data_dir=str(tmp / "single"), db_path=str(tmp / "single.duckdb"),
                    export_path=str(tmp / "single.csv"), crawl_settings=FAST_CRAWL)
                pooled = nightly(sources=sources, data_dir=str(tmp / "shared"), db_path=str(tmp / "pooled.duckdb"),
                                 export_path=str(tmp / "pooled.csv"), crawl_settings=FAST_CRAWL,
                                 work_pool_deployment=deployment)
                single = single.result()
        finally:
            for worker in workers:
                stop_process_group(worker)
    return {"tmp": tmp, "single": single, "pooled": pooled, "worker_logs": logs, "sources": sources}


def canonical(value):
    """Return a JSON text with sorted keys (the order of keys in a counts object follows crawl order), else the value."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return value


def table_contents(db: Path) -> dict[str, list[str]]:
    """Return every warehouse table's rows (bookkeeping columns left out), sorted, as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        contents = {}
        for table in [t for t in tables if t not in RUN_TABLES]:
            every = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()]
            left_out = RUN_COLUMNS | (CRAWL_ORDER_COLUMNS if "systemId" in every else set())
            columns = [c for c in every if c not in left_out]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
            contents[table] = sorted(repr(tuple(canonical(v) for v in row)) for row in rows)
        return contents
    finally:
        con.close()


def test_every_crawl_ran_on_a_worker_and_both_workers_took_crawls(runs):
    pooled = runs["pooled"]
    assert pooled["failed"] == [] and pooled["errors"] == {}, pooled
    flow_runs = {entry["flowRun"] for entry in pooled["sources"].values()}
    assert len(flow_runs) == len(runs["sources"])
    taken = []
    for log in runs["worker_logs"]:
        text = log.read_text(errors="replace")
        taken.append({run for run in flow_runs if run in text})
    assert all(taken), [log.read_text(errors="replace")[-2000:] for log in runs["worker_logs"]]
    assert set().union(*taken) == flow_runs


def test_staging_and_raw_pages_are_in_the_shared_directory(runs):
    shared = runs["tmp"] / "shared"
    for entry in runs["pooled"]["sources"].values():
        assert (shared / "staging" / entry["crawlId"] / "crawl.json").is_file()
        assert (shared / "staging" / entry["crawlId"] / "items.jsonl").stat().st_size > 0
    assert any((shared / "raw").rglob("*"))


def test_the_pooled_warehouse_equals_the_single_process_one(runs):
    single = table_contents(runs["tmp"] / "single.duckdb")
    pooled = table_contents(runs["tmp"] / "pooled.duckdb")
    assert sorted(single) == sorted(pooled)
    assert sum(len(rows) for rows in single.values()) > 500  # the demo site's three towns, not an empty file
    for table in single:
        missing = sorted(set(single[table]) - set(pooled[table]))[:3]
        extra = sorted(set(pooled[table]) - set(single[table]))[:3]
        assert single[table] == pooled[table], (table, missing, extra)
    assert (runs["tmp"] / "single.csv").read_bytes() == (runs["tmp"] / "pooled.csv").read_bytes()
