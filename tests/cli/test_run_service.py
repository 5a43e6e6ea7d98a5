"""``sheetdesk run``: a private scheduler, a guarded job, a clean stop on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.test_check_cli import _setup
from tests.cycle.test_cycle import deliver, mail


def test_run_polls_on_schedule_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    path = _setup(tmp_path)
    deliver(tmp_path, mail("Broken lamp", "r1@customer.example"), "1.a")
    proc = subprocess.Popen(
        [sys.executable, "-m", "automation.cli", "run", "--config", str(path), "--interval", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        outbox = tmp_path / "outbox"
        for _ in range(300):  # the first cycle runs at once; wait for its acknowledgement
            if outbox.exists() and any(outbox.glob("*.eml")):
                break
            time.sleep(0.05)
        deliver(
            tmp_path,
            mail("Another question", "r2@other.example", sender="Lee <lee@other.example>"),
            "2.b",
        )
        for _ in range(300):  # a later scheduled cycle picks up the second message
            if len(list(outbox.glob("*.eml"))) >= 2:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert len(list(outbox.glob("*.eml"))) == 2
    assert "stopping after the current cycle" in err and "stopped after" in err
