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


class MaildirLease:
    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def hold(self, now: datetime) -> None:
        """Take the lock on the first call; later calls only check it is still ours."""
        if self._fd is not None:
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

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
