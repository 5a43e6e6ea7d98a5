"""The IMAP inbox: a real mailbox read with ``imapclient``.

Contract (on top of ``automation.ports.Inbox``):

* Transport: ``tls`` (implicit, 993), ``starttls`` (refused with
  ``SecurityError`` if not offered or if the upgrade fails; never a plaintext
  fallback) or ``plain`` (loopback only, when explicitly allowed).  See
  ``automation.adapters.tls``.
* Reading never changes a message: bodies are fetched with ``BODY.PEEK[]``, so
  ``\\Seen`` is left alone, and a message a person already read is still
  processed (we never search on UNSEEN).
* The mailbox is the record.  Each fetch searches ``UID n:* NOT KEYWORD
  $SheetdeskQuarantined NOT KEYWORD $SheetdeskProcessed``; the local
  checkpoint (UIDVALIDITY + last UID, a JSON file in ``state_dir``) only
  raises ``n``.  Wiping ``state_dir`` costs a longer search, never a wrong
  one; a new UIDVALIDITY starts over from UID 1 (dedupe by Message-ID happens
  downstream).
* Round trips per cycle: a fixed few, one FETCH of ``RFC822.SIZE`` per 1000
  messages, plus the body FETCHes, each at most ``fetch_chunk`` messages and
  about ``FETCH_BYTES`` (``round_trips`` counts every tagged command).
* Bounded memory: sizes are read before any body; a message over
  ``max_bytes`` is fetched headers-only and handed on with ``oversized`` set,
  so the cycle quarantines it without ever holding its body.
* Mail is never deleted or expunged.  ``mark_processed`` uses UID MOVE to
  ``processed_folder`` (created if missing); without MOVE it sets the keyword
  ``$SheetdeskProcessed`` instead.  COPY + EXPUNGE is deliberately not used.
* Keys are ``imap:<uidvalidity>:<uid>``.  Marking keys from another
  UIDVALIDITY marks nothing and raises ``InboxError``.
* A dropped connection raises ``InboxError``; nothing is marked.

Provider notes (Gmail, Microsoft 365) are in ``imap_connect``.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Iterator, Sequence
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from imapclient.imapclient import SENT

from automation.adapters.imap.checkpoint import load_checkpoint, save_checkpoint
from automation.adapters.imap.connect import (
    CountingClient,
    bare_id,
    header_search,
    open_client,
    quietly_shutdown,
    session_expiring,
    uid_set,
)
from automation.adapters.imap.lease import MailboxLease
from automation.adapters.oauth.login import Credential
from automation.config import ImapConfig
from automation.errors import ConfigError, InboxError
from automation.model import InboxItem
from automation.secrets import scrub

log = logging.getLogger(__name__)

PROCESSED_KEYWORD = "$SheetdeskProcessed"
QUARANTINED_KEYWORD = "$SheetdeskQuarantined"
_FORBIDDEN_TARGETS = (b"\\Trash", b"\\Junk")  # mail put there gets deleted by the server
_IDS_PER_SEARCH = 25
_SIZES_PER_FETCH = 1000
FETCH_BYTES = 16 * 1024 * 1024  # one FETCH asks for at most about this many bytes


def byte_batches(
    uids: Sequence[int], sizes: dict[int, int], max_count: int, max_bytes: int
) -> Iterator[tuple[list[int], bool]]:
    """``uids`` in FETCH batches: (batch, whole).  A whole batch holds at most
    ``max_count`` messages and about ``FETCH_BYTES`` (a single message up to
    ``max_bytes`` goes alone); a message over ``max_bytes`` is fetched alone and
    headers only (``whole`` False), so memory never grows with its size."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if size > max_bytes:
            if batch:
                yield batch, True
                batch, total = [], 0
            yield [uid], False
            continue
        if batch and (len(batch) >= max_count or total + size > FETCH_BYTES):
            yield batch, True
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch, True


class ImapInbox:
    """``Inbox`` over IMAP; one connection, opened lazily and reused until ``close``."""

    def __init__(
        self,
        cfg: ImapConfig,
        password: Credential,
        state_dir: Path,
        *,
        base_dir: Path | None = None,
        max_bytes: int = 26_214_400,
    ) -> None:
        if not cfg.host:
            raise ConfigError("inbox.imap.host: required")
        if cfg.fetch_chunk < 1:
            raise ConfigError("inbox.imap.fetch_chunk: must be at least 1")
        self.cfg = cfg
        self.max_bytes = max_bytes  # larger messages are read headers-only
        self._password = password
        self._base_dir = base_dir
        self._checkpoint_path = state_dir / "imap-checkpoint.json"
        self._client: CountingClient | None = None
        self._selected: tuple[str, bool] | None = None
        self._select_info: dict[bytes, Any] = {}
        self._delimiter: str | None = None
        self._processed_ready = False
        self._spent_trips = 0  # commands of connections already closed
        self._pending: list[int] = []  # UIDs fetched this cycle, ascending
        self._handled: set[int] = set()
        self._pending_validity = 0

    @property
    def round_trips(self) -> int:
        """Tagged IMAP commands sent so far by this inbox, over all its connections."""
        live = int(self._client._imap.commands) if self._client is not None else 0
        return self._spent_trips + live

    def _where(self) -> str:
        return f"IMAP server {self.cfg.host}:{self.cfg.port}"

    def lease(self, stale_after: timedelta, holder: str | None = None) -> MailboxLease:
        """The mailbox lease (``adapters/imap/lease.py``) over this inbox's connection,
        in the folder ``<processed_folder>-lease``."""

        def connect() -> CountingClient:
            self._selected = None  # the lease selects its own folder
            return self._connect()

        folder = self._folder(f"{self.cfg.processed_folder}-lease")
        return MailboxLease(connect, folder, stale_after, holder)

    def _connect(self) -> CountingClient:
        if self._client is not None and session_expiring(self._client):
            self.close()  # its OAuth2 token is about to run out: sign in afresh
        if self._client is None:
            self._client = open_client(
                self.cfg, self._password, self._base_dir, on_abandon=self._count_abandoned
            )
        return self._client

    def _count_abandoned(self, commands: int) -> None:
        self._spent_trips += commands

    def close(self) -> None:
        client, self._client = self._client, None
        self._selected = None
        self._processed_ready = False
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # the connection may already be gone; nothing to save
            quietly_shutdown(client)
        self._spent_trips += int(client._imap.commands)

    def _drop(self) -> None:
        """Forget a broken connection so the next call reconnects."""
        client, self._client = self._client, None
        self._selected = None
        self._processed_ready = False
        if client is not None:
            self._spent_trips += int(client._imap.commands)
            quietly_shutdown(client)

    def _failed(self, action: str, exc: Exception) -> InboxError:
        if isinstance(exc, imaplib.IMAP4.abort | OSError):
            self._drop()
            return InboxError(f"connection to {self._where()} was lost while {action}")
        return InboxError(f"{self._where()} refused {action} ({scrub(str(exc))})")

    def _folder(self, name: str) -> str:
        """A configured folder path ('a/b') in the server's own hierarchy delimiter."""
        if "/" not in name:
            return name
        if self._delimiter is None:
            listing = self._connect().list_folders("", "")
            delim = listing[0][1] if listing else b"/"
            self._delimiter = (delim.decode() if isinstance(delim, bytes) else delim) or "/"
        return name.replace("/", self._delimiter)

    def _select(self, folder: str, readonly: bool = False, fresh: bool = False) -> dict[bytes, Any]:
        """SELECT/EXAMINE ``folder``.  ``fresh`` re-selects even if it is selected:
        a server need not report mail that arrived since, until the next SELECT."""
        if fresh or self._selected != (folder, readonly):
            self._select_info = self._connect().select_folder(folder, readonly=readonly)
            self._selected = (folder, readonly)
        return self._select_info

    def _ensure_processed_folder(self, client: CountingClient) -> str:
        target = self._folder(self.cfg.processed_folder)
        if self._processed_ready:
            return target
        listing = client.list_folders("", target)
        if not listing:
            client.create_folder(target)
            try:
                client.subscribe_folder(target)  # so people see it in their mail app
            except imaplib.IMAP4.error:
                log.info("could not subscribe to %s; it exists anyway", target)
        elif any(flag in listing[0][0] for flag in _FORBIDDEN_TARGETS):
            raise ConfigError(
                f"inbox.imap.processed_folder: {target!r} is the server's "
                "Trash or Junk folder, where mail gets deleted; pick another"
            )
        self._processed_ready = True
        return target

    def _identity(self) -> str:
        return f"{self.cfg.username}@{self.cfg.host}:{self.cfg.port}/{self.cfg.folder}"

    def _load_checkpoint(self) -> tuple[int, int]:
        return load_checkpoint(self._checkpoint_path, self._identity())

    def _save_checkpoint(self, uidvalidity: int, last_uid: int) -> None:
        save_checkpoint(self._checkpoint_path, self._identity(), uidvalidity, last_uid)

    def _advance(self) -> None:
        last = None
        for uid in self._pending:
            if uid not in self._handled:
                break
            last = uid
        if last is not None:
            self._save_checkpoint(self._pending_validity, last)

    def fetch(self, limit: int) -> Iterator[InboxItem]:
        if limit <= 0:
            return
        try:
            client = self._connect()
            info = self._select(self.cfg.folder, fresh=True)
            validity = int(info.get(b"UIDVALIDITY", 0))
            saved_validity, last_uid = self._load_checkpoint()
            start = last_uid + 1 if saved_validity == validity else 1
            if saved_validity and saved_validity != validity:
                log.warning(
                    "UIDVALIDITY of %s changed (%s -> %s); reading it again from UID 1",
                    self.cfg.folder,
                    saved_validity,
                    validity,
                )
            found = client.search(
                [
                    "UID",
                    f"{start}:*",
                    "NOT",
                    "KEYWORD",
                    QUARANTINED_KEYWORD,
                    "NOT",
                    "KEYWORD",
                    PROCESSED_KEYWORD,
                ]
            )
        except (imaplib.IMAP4.error, OSError) as exc:
            raise self._failed(f"searching {self.cfg.folder}", exc) from exc
        # "n:*" always includes the highest UID, even when it is below n.
        uids = sorted(uid for uid in found if uid >= start)[:limit]
        self._pending, self._handled, self._pending_validity = uids, set(), validity
        sizes = self._sizes(client, uids)
        for batch, whole in byte_batches(uids, sizes, self.cfg.fetch_chunk, self.max_bytes):
            part = "BODY.PEEK[]" if whole else "BODY.PEEK[HEADER]"
            try:
                data = client.fetch(batch, [part, "INTERNALDATE"])
            except (imaplib.IMAP4.error, OSError) as exc:
                raise self._failed(f"fetching messages from {self.cfg.folder}", exc) from exc
            got = b"BODY[]" if whole else b"BODY[HEADER]"
            for uid in batch:
                item = data.pop(uid, None)
                if item is None or got not in item:
                    self._handled.add(uid)  # gone meanwhile (moved by a person)
                    continue
                yield InboxItem(
                    key=f"imap:{validity}:{uid}",
                    raw=bytes(item[got]),
                    received_at=item.get(b"INTERNALDATE"),
                    oversized=None if whole else sizes.get(uid, 0),
                )

    def _sizes(self, client: CountingClient, uids: list[int]) -> dict[int, int]:
        """RFC822.SIZE of each message, asked before any body is fetched."""
        sizes: dict[int, int] = {}
        for i in range(0, len(uids), _SIZES_PER_FETCH):
            batch = uids[i : i + _SIZES_PER_FETCH]
            try:
                data = client.fetch(batch, ["RFC822.SIZE"])
            except (imaplib.IMAP4.error, OSError) as exc:
                raise self._failed(f"reading message sizes in {self.cfg.folder}", exc) from exc
            for uid, item in data.items():
                sizes[uid] = int(item.get(b"RFC822.SIZE", 0) or 0)
        return sizes

    def _uids_for(self, keys: Sequence[str]) -> list[int]:
        info = self._select(self.cfg.folder)
        validity = int(info.get(b"UIDVALIDITY", 0))
        uids = []
        for key in keys:
            scheme, _, rest = key.partition(":")
            key_validity, _, uid = rest.partition(":")
            if scheme != "imap" or not key_validity.isdigit() or not uid.isdigit():
                raise InboxError(f"not an IMAP inbox key: {key!r}")
            if int(key_validity) != validity:
                raise InboxError(
                    f"{self.cfg.folder} changed UIDVALIDITY since these messages "
                    "were fetched; nothing was marked"
                )
            uids.append(int(uid))
        return uids

    def _require_keywords(self) -> None:
        permanent = self._select_info.get(b"PERMANENTFLAGS", (b"\\*",))
        if b"\\*" not in permanent:
            raise InboxError(
                f"{self._where()} does not allow custom keywords in "
                f"{self.cfg.folder}, so messages cannot be tagged"
            )

    def mark_processed(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            client = self._connect()
            uids = self._uids_for(keys)
            if client.has_capability("MOVE"):
                target = self._ensure_processed_folder(client)
                client.move(uid_set(uids), target)
            else:
                self._require_keywords()
                client.add_flags(uid_set(uids), [PROCESSED_KEYWORD], silent=True)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise self._failed("marking messages processed", exc) from exc
        self._handled.update(uids)
        self._advance()

    def mark_quarantined(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            client = self._connect()
            uids = self._uids_for(keys)
            self._require_keywords()
            client.add_flags(uid_set(uids), [QUARANTINED_KEYWORD], silent=True)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise self._failed("tagging messages quarantined", exc) from exc
        self._handled.update(uids)
        self._advance()

    def find_message_ids(self, folder: str, message_ids: Sequence[str]) -> set[str]:
        """Which of ``message_ids`` (with or without <>) are in ``folder``.

        An empty ``folder`` means the server's SPECIAL-USE ``\\Sent`` folder.
        Read-only (EXAMINE); used before any resend of our own mail.
        """
        # Message-IDs are ASCII by RFC 5322; anything else cannot be searched for.
        wanted = {bare_id(m): m for m in message_ids if bare_id(m) and bare_id(m).isascii()}
        if not wanted:
            return set()
        try:
            client = self._connect()
            name = self._folder(folder) if folder else client.find_special_folder(SENT)
            if not name:
                raise InboxError(f"{self._where()} has no Sent folder; set inbox.imap.sent_folder")
            self._select(name, readonly=True, fresh=True)
            present: set[str] = set()
            ids = sorted(wanted)
            for i in range(0, len(ids), _IDS_PER_SEARCH):
                hits = client.search(header_search(ids[i : i + _IDS_PER_SEARCH]))
                if not hits:
                    continue
                data = client.fetch(hits, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
                for item in data.values():
                    raw = next((v for k, v in item.items() if k.startswith(b"BODY[HEADER")), b"")
                    value = BytesHeaderParser().parsebytes(bytes(raw)).get("Message-ID", "")
                    present.add(bare_id(str(value)))
        except (imaplib.IMAP4.error, OSError) as exc:
            raise self._failed(f"searching {folder or 'the Sent folder'}", exc) from exc
        return {original for bare, original in wanted.items() if bare in present}

    def probe(self) -> str:
        """Connect, log in and examine the folder; a one-line status for ``check``."""
        try:
            client = self._connect()
            info = self._select(self.cfg.folder, readonly=True)
            move = client.has_capability("MOVE")
            gmail = client.has_capability("X-GM-EXT-1")
        except (imaplib.IMAP4.error, OSError) as exc:
            raise self._failed(f"opening {self.cfg.folder}", exc) from exc
        finally:
            if self._client is not None:
                self.close()
        how = "MOVE to " + self.cfg.processed_folder if move else "keyword (no MOVE)"
        return (
            f"IMAP {self.cfg.host}:{self.cfg.port} ({self.cfg.security}) as "
            f"{self.cfg.username}{' [Gmail]' if gmail else ''}: {self.cfg.folder} has "
            f"{info.get(b'EXISTS', 0)} messages, UIDVALIDITY {info.get(b'UIDVALIDITY')}; "
            f"processed mail: {how}"
        )
