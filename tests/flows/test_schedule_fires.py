"""`ratsinfo schedule` as an operator runs it: its own Prefect server, a cron that fires, Ctrl-C.

One `ratsinfo schedule` process for the module (starting a Prefect server
is slow): the cron fires every minute, so the scheduler creates a run
within a minute and the served deployment executes it against the demo
site. The last test sends SIGINT and checks that nothing it started is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import duckdb
import pytest

from flows.demo_site import DEMO_SOURCES, serve_demo
from flows.schedule import free_port, wait_for_server
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

FAST_CRAWL = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
SOURCE = next(s for s in DEMO_SOURCES if s.system == "sessionnet")


def tagged_processes(tag: str) -> list[int]:
    """Return the pids of live processes whose environment carries ``RATSINFO_TEST_TAG=tag``."""
    needle = f"RATSINFO_TEST_TAG={tag}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:  # a zombie is dead, only not yet reaped
                    pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.fixture(scope="module")
def schedule(tmp_path_factory):
    """Serve the demo site and run `ratsinfo schedule` with an every-minute cron; yield what a test needs."""
    tmp = tmp_path_factory.mktemp("schedule")
    data_dir, db, export = tmp / "data", tmp / "warehouse.duckdb", tmp / "out" / "integration.csv"
    port = free_port()
    tag = uuid.uuid4().hex
    with serve_demo() as demo:
        sources = tmp / "sources.toml"
        sources.write_text(
            f'[[source]]\nslug = "{SOURCE.slug}"\nsystem = "{SOURCE.system}"\n'
            f'base_url = "{SOURCE.base_url(demo.base_url)}"\nmonths = "2026-09..2026-11"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PYTHONPATH=str(PROJECT_ROOT), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_RUNNER_POLL_FREQUENCY="1", RATSINFO_TEST_TAG=tag)
        command = [sys.executable, "-m", "flows.cli", "schedule", "--cron", "* * * * *", "--timezone", "UTC",
                   "--port", str(port), "--sources", str(sources), "--data-dir", str(data_dir), "--db", str(db),
                   "--export", str(export), "--parallel", "2"]
        for setting in FAST_CRAWL:
            command += ["--set", setting]
        log = (tmp / "schedule.log").open("wb")
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
        api_url = f"http://127.0.0.1:{port}/api"
        try:
            wait_for_server(api_url, timeout=150, process=process)
            yield {"process": process, "api_url": api_url, "port": port, "tag": tag, "tmp": tmp,
                   "data_dir": data_dir, "db": db, "export": export, "log": tmp / "schedule.log"}
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for pid in tagged_processes(tag):
                os.kill(pid, signal.SIGKILL)
            log.close()


def client(api_url: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        return get_client(sync_client=True)


def nightly_runs(api_url: str) -> list:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    with client(api_url) as c:
        return c.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["nightly"])))


def wait_for(condition, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert process.poll() is None, f"ratsinfo schedule exited ({process.returncode}):\n{log.read_text()[-3000:]}"
        time.sleep(1)
    raise AssertionError(f"{what} within {timeout:.0f} s; schedule log:\n{log.read_text(errors='replace')[-3000:]}")


def stop_the_cron(api_url: str) -> None:
    """Switch the deployment's schedules off and drop their future runs, so later tests start runs themselves."""
    with client(api_url) as c:
        deployment = c.read_deployment_by_name("ratsinfo-nightly/nightly")
        for schedule in deployment.schedules:
            c.update_deployment_schedule(deployment.id, schedule.id, active=False)
    for run in nightly_runs(api_url):
        if run.state and run.state.is_scheduled():
            with client(api_url) as c:
                c.delete_flow_run(run.id)


def deployment_exists(api_url: str) -> bool:
    from prefect.exceptions import ObjectNotFound

    with client(api_url) as c:
        try:
            c.read_deployment_by_name("ratsinfo-nightly/nightly")
        except ObjectNotFound:
            return False
    return True


def no_run_in_progress(api_url: str) -> bool:
    return not [r for r in nightly_runs(api_url) if r.state and (r.state.is_running() or r.state.is_pending())]


def test_the_cron_schedule_creates_a_run_that_completes(schedule):
    def finished_scheduled_runs():
        runs = [r for r in nightly_runs(schedule["api_url"]) if r.auto_scheduled]
        # On a slow machine a run can outlast the minute: the next one is then cancelled (one at a time).
        return [r for r in runs if r.state and r.state.is_completed()]

    try:
        runs = wait_for(finished_scheduled_runs, 240, "no scheduled nightly run completed", schedule["process"], schedule["log"])
    finally:
        stop_the_cron(schedule["api_url"])
    run = runs[0]
    cancelled = [r for r in nightly_runs(schedule["api_url"]) if r.auto_scheduled and r.state and r.state.is_cancelled()]
    assert all("concurrency limit" in (r.state.message or "") for r in cancelled)
    # --data-dir, --db and --export reached the scheduled run as deployment parameters …
    assert run.parameters["data_dir"] == str(schedule["data_dir"])
    assert run.parameters["db_path"] == str(schedule["db"])
    assert run.parameters["export_path"] == str(schedule["export"])
    assert run.parameters["parallel"] == 2
    # … and the run used them: the warehouse, the export and the run report are where they said.
    con = duckdb.connect(str(schedule["db"]), read_only=True)
    try:
        papers = con.execute('SELECT count(*) FROM paper WHERE "source" = ?', [SOURCE.slug]).fetchone()[0]
    finally:
        con.close()
    assert papers > 0
    assert schedule["export"].is_file()
    reports = sorted((schedule["data_dir"] / "runs").glob("*.json"))
    assert reports
    report = json.loads(reports[-1].read_text(encoding="utf-8"))
    assert report["sources"][SOURCE.slug]["outcome"] == "ok"


def test_server_log_and_prefect_home_live_in_the_data_directory(schedule):
    log = schedule["data_dir"] / "prefect" / "server.log"
    assert log.is_file()
    assert f"127.0.0.1:{schedule['port']}" in log.read_text(errors="replace")
    assert (schedule["data_dir"] / "prefect" / "home" / "prefect.db").is_file()


def test_port_sets_the_ui_api_url(schedule):
    with urllib.request.urlopen(f"http://127.0.0.1:{schedule['port']}/ui-settings", timeout=10) as response:
        settings = json.load(response)
    assert settings["api_url"] == schedule["api_url"]


def test_a_second_run_while_one_runs_is_cancelled(schedule):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # Run alone (not after the cron test), the deployment may not be there yet and the cron still fires.
    wait_for(lambda: deployment_exists(schedule["api_url"]), 120, "no deployment", schedule["process"], schedule["log"])
    stop_the_cron(schedule["api_url"])
    wait_for(lambda: no_run_in_progress(schedule["api_url"]), 120, "runs still in progress", schedule["process"], schedule["log"])
    # The first run is slowed down (a delay between requests) and the second asked for once the first
    # runs: on a fast machine a first run at full speed could end before the runner took up the second.
    slow = {"DOWNLOAD_DELAY": "0.2", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    with temporary_settings({PREFECT_API_URL: schedule["api_url"]}):
        first = run_deployment("ratsinfo-nightly/nightly", parameters={"crawl_settings": slow}, timeout=0)

        def first_running():
            run = next((r for r in nightly_runs(schedule["api_url"]) if r.id == first.id), None)
            return run if run and run.state and run.state.is_running() else None

        wait_for(first_running, 120, "the first run did not start", schedule["process"], schedule["log"])
        second = run_deployment("ratsinfo-nightly/nightly", timeout=0)

    def both_final():
        runs = {r.id: r for r in nightly_runs(schedule["api_url"])}
        pair = [runs.get(first.id), runs.get(second.id)]
        return pair if all(r and r.state and r.state.is_final() for r in pair) else None

    pair = wait_for(both_final, 150, "the two runs did not end", schedule["process"], schedule["log"])
    states = sorted(r.state.type.value for r in pair)
    assert states == ["CANCELLED", "COMPLETED"], [(r.state.name, r.state.message) for r in pair]
    cancelled = next(r for r in pair if r.state.is_cancelled())
    assert "concurrency limit" in (cancelled.state.message or "").lower()


def crawl_processes(tag: str) -> list[int]:
    """Return the tagged processes that are crawls (``python -m spiders.crawl``)."""
    found = []
    for pid in tagged_processes(tag):
        try:
            if b"spiders.crawl" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_ctrl_c_during_a_run_stops_server_runner_and_crawl_within_seconds(schedule):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    process = schedule["process"]
    assert process.poll() is None
    wait_for(lambda: no_run_in_progress(schedule["api_url"]), 120, "runs still in progress", process, schedule["log"])
    staging = schedule["data_dir"] / "staging"
    before = set(staging.iterdir())
    with temporary_settings({PREFECT_API_URL: schedule["api_url"]}):
        # A polite delay keeps this crawl busy for about a minute: long enough to interrupt it mid-way.
        run_deployment("ratsinfo-nightly/nightly", timeout=0,
                       parameters={"crawl_settings": {"DOWNLOAD_DELAY": "0.7", "AUTOTHROTTLE_ENABLED": "False"}})

    def crawling():
        new = [d for d in staging.iterdir() if d not in before]
        return new if new and (new[0] / "pages.jsonl").is_file() and (new[0] / "pages.jsonl").stat().st_size else None

    crawl_dir = wait_for(crawling, 120, "no crawl fetched a page", process, schedule["log"])[0]
    assert crawl_processes(schedule["tag"])
    assert len(tagged_processes(schedule["tag"])) >= 4  # the CLI, the Prefect server, the flow run, its crawl
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=30)
    took = time.monotonic() - started
    # The schedule says what it stops and how long each part took: the log's end shows where the time went.
    assert took < 20, f"ratsinfo schedule took {took:.1f} s to stop; its log ends:\n" + schedule["log"].read_text(
        errors="replace")[-3000:]
    log = schedule["log"].read_text(errors="replace")
    assert "stopping the flow run and its crawls" in log and "the Prefect server stopped in" in log
    assert code in (0, 130)
    deadline = time.monotonic() + 5
    while tagged_processes(schedule["tag"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:200] for pid in tagged_processes(schedule["tag"])}
    assert left == {}
    manifest = json.loads((crawl_dir / "crawl.json").read_text())
    assert manifest["status"] == "stopped: shutdown"  # asked to stop and recorded it (resumable), not left to run
    log = schedule["log"].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
