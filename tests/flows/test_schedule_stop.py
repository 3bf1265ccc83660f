"""After Ctrl-C, ratsinfo schedule stops what it started and says what it stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from flows.schedule import MARKER, stop_marked_processes


def test_a_process_that_ignores_sigterm_is_killed_and_named(capsys):
    marker = "test-stop-" + str(os.getpid())
    stubborn = subprocess.Popen(
        [sys.executable, "-c", "stubborn_crawl = 1; import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                               "print('ready', flush=True); time.sleep(60)"],
        env={**os.environ, MARKER: marker}, stdout=subprocess.PIPE, text=True)
    try:
        assert stubborn.stdout.readline().strip() == "ready"
        started = time.monotonic()
        stop_marked_processes(marker, timeout=0.5)
        assert stubborn.wait(timeout=5) == -9  # killed after the grace time, not left running
        assert time.monotonic() - started < 5
    finally:
        stubborn.kill()
    err = capsys.readouterr().err
    assert "stopping the flow run and its crawls (1 processes)" in err
    assert f"killed 1 that had not stopped within 0 s: {stubborn.pid} " in err and "stubborn_crawl" in err
