"""The embedded ``Lease``: one runner per Maildir, whatever its state directory.

An ``flock`` on ``.sheetdesk-runner.lock`` in the Maildir's root, held for the
life of the process.  The state directory's lock only covers processes that
share that directory; this one covers every process on the machine that works
this Maildir, so deleting the state directory (or a second configuration with
another ``state_dir``) cannot make a second runner.  The kernel frees it when
the holder dies.  (A Maildir shared between hosts over a network filesystem is
not supported; the IMAP lease covers the many-hosts case.)
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime
from pathlib import Path

from automation.errors import LockHeldError

LOCK_NAME = ".sheetdesk-runner.lock"

# flock conflicts between two descriptors of one process too; one process is one
# runner, so a second Runtime in the same process (the demo, tests) shares the lock.
_HELD: dict[Path, int] = {}  # resolved path -> holders in this process
_FDS: dict[Path, int] = {}  # resolved path -> the one locked descriptor


class MaildirLease:
    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def hold(self, now: datetime) -> None:
        """Take the lock on the first call; later calls only check it is still ours."""
        if self._fd is not None:
            return
        key = self.path.resolve()
        if _HELD.get(key, 0) > 0:
            _HELD[key] += 1
            self._fd = -1  # shared with another holder in this process
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeldError(
                f"another sheetdesk process (pid {holder}) works the Maildir {self.path.parent}; "
                "not running a second one on it"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        _HELD[key] = 1
        _FDS[key] = fd

    def release(self) -> None:
        if self._fd is None:
            return
        self._fd = None
        key = self.path.resolve()
        _HELD[key] = _HELD.get(key, 1) - 1
        if _HELD[key] <= 0:
            _HELD.pop(key, None)
            fd = _FDS.pop(key, None)
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
