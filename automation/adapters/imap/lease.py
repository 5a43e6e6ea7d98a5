"""One runner per mailbox, across hosts: a lease kept in the mailbox itself.

Why the mailbox: the ``flock`` in the state directory only sees processes on
one machine that share that directory.  The same configuration on two hosts,
or a state directory deleted under a running ``sheetdesk run`` (the second
process then locks a new file), made two runners, and 150 messages produced
67 emails delivered twice.  Both runners always share the mailbox, and IMAP
gives one atomic step: ``CREATE`` of a folder succeeds for exactly one client.

* **Acquire**: ``CREATE <processed_folder>-lease``.  The winner APPENDs a
  heartbeat (``X-Sheetdesk-Lease: holder=<host>:<pid>:<random>; at=<UTC>``).
* **Renew**: before every cycle the holder reads the newest heartbeat; if it is
  its own it APPENDs a new one and expunges its older ones (our own records in
  our own folder, never customer mail); if it is someone else's, the lease was
  lost and the cycle does not run (``LockHeldError``, exit 75).
* **Held by another**: a fresh heartbeat of another holder means ``LockHeldError``
  naming the holder.  A heartbeat is *stale* when older than ``stale_after``
  (several poll intervals), or when it was written on this host by a process
  that no longer exists; then the lease is broken by ``RENAME`` of the folder to
  a unique name (atomic: two breakers cannot both rename it) and acquired anew.
* **Release**: on exit the holder deletes the folder if the newest heartbeat is
  still its own.

The holder id contains a random part, so a restart, or a second process on
the same host with another state directory, is a different holder: deleting
the state directory cannot make a second runner.  The residual window, said
plainly: two processes that both judge the *same stale* lease in the same
instant can both break-and-create in turn; the earlier one finds the other's
heartbeat at its next renew and stops, so at most one overlapping cycle, and
only after a holder died without releasing.
"""

from __future__ import annotations

import imaplib
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from typing import Any

from automation.errors import InboxError, LockHeldError

HEADER = "X-Sheetdesk-Lease"


def new_holder() -> str:
    """A holder id: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


# One process is one runner: a second Runtime built in the same process (the
# demo, a test playing "a fresh process") shares this id and so renews the lease.
_PROCESS_HOLDER = new_holder()


@dataclass(frozen=True)
class Heartbeat:
    holder: str
    at: datetime

    @property
    def host(self) -> str:
        return self.holder.split(":", 1)[0]

    @property
    def pid(self) -> int:
        parts = self.holder.split(":")
        return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0

    def stale(self, now: datetime, stale_after: timedelta) -> bool:
        if now - self.at > stale_after:
            return True
        return self.host == socket.gethostname() and self.pid > 0 and not _alive(self.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def parse_heartbeat(raw: bytes) -> Heartbeat | None:
    value = BytesHeaderParser().parsebytes(raw).get(HEADER, "")
    fields = dict(p.strip().partition("=")[::2] for p in str(value).split(";") if "=" in p)
    try:
        at = datetime.fromisoformat(fields.get("at", ""))
    except ValueError:
        return None
    holder = fields.get("holder", "")
    return Heartbeat(holder, at if at.tzinfo else at.replace(tzinfo=UTC)) if holder else None


def heartbeat_message(holder: str, now: datetime) -> bytes:
    return (
        "From: sheetdesk <lease@sheetdesk.invalid>\r\n"
        "Subject: sheetdesk runner lease (leave this folder alone)\r\n"
        f"{HEADER}: holder={holder}; at={now.astimezone(UTC).isoformat()}\r\n"
        "\r\n"
        "While this folder exists, one sheetdesk process is working this mailbox.\r\n"
    ).encode()


class MailboxLease:
    """The lease over one IMAP connection (borrowed from the inbox)."""

    def __init__(
        self,
        connect: Callable[[], Any],
        folder: str,
        stale_after: timedelta,
        holder: str | None = None,
    ) -> None:
        self.connect = connect  # returns a logged-in IMAPClient; may leave a folder selected
        self.folder = folder
        self.stale_after = stale_after
        self.holder = holder or (
            _PROCESS_HOLDER if _PROCESS_HOLDER.split(":")[1] == str(os.getpid()) else new_holder()
        )
        self.held = False

    def hold(self, now: datetime) -> None:
        """Acquire or renew the lease; ``LockHeldError`` when another runner has it."""
        client = self.connect()
        try:
            beats = self._beats(client)
            if beats is None:  # no lease folder: try to create it
                self._create(client)
            else:
                newest = beats[-1][1] if beats else None
                if newest is not None and newest.holder == self.holder:
                    pass  # ours: renew below
                elif newest is not None and not newest.stale(now, self.stale_after):
                    self.held = False
                    raise LockHeldError(
                        f"another sheetdesk ({newest.holder}) holds the mailbox lease "
                        f"(folder {self.folder}, heartbeat {newest.at:%Y-%m-%d %H:%M:%S} UTC); "
                        "not running a second one on the same mailbox"
                    )
                else:
                    self._break(client, now)
            client.append(self.folder, heartbeat_message(self.holder, now))
            self._prune(client)
            self.held = True
        except imaplib.IMAP4.error as exc:
            raise InboxError(f"the mailbox lease ({self.folder}) failed: {exc}") from exc

    def release(self) -> None:
        """Give the lease up (only if it is still ours); never raises."""
        if not self.held:
            return
        self.held = False
        try:
            client = self.connect()
            beats = self._beats(client)
            if beats and beats[-1][1] is not None and beats[-1][1].holder == self.holder:
                client.close_folder()  # a selected folder cannot always be deleted
                client.delete_folder(self.folder)
        except Exception:  # a lease left behind goes stale; nothing else to do
            return

    # ---------------------------------------------------------------- helpers
    def _beats(self, client: Any) -> list[tuple[int, Heartbeat | None]] | None:
        """(uid, heartbeat) in the lease folder, oldest first; None if it doesn't exist."""
        try:
            client.select_folder(self.folder)
        except imaplib.IMAP4.error:
            if not client.folder_exists(self.folder):
                return None
            raise
        uids = sorted(client.search(["ALL"]))
        if not uids:
            return []
        data = client.fetch(uids[-5:], ["BODY.PEEK[HEADER]"])
        out = []
        for uid in uids:
            item = data.get(uid)
            raw = bytes(item.get(b"BODY[HEADER]", b"")) if item else b""
            out.append((uid, parse_heartbeat(raw) if raw else None))
        return out

    def _create(self, client: Any) -> None:
        try:
            client.create_folder(self.folder)
        except imaplib.IMAP4.error as exc:  # another runner created it first
            raise LockHeldError(
                f"another sheetdesk just took the mailbox lease ({self.folder}); "
                "not running a second one on the same mailbox"
            ) from exc

    def _break(self, client: Any, now: datetime) -> None:
        aside = f"{self.folder}-stale-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        client.close_folder()  # Dovecot fails later commands after renaming the selected one
        try:
            client.rename_folder(self.folder, aside)
        except imaplib.IMAP4.error as exc:
            raise LockHeldError(
                f"another sheetdesk is taking over the stale mailbox lease ({self.folder})"
            ) from exc
        self._create(client)
        try:
            client.delete_folder(aside)
        except imaplib.IMAP4.error:
            pass  # only our old heartbeats; harmless if it stays

    def _prune(self, client: Any) -> None:
        """Expunge our own older heartbeats, keeping the newest."""
        beats = self._beats(client) or []
        old = [uid for uid, _ in beats[:-1]]
        if old:
            client.delete_messages(old)
            client.expunge()
