"""The embedded inbox: a Maildir on local disk (the default, no server needed).

Contract (on top of ``automation.ports.Inbox``):

* The Maildir (``new/``, ``cur/``, ``tmp/``) is created if missing.  Both
  ``new/`` and ``cur/`` are read, oldest first (file time, then name), so a
  message a mail program already moved to ``cur/`` or marked read still counts.
* Reading changes nothing.
* ``mark_processed`` moves the file into the Maildir++ sub-folder
  ``.processed`` (``<maildir>/.processed/cur``), keeping its flags.  Mail is
  never deleted: the move refuses to overwrite, and picks a new name instead.
* ``mark_quarantined`` leaves the message in the inbox, in ``cur/``, with the
  info flag ``q`` added (``<name>:2,<flags>q``); fetch skips such files.  The
  lower-case letter is a Maildir "custom" flag, so mail programs keep it.
* Keys are ``maildir:<unique name>``: the file name without its ``:2,`` info
  part, which stays the same while flags change.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from automation.config import MaildirConfig
from automation.errors import InboxError
from automation.model import InboxItem

log = logging.getLogger(__name__)

QUARANTINE_FLAG = "q"
PROCESSED_FOLDER = ".processed"
_INFO = ":2,"


def _split(name: str) -> tuple[str, str]:
    """``"123.M1.host:2,FS"`` -> ``("123.M1.host", "FS")``."""
    unique, sep, flags = name.partition(_INFO)
    return unique, flags if sep else ""


def _ensure_maildir(path: Path) -> None:
    for sub in ("tmp", "new", "cur"):
        (path / sub).mkdir(parents=True, exist_ok=True)


def _move_no_clobber(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` without ever replacing an existing file.

    ``os.link`` fails if ``dst`` exists, where a plain rename would silently
    destroy the message already there.
    """
    candidate, n = dst, 0
    while True:
        try:
            os.link(src, candidate)
            break
        except FileExistsError:
            n += 1
            unique, sep, flags = dst.name.partition(_INFO)
            candidate = dst.with_name(f"{unique}.dup{n}{sep}{flags}")
    os.unlink(src)


_HEADER_BYTES = 256 * 1024


def _header_of(path: Path) -> bytes:
    """The header block of the message at ``path``, read in bounded steps."""
    with path.open("rb") as fh:
        head = fh.read(_HEADER_BYTES)
    for end in (b"\r\n\r\n", b"\n\n"):
        at = head.find(end)
        if at >= 0:
            return head[: at + len(end)]
    return head


class MaildirInbox:
    """``Inbox`` over a local Maildir."""

    def __init__(self, cfg: MaildirConfig, base_dir: Path, max_bytes: int = 26_214_400) -> None:
        self.max_bytes = max_bytes  # larger messages are read headers-only
        path = Path(cfg.path).expanduser()
        self.root = path if path.is_absolute() else base_dir / path
        self.processed = self.root / PROCESSED_FOLDER
        try:
            _ensure_maildir(self.root)
            _ensure_maildir(self.processed)
            (self.processed / "maildirfolder").touch()  # marks a Maildir++ sub-folder
        except OSError as exc:
            raise InboxError(f"cannot create the Maildir {self.root} ({exc.strerror})") from exc

    def _entries(self) -> list[tuple[int, str, Path]]:
        found = []
        for sub in ("new", "cur"):
            try:
                with os.scandir(self.root / sub) as it:
                    for entry in it:
                        if entry.name.startswith(".") or not entry.is_file():
                            continue
                        found.append((entry.stat().st_mtime_ns, entry.name, Path(entry.path)))
            except OSError as exc:
                raise InboxError(f"cannot read the Maildir {self.root} ({exc.strerror})") from exc
        found.sort()
        return found

    def _locate(self, key: str) -> Path | None:
        scheme, _, unique = key.partition(":")
        if scheme != "maildir" or not unique or "/" in unique:
            raise InboxError(f"not a Maildir inbox key: {key!r}")
        for sub in ("new", "cur"):
            folder = self.root / sub
            exact = folder / unique
            if exact.exists():
                return exact
            for candidate in folder.glob(f"{unique}{_INFO}*"):
                return candidate
        return None

    def fetch(self, limit: int) -> Iterator[InboxItem]:
        if limit <= 0:
            return
        count = 0
        for mtime_ns, name, path in self._entries():
            unique, flags = _split(name)
            if QUARANTINE_FLAG in flags:
                continue
            try:
                size = path.stat().st_size  # the size first: never read a huge body
                raw = path.read_bytes() if size <= self.max_bytes else _header_of(path)
            except FileNotFoundError:
                continue  # moved away by a mail program since we listed it
            except OSError as exc:
                raise InboxError(f"cannot read {path} ({exc.strerror})") from exc
            yield InboxItem(
                key=f"maildir:{unique}",
                raw=raw,
                received_at=datetime.fromtimestamp(mtime_ns / 1e9, tz=UTC),
                oversized=None if size <= self.max_bytes else size,
            )
            count += 1
            if count >= limit:
                return

    def mark_processed(self, keys: Sequence[str]) -> None:
        for key in keys:
            path = self._locate(key)
            if path is None:
                log.info("%s is no longer in the Maildir; nothing to move", key)
                continue
            unique, flags = _split(path.name)
            try:
                _move_no_clobber(path, self.processed / "cur" / f"{unique}{_INFO}{flags}")
            except OSError as exc:
                raise InboxError(
                    f"cannot move {path.name} to {self.processed} ({exc.strerror})"
                ) from exc

    def mark_quarantined(self, keys: Sequence[str]) -> None:
        for key in keys:
            path = self._locate(key)
            if path is None:
                log.info("%s is no longer in the Maildir; nothing to tag", key)
                continue
            unique, flags = _split(path.name)
            if QUARANTINE_FLAG in flags:
                continue
            new_flags = "".join(sorted(set(flags + QUARANTINE_FLAG)))  # Maildir wants them sorted
            try:
                _move_no_clobber(path, self.root / "cur" / f"{unique}{_INFO}{new_flags}")
            except OSError as exc:
                raise InboxError(f"cannot tag {path.name} as quarantined ({exc.strerror})") from exc

    def close(self) -> None:
        """Nothing is held open between calls."""
