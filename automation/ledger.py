"""A local, append-only record of the Message-IDs the SMTP server accepted.

It narrows the one window in which an email could go out twice: the server
accepted it, then the process died before the sheet recorded it.  The outbox
appends each id (and fsyncs) the moment the server says 250, so the window is
the few microseconds between that reply and the write.  It is only a cache:
the sheet's Sent log and the outbox (Sent folder, or the files written) are the
record, and deleting this file never causes a resend on its own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

KEEP = 5000  # enough for days of mail; older ids are settled in the sheet


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            lines = path.read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            lines = []
        self._ids = set(lines[-KEEP:])
        if len(lines) > 2 * KEEP:
            self._compact(lines[-KEEP:])

    def ids(self) -> set[str]:
        return set(self._ids)

    def add(self, message_ids: Iterable[str]) -> None:
        new = [m for m in message_ids if m and m not in self._ids and len(m.split()) == 1]
        if not new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write("".join(f"{m}\n" for m in new))
            fh.flush()
            os.fsync(fh.fileno())
        self._ids.update(new)

    def add_one(self, message_id: str) -> None:
        """The outbox's callback, called as soon as the server accepted one email."""
        self.add([message_id])

    def _compact(self, keep: list[str]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{m}\n" for m in keep))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
