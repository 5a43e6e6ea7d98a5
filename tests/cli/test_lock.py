"""The single-runner lock survives a crashed holder and names the live one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from automation.errors import LockHeldError
from automation.lock import RunnerLock

HOLD = (
    "import sys,time; from automation.lock import RunnerLock; from pathlib import Path\n"
    "l=RunnerLock(Path(sys.argv[1])); l.acquire(); print('held', flush=True); time.sleep(60)"
)


def test_second_holder_is_refused_with_the_pid_and_kill9_frees_it(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(LockHeldError, match=f"pid {proc.pid}"):
            RunnerLock(tmp_path).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    for _ in range(50):  # the kernel drops a dead holder's flock at once; allow for reaping
        try:
            with RunnerLock(tmp_path):
                break
        except LockHeldError:
            time.sleep(0.02)
    else:
        pytest.fail("lock still held after its holder was killed")
