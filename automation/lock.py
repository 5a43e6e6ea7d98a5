"""The single-runner lock: one sheetdesk process per configuration.

An ``fcntl.flock`` on a file in the state directory.  The kernel drops the lock
when its holder dies, however it dies (kill -9 included), so a crashed holder
never leaves a stale lock behind, and no lock is ever "broken" by guesswork.
The holder writes its PID into the file so the second process can say who
holds it.  The state directory is made 0700 and the lock file 0600.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from automation.errors import LockHeldError
from automation.state import ensure_dir


class RunnerLock:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "sheetdesk.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        ensure_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)  # a lock file left by an older version was 0644
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeldError(
                f"another sheetdesk process (pid {holder}) holds {self.path}; "
                "not starting a second one on the same configuration"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunnerLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
