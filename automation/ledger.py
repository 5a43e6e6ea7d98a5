"""A local cache of the Message-IDs this machine handed to the outbox.

It narrows the one window in which an email could go out twice: sent, then a
crash before the sheet recorded it.  It is only a cache: the sheet's Sent log
and the outbox (Sent folder, or the files written) are the record, and deleting
this file never causes a resend on its own.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

KEEP = 5000  # enough for days of mail; older ids are settled in the sheet


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._ids: list[str] = []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, list):
                self._ids = [str(x) for x in data][-KEEP:]
        except (OSError, ValueError):
            self._ids = []

    def ids(self) -> set[str]:
        return set(self._ids)

    def add(self, message_ids: Iterable[str]) -> None:
        new = [m for m in message_ids if m not in set(self._ids)]
        if not new:
            return
        self._ids = (self._ids + new)[-KEEP:]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._ids, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
