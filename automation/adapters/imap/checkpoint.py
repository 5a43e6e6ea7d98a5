"""The IMAP checkpoint: UIDVALIDITY + last handled UID, a local cache only.

Losing or damaging the file makes the next search start from UID 1: longer,
never wrong, because the mailbox itself (processed mail moved or flagged) is
the record.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from automation.state import atomic_write

log = logging.getLogger(__name__)


def load_checkpoint(path: Path, mailbox: str) -> tuple[int, int]:
    """(uidvalidity, last_uid) saved for ``mailbox``, or (0, 0)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("mailbox") == mailbox:
            return int(data["uidvalidity"]), int(data["last_uid"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # missing or damaged: the search from UID 1 is still correct
    return 0, 0


def save_checkpoint(path: Path, mailbox: str, uidvalidity: int, last_uid: int) -> None:
    """Write atomically (``automation.state.atomic_write``); a failure only logs."""
    data = {"mailbox": mailbox, "uidvalidity": uidvalidity, "last_uid": last_uid}
    try:
        atomic_write(path, json.dumps(data))
    except OSError as exc:
        # Only a cache: losing it makes the next search longer, not wrong.
        log.warning("could not save the IMAP checkpoint %s (%s)", path, exc.strerror)
