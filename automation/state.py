"""The local state directory: sheetdesk's only files besides the workbook.

Everything here is a cache; the sheet and the mailbox are the record, so the
directory may be deleted at any time (see docs/architecture.md, "Nothing
lost").  It holds:

* ``last-cycle.json``: the previous cycle's outcome, for the Health tab;
* ``last-good-tables.json``: the last owner tabs that parsed cleanly;
* ``sent-ledger.txt``: the outbox ledger (``automation.outgoing.ledger``);
* ``imap-checkpoint.json``: UIDVALIDITY + last UID (``adapters.imap``);
* ``sheetdesk.lock``: the single-runner lock (``automation.lock``).

``atomic_write`` is the one way a whole file is replaced: a temporary file in
the same directory, fsync, rename.  Files are created 0600 and the directory
0700, because Sent-log ids and the tables name customers and the team.
``FileStateDir`` is the real ``StateDir`` adapter (the port is in
``automation.ports``; the embedded one is ``adapters/memory_state.py``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from automation.ports import Grid, StateDir

log = logging.getLogger("sheetdesk.state")

OUTCOME = "last-cycle.json"
TABLES = "last-good-tables.json"
LEDGER = "sent-ledger.txt"
CHECKPOINT = "imap-checkpoint.json"
DIR_MODE = 0o700
FILE_MODE = 0o600


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents) owner-only; tighten it when it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(DIR_MODE)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` all at once (never half written), 0600.

    Raises ``OSError``; callers that hold only a cache log and go on."""
    ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp creates it 0600 already
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_durably(path: Path, text: str, sync: bool = True) -> None:
    """Append ``text`` to ``path`` (created 0600); with ``sync``, fsync before
    returning, which also makes every earlier unsynced append durable."""
    ensure_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        if text:
            os.write(fd, text.encode("utf-8"))
        if sync:
            os.fdatasync(fd)
    finally:
        os.close(fd)


class FileStateDir:
    """The ``StateDir`` port on a local directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, name: str) -> str | None:
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except (OSError, ValueError):  # missing or unreadable: a cache miss
            return None

    def write(self, name: str, text: str) -> None:
        atomic_write(self.root / name, text)

    def append(self, name: str, text: str, sync: bool = True) -> None:
        append_durably(self.root / name, text, sync)


# ----------------------------------------------------- the files, typed
def last_outcome(state: StateDir) -> str:
    """The previous cycle's one-line outcome, or "" when there is none."""
    try:
        data = json.loads(state.read(OUTCOME) or "{}")
        return str(data.get("summary", ""))
    except (ValueError, AttributeError):
        return ""


def save_outcome(state: StateDir, summary: str) -> None:
    """Best effort: only a cache for the next cycle's Health tab."""
    try:
        state.write(OUTCOME, json.dumps({"summary": summary}))
    except OSError as exc:
        log.warning("could not keep the cycle's outcome: %s", exc.strerror)


def last_tables(state: StateDir) -> dict[str, Grid]:
    """The owner tabs last seen valid, as grids of text ({} when none)."""
    try:
        data = json.loads(state.read(TABLES) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Grid] = {}
    for title, rows in data.items():
        if isinstance(title, str) and isinstance(rows, list):
            out[title] = tuple(tuple(str(c) for c in row) for row in rows if isinstance(row, list))
    return out


def save_tables(state: StateDir, tabs: Mapping[str, Grid]) -> None:
    """Best effort: only a cache, so a fresh process keeps the last valid tables."""
    try:
        state.write(TABLES, json.dumps({k: [list(r) for r in v] for k, v in tabs.items()}))
    except OSError as exc:  # the sheet stays the record
        log.warning("could not cache the routing tables: %s", exc.strerror)
