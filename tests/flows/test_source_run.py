"""flows.source_run: the one crawl → load → index sequence, and the CLI and the nightly flow both running it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import pytest

from flows import source_run
from flows.source_run import CrawlCrashed, run_source
from flows.sources import Source
from schemas.items import Meeting
from schemas.staging import JsonlWriter, StagingArea

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "4"}
TABLES = ("meeting", "agenda_item", "paper", "consultation", "file", "organization", "person", "membership")


def staging_crawl(status: str | None, meetings: int):
    """Return a crawl step that stages ``meetings`` meetings with ``status``, then raises when status is None."""
    def crawl(source: Source, data_dir: str, crawl_id: str, settings: dict, time_budget_s):
        staging = StagingArea(Path(data_dir), crawl_id).create()
        staging.update_manifest(crawlId=crawl_id, source=source.slug, baseUrl=source.base_url, system="allris_classic",
                                startedAt="2026-11-01T02:00:00+00:00", status=status or "running")
        writer = JsonlWriter(staging.items_path)
        for n in range(meetings):
            writer.write(Meeting(source=source.slug, system="allris_classic", systemId=str(n), url=f"http://x/{n}",
                                 name="Rat").to_dict())
        writer.close()
        JsonlWriter(staging.failures_path).close()
        if status is None:
            raise CrawlCrashed("killed")
        return {"crawlId": crawl_id, "status": status, "exitCode": 0}
    return crawl


def test_a_run_crawls_registers_loads_and_indexes(tmp_path):
    source = Source(slug="musterstadt", base_url="http://x/bi/", name="Musterstadt", ags="01234567")
    result = run_source(source, tmp_path / "data", tmp_path / "w.duckdb", crawl_id="c1",
                        crawl=staging_crawl("finished", 3))
    assert result.ok and result.crawl_status == "finished" and result.system == "allris_classic"
    assert result.load["status"] == "finished" and result.search_index == 0  # no papers in this crawl
    # The sync state of the source was handed to the crawl.
    assert Path(result.crawl_settings["RATSINFO_SYNC_STATE"]).is_file()
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM meeting").fetchone()[0] == 3
    # The source row names the detected system when the source did not.
    assert con.execute('SELECT * FROM source').fetchall() == [
        ("musterstadt", "Musterstadt", "01234567", "allris_classic", "http://x/bi/")]


def test_a_crashed_crawl_still_has_what_it_staged_loaded_and_its_error_recorded(tmp_path):
    result = run_source(Source(slug="musterstadt", base_url="http://x/bi/"), tmp_path, tmp_path / "w.duckdb",
                        crawl_id="c1", crawl=staging_crawl(None, 2))
    assert not result.ok and "CrawlCrashed: killed" in result.crawl_error
    assert result.load_error is None and result.load["status"] == "running"
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM meeting").fetchone()[0] == 2


def test_the_load_lock_is_held_while_loading_and_free_while_crawling(tmp_path):
    lock = threading.Lock()
    held_during_crawl = []

    def crawl(*args):
        held_during_crawl.append(lock.locked())
        return staging_crawl("finished", 1)(*args)

    seen = []
    real_load = source_run.load_staged

    def load(*args, **kwargs):
        seen.append(lock.locked())
        return real_load(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(source_run, "load_staged", load)
        run_source(Source(slug="m", base_url="http://x/"), tmp_path, tmp_path / "w.duckdb", crawl_id="c1",
                   crawl=crawl, load_lock=lock, index=False)
    assert held_during_crawl == [False] and seen == [True]


@pytest.fixture
def spy(monkeypatch):
    """Record every call of flows.source_run.run_source (the CLI and the flow look it up there)."""
    calls = []

    def recording(source, data_dir, db_path, **kwargs):
        result = run_source(source, data_dir, db_path, **kwargs)
        calls.append((source, result))
        return result

    monkeypatch.setattr(source_run, "run_source", recording)
    return calls


def warehouse_rows(db: Path, slug: str) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {t: con.execute(f'SELECT count(*) FROM {t} WHERE "source" = ?', [slug]).fetchone()[0] for t in TABLES}
        rows["source"] = con.execute('SELECT "system", "baseUrl" FROM source WHERE "source" = ?', [slug]).fetchall()
        rows["search"] = con.execute('SELECT count(*) FROM search_document WHERE "source" = ?', [slug]).fetchone()[0]
        return rows
    finally:
        con.close()


@pytest.mark.slow
def test_the_cli_and_the_nightly_flow_run_the_same_sequence_with_the_same_result(tmp_path, spy, prefect_server, capsys):
    from flows import cli
    from flows.demo_site import serve_demo
    from flows.nightly import demo_sources, nightly

    with serve_demo() as server:
        demo = min(demo_sources(server.base_url), key=lambda s: s["slug"])  # one municipality is enough
        settings = [arg for k, v in FAST.items() for arg in ("--set", f"{k}={v}")]
        code = cli.main(["crawl", demo["base_url"], "--source", demo["slug"], "--system", demo["system"],
                         "--months", demo["months"], "--data-dir", str(tmp_path / "cli"),
                         "--db", str(tmp_path / "cli.duckdb"), *settings])
        summary = nightly(sources=[demo], data_dir=str(tmp_path / "flow"), db_path=str(tmp_path / "flow.duckdb"),
                          export_path=str(tmp_path / "flow.csv"), crawl_settings=FAST)
    assert code == 0, capsys.readouterr().err[-2000:]
    assert [(s.slug, r.ok) for s, r in spy] == [(demo["slug"], True)] * 2
    cli_result, flow_result = spy[0][1], spy[1][1]
    assert cli_result.manifest["itemCounts"] == flow_result.manifest["itemCounts"]
    assert summary["sources"][demo["slug"]]["crawlStatus"] == "finished"
    cli_rows = warehouse_rows(tmp_path / "cli.duckdb", demo["slug"])
    assert cli_rows["meeting"] > 0 and cli_rows["paper"] > 0
    # The flow's search index is rebuilt once after all loads; the CLI's after its one load: the same papers.
    assert cli_rows == warehouse_rows(tmp_path / "flow.duckdb", demo["slug"])
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert printed[0]["status"] == "finished" and printed[1]["status"] == "finished"  # crawl summary, then load report


def test_a_crawl_started_in_another_folder_stages_into_that_folders_data_dir(tmp_path, monkeypatch, capsys):
    """``ratsinfo crawl`` with the default, relative ``--data-dir`` from a folder other than the project.

    The crawl runs in a child process started in the project's folder; given the relative path as it
    was, the child staged into the project's own ``data/`` and the command reported the crawl as failed.
    """
    from flows import cli
    from flows.demo_site import serve_demo
    from flows.nightly import demo_sources
    from tests.conftest import PROJECT_ROOT

    monkeypatch.chdir(tmp_path)
    with serve_demo() as server:
        demo = min(demo_sources(server.base_url), key=lambda s: s["slug"])
        settings = [arg for k, v in FAST.items() for arg in ("--set", f"{k}={v}")]
        code = cli.main(["crawl", demo["base_url"], "--source", demo["slug"], "--system", demo["system"],
                         "--months", demo["months"], "--no-load", *settings])
    out = capsys.readouterr()
    assert code == 0, out.err[-2000:]
    summary = json.loads(next(line for line in out.out.splitlines() if line.startswith("{")))
    assert summary["status"] == "finished" and summary["itemCounts"]["Paper"] > 0
    staged = StagingArea(tmp_path / "data", summary["crawlId"])
    assert staged.read_manifest()["status"] == "finished"
    assert sum(1 for _ in staged.read_items()) > 0
    assert not (PROJECT_ROOT / "data" / "staging" / summary["crawlId"]).exists()


def test_relative_paths_in_settings_mean_the_folder_the_command_was_started_in(tmp_path, monkeypatch, capsys):
    """``--set LOG_FILE=crawl.log`` from another folder writes the log there, for the crawl and the documents crawl.

    Both crawls run in child processes started in the project's folder (to import it); a relative
    path in a setting was read against that folder, so the logs landed in the project.
    """
    from flows import cli
    from flows.demo_site import serve_demo
    from flows.nightly import demo_sources
    from tests.conftest import PROJECT_ROOT

    monkeypatch.chdir(tmp_path)
    names = {"crawl": f"crawl-{tmp_path.name}.log", "documents": f"documents-{tmp_path.name}.log"}
    try:
        with serve_demo() as server:
            demo = min(demo_sources(server.base_url), key=lambda s: s["slug"])
            month = demo["months"].split("..")[0]
            settings = [arg for k, v in FAST.items() for arg in ("--set", f"{k}={v}")]
            crawled = cli.main(["crawl", demo["base_url"], "--source", demo["slug"], "--system", demo["system"],
                                "--months", f"{month}..{month}", "--set", f"LOG_FILE={names['crawl']}", *settings])
            fetched = cli.main(["documents", "--limit", "1", "--set", f"LOG_FILE={names['documents']}", *settings])
        out = capsys.readouterr()
        assert (crawled, fetched) == (0, 0), out.err[-2000:]
        for name in names.values():
            assert "Spider closed (finished)" in (tmp_path / name).read_text(encoding="utf-8")
            assert not (PROJECT_ROOT / name).exists()
    finally:
        for name in names.values():  # what the crawls wrote into the project before the fix
            (PROJECT_ROOT / name).unlink(missing_ok=True)
