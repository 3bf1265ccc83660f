"""Serve the nightly flow on a schedule against a real Prefect server.

Two schedules on one deployment: the nightly crawl (default 02:00
Europe/Berlin) and a weekly full reconciliation (default Sunday 03:00),
which passes ``full=True`` so incremental sources re-read everything. The
deployment runs one nightly at a time: a run that would overlap the one in
progress is cancelled by the server ("Deployment concurrency limit
reached."), and the flow's lock file skips it too.

Without ``--api-url`` or ``PREFECT_API_URL`` a local Prefect server is
started on 127.0.0.1 (its log in ``<data-dir>/prefect/server.log``, its
database in ``PREFECT_HOME``, by default ``<data-dir>/prefect/home``) and
stopped with everything it started when the schedule stops (Ctrl-C, SIGTERM).

With a work pool, the crawls run as flow runs of the ``ratsinfo-crawl/crawl``
deployment on that pool's workers (README "More than one machine").
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

DEPLOYMENT_NAME = "nightly"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def nightly_schedules(cron: str, full_cron: str, timezone: str) -> list:
    """Return the deployment's schedules: the nightly run and the weekly full one."""
    from prefect.schedules import Cron

    return [
        Cron(cron, timezone=timezone, parameters={"full": False}, slug="nightly"),
        Cron(full_cron, timezone=timezone, parameters={"full": True}, slug="weekly-full"),
    ]


def schedule_problem(cron: str, full_cron: str, timezone: str) -> str | None:
    """Return why these options cannot make the deployment's schedules (one line), or None."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(timezone)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return f"--timezone {timezone!r} is not a time zone (e.g. Europe/Berlin)"
    from prefect.schedules import Cron

    for option, value in (("--cron", cron), ("--full-cron", full_cron)):
        try:
            Cron(value, timezone=timezone)
        except ValueError as exc:
            return f"{option} {value!r} is not a cron schedule of five fields (e.g. '0 2 * * *'): {exc}"
    return None


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class PrefectServerUnavailable(RuntimeError):
    """The Prefect server did not answer: it exited before it did, or it stayed silent too long."""


def wait_for_server(api_url: str, timeout: float = 120.0, process: subprocess.Popen | None = None) -> None:
    """Block until the Prefect API at ``api_url`` answers its health check; raise PrefectServerUnavailable if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise PrefectServerUnavailable(f"the Prefect server exited with code {process.returncode} before it answered")
        try:
            with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise PrefectServerUnavailable(f"the Prefect server at {api_url} did not answer within {timeout:.0f} s")


@contextmanager
def local_prefect_server(port: int = 4200, home: Path | None = None, log_path: Path | None = None) -> Iterator[str]:
    """Start ``prefect server start`` on 127.0.0.1 and yield its API URL; stop it and its children afterwards.

    ``port`` 0 picks a free port. The UI is told the same API URL. The
    server's output goes to ``log_path`` (appended), else nowhere.
    """
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    prefect = Path(sys.executable).with_name("prefect")
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_UI_API_URL")}
    env.update(
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_UI_API_URL=api_url,
    )
    if home is not None:
        home.mkdir(parents=True, exist_ok=True)
        env["PREFECT_HOME"] = str(home)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        output = log_path.open("ab")
    else:
        output = open(os.devnull, "wb")
    # Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the whole group.
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        try:
            wait_for_server(api_url, process=process)
        except PrefectServerUnavailable as exc:
            log = f" Its log: {log_path}" if log_path is not None else ""
            raise PrefectServerUnavailable(f"{exc}; is port {port} in use?{log}") from None
        yield api_url
    finally:
        running = process.poll() is None  # a server that failed to start has said so already
        started = time.monotonic()
        if running:
            print("stopping the Prefect server …", file=sys.stderr, flush=True)
        stop_process_group(process)
        if running:
            print(f"the Prefect server stopped in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
        output.close()


MARKER = "RATSINFO_SCHEDULE_ID"


def marked_processes(marker: str) -> list[int]:
    """Return the live processes (not this one) whose environment holds ``RATSINFO_SCHEDULE_ID=marker`` (Linux /proc).

    Everything ``ratsinfo schedule`` starts after setting the marker inherits
    it: the runner's flow runs and their crawls, also a crawl whose flow run
    was killed and that now belongs to init.
    """
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and _alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def stop_marked_processes(marker: str, timeout: float = 15.0) -> None:
    """Stop every process carrying the marker: SIGTERM (a crawl shuts down cleanly and records it), SIGKILL after ``timeout``.

    Says on stderr what it waits for and how it ended, so whoever pressed Ctrl-C sees why it takes a moment.
    """
    pids = marked_processes(marker)
    if not pids:
        return
    started = time.monotonic()
    print(f"stopping the flow run and its crawls ({len(pids)} processes) …", file=sys.stderr, flush=True)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = started + timeout
    while pids and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:  # reap our own children as they end
                pass
        pids = [p for p in pids if _alive(p)]
        time.sleep(0.2)
    # Named before they are killed: a killed process's command line is gone with it.
    killed = f"; killed {len(pids)} that had not stopped within {timeout:.0f} s: {_command_lines(pids)}" if pids else ""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    print(f"stopped them in {time.monotonic() - started:.1f} s{killed}", file=sys.stderr, flush=True)


def _command_lines(pids: list[int]) -> str:
    """Return the processes' command lines, shortened, for a message (those still readable)."""
    lines = []
    for pid in pids:
        with contextlib.suppress(OSError):
            lines.append(f"{pid} " + Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120])
    return "; ".join(lines) or ", ".join(map(str, pids))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop_process_group(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Send SIGTERM to a process's group, then SIGKILL to whatever is left after ``timeout`` seconds."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # the group outlives its leader while children shut down
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if process.poll() is None:
        process.wait()


def nightly_deployment(cron: str, full_cron: str, timezone: str, parameters: dict):
    """Return the nightly flow as a deployment with its two schedules, one run at a time."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.nightly import nightly

    return nightly.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=nightly_schedules(cron, full_cron, timezone),
        parameters=parameters,
        description="Crawl, load and export every configured source.",
        tags=["ratsinfo"],
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
    )


def register_crawl_deployment(work_pool: str) -> str:
    """Create ``work_pool`` (a process pool) if it is missing and deploy the crawl flow to it; return the deployment's name."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    from flows.nightly import CRAWL_DEPLOYMENT_NAME, CRAWL_FLOW_NAME, crawl_flow

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=work_pool, type="process"))
        except ObjectAlreadyExists:
            pass
    # The workers load the flow from the project folder (the same path on every machine).
    crawl_flow.from_source(source=str(PROJECT_ROOT), entrypoint="flows/nightly.py:crawl_flow").deploy(
        name=CRAWL_DEPLOYMENT_NAME,
        work_pool_name=work_pool,
        description="Crawl one source into the shared data directory (started by the nightly flow).",
        tags=["ratsinfo"],
        print_next_steps=False,
    )
    return f"{CRAWL_FLOW_NAME}/{CRAWL_DEPLOYMENT_NAME}"


def serve_schedule(
    *,
    cron: str,
    full_cron: str,
    timezone: str,
    parameters: dict[str, Any],
    data_dir: str,
    api_url: str | None = None,
    port: int = 4200,
    work_pool: str | None = None,
) -> int:
    """Register the scheduled deployment and serve it until interrupted.

    ``parameters`` are the nightly flow's (sources file, data dir, warehouse,
    export path …): every scheduled run gets them.
    """
    api_url = api_url or os.environ.get("PREFECT_API_URL")
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
        wait_for_server(api_url)
        _serve_and_clean_up(cron, full_cron, timezone, parameters, work_pool)
        return 0
    log_path = Path(data_dir) / "prefect" / "server.log"
    home = Path(os.environ.get("PREFECT_HOME") or Path(data_dir) / "prefect" / "home")
    with local_prefect_server(port, home=home, log_path=log_path) as local_url:
        os.environ["PREFECT_API_URL"] = local_url
        print(f"Prefect server at {local_url.removesuffix('/api')} (UI), its log in {log_path}; "
              "serving the schedule, Ctrl-C stops", file=sys.stderr, flush=True)
        _serve_and_clean_up(cron, full_cron, timezone, parameters, work_pool)
    return 0


def _serve_and_clean_up(cron: str, full_cron: str, timezone: str, parameters: dict[str, Any], work_pool: str | None) -> None:
    """Serve until interrupted, then stop what the runner leaves behind: a flow run in progress and its crawls."""
    marker = uuid.uuid4().hex
    os.environ[MARKER] = marker  # inherited by the flow runs the runner starts, and by their crawls
    try:
        _serve(cron, full_cron, timezone, parameters, work_pool)
    finally:
        stop_marked_processes(marker)
        os.environ.pop(MARKER, None)


def _serve(cron: str, full_cron: str, timezone: str, parameters: dict[str, Any], work_pool: str | None) -> None:
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: os.environ["PREFECT_API_URL"]}):
        if work_pool:
            parameters = {**parameters, "work_pool_deployment": register_crawl_deployment(work_pool)}
        serve(nightly_deployment(cron, full_cron, timezone, parameters))
