"""The embedded outbox: each outgoing message becomes a ``.eml`` file.

Contract (on top of ``automation.ports.Outbox``):

* ``send`` writes ``<safe-message-id>.eml`` in the configured folder
  (created if missing), atomically: a temporary file in the same folder,
  flushed and fsynced, then renamed over the final name, then the folder
  fsynced.  A reader never sees half a message, and after a crash a file
  either is complete or isn't there.
* The file name is the Message-ID (without ``<>``) percent-encoded, so two
  different ids never share a file and nothing can escape the folder.
* ``already_sent`` = the ids whose file exists.  Writing the same id again
  replaces the file with the same message: sending is idempotent.
* A message without a Message-ID is refused (permanent): it could never be
  recognised as sent.  A disk error raises ``OutboxError``.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from automation.config import FilesOutboxConfig
from automation.errors import OutboxError
from automation.ports import SendResult

_MAX_STEM = 180  # well under the usual 255-byte file name limit


def bare_message_id(message: EmailMessage) -> str:
    value = message.get("Message-ID")
    return str(value).strip().strip("<>").strip() if value else ""


def file_stem(message_id: str) -> str:
    """A file-name-safe, one-to-one spelling of ``message_id``."""
    stem = quote(message_id.strip().strip("<>"), safe="@+-_=.")
    # A leading "." would hide the file (or make "." / ".."); "%" is already
    # encoded by quote(), so "%2E" here cannot collide with another id.
    if stem.startswith("."):
        stem = "%2E" + stem[1:]
    if len(stem) > _MAX_STEM:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:16]
        stem = f"{stem[: _MAX_STEM - 17]}~{digest}"
    return stem


class FileOutbox:
    """``Outbox`` that writes .eml files into a folder."""

    def __init__(self, cfg: FilesOutboxConfig, base_dir: Path) -> None:
        path = Path(cfg.path).expanduser()
        self.folder = path if path.is_absolute() else base_dir / path

    def path_for(self, message_id: str) -> Path:
        return self.folder / f"{file_stem(message_id)}.eml"

    def send(self, messages: Sequence[EmailMessage]) -> list[SendResult]:
        results = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise OutboxError(
                f"cannot create the outbox folder {self.folder} ({exc.strerror})"
            ) from exc
        for message in messages:
            mid = bare_message_id(message)
            if not mid:
                results.append(
                    SendResult(
                        message_id="", ok=False, permanent=True, detail="message has no Message-ID"
                    )
                )
                continue
            # CRLF, with the policy that built it (compose's cheap one, or policy.default).
            wire = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
            self._write(self.path_for(mid), wire)
            results.append(SendResult(message_id=mid, ok=True, detail=str(self.path_for(mid))))
        self._sync_folder()
        return results

    def _write(self, target: Path, data: bytes) -> None:
        tmp = self.folder / f".tmp-{uuid.uuid4().hex}"
        try:
            # 0600: an outgoing email is customer data (created so, never widened).
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutboxError(f"cannot write {target} ({exc.strerror})") from exc

    def _sync_folder(self) -> None:
        # The renames are durable only once the directory itself is synced.
        try:
            fd = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass  # some filesystems refuse fsync on directories; the data is written
        finally:
            os.close(fd)

    def already_sent(self, message_ids: Sequence[str]) -> set[str]:
        return {mid for mid in message_ids if mid.strip("<> ") and self.path_for(mid).is_file()}
