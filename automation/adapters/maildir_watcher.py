"""Waiting for new mail in a Maildir: the embedded ``MailWatcher``.

Contract as ``automation.adapters.imap.idle``: ``wait(seconds)`` returns True
as soon as a message with a new unique name appears in ``new/`` or ``cur/``
(moves between them and flag changes don't count), False when the time is up.  It looks every
``step_seconds`` (a directory listing is cheap; no inotify dependency).
"""

from __future__ import annotations

import os
import time
from pathlib import Path


class MaildirWatcher:
    def __init__(self, path: Path, step_seconds: float = 0.2) -> None:
        self.path = path
        self.step = step_seconds
        self._seen = self._names()
        self.supported = True

    def _names(self) -> frozenset[str]:
        names: set[str] = set()
        for sub in ("new", "cur"):
            try:
                # The unique part only: new/ -> cur/ and flag changes rename a file.
                names.update(n.split(":", 1)[0] for n in os.listdir(self.path / sub))
            except OSError:
                continue  # not created yet: nothing has arrived
        return frozenset(names)

    def wait(self, seconds: float) -> bool:
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            names = self._names()
            arrived = bool(names - self._seen)
            self._seen = names
            remaining = deadline - time.monotonic()
            if arrived or remaining <= 0:
                return arrived
            time.sleep(min(self.step, remaining))

    def close(self) -> None:
        return None
