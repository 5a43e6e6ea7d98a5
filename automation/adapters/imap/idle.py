"""Waiting for new mail with IMAP IDLE (RFC 2177), for ``sheetdesk run``.

Contract (``automation.ports.MailWatcher``): ``wait(seconds)`` returns True
as soon as the server reports new mail in the watched folder (``EXISTS`` or
``RECENT``), or once after a lost connection was re-established (mail may
have arrived unseen meanwhile) or when IDLE starts on a folder that already
holds mail; False when the time is up.  It never raises
for server trouble: the runner's interval is the fallback, so a watcher that
cannot watch only sleeps.

* Its own connection, separate from the cycle's (a connection in IDLE can do
  nothing else), opened with the same rules (TLS, login) as the inbox.
* A server without the IDLE capability: ``supported`` is False and ``wait``
  just sleeps; the runner then polls on its interval, as before.
* IDLE is ended and re-issued every ``refresh_seconds`` (default 10 min, well
  before the 29 minutes after which RFC 2177 lets a server drop it), with a
  NOOP in between to prove the connection is alive.
* A dropped connection is reopened with exponential backoff (1 s doubling to
  ``max_backoff``); while it is down, ``wait`` sleeps.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import time
from collections.abc import Callable
from pathlib import Path

from imapclient.imapclient import IMAPClient

from automation.adapters.imap.connect import open_client, quietly_shutdown
from automation.adapters.oauth.login import Credential
from automation.config import ImapConfig
from automation.errors import SheetdeskError

log = logging.getLogger(__name__)

_NEW_MAIL = (b"EXISTS", b"RECENT")
_TROUBLE = (imaplib.IMAP4.error, OSError, socket.timeout, SheetdeskError)


class ImapWatcher:
    """``MailWatcher`` over IMAP IDLE on ``cfg.folder``."""

    def __init__(
        self,
        cfg: ImapConfig,
        password: Credential,
        base_dir: Path | None = None,
        *,
        refresh_seconds: float = 600.0,
        max_backoff: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cfg = cfg
        self._password = password
        self._base_dir = base_dir
        self.refresh_seconds = refresh_seconds
        self.max_backoff = max_backoff
        self._clock = clock
        self._client: IMAPClient | None = None
        self._idle_since = 0.0
        self._retry_at = 0.0
        self._backoff = 1.0
        self._was_connected = False
        self.supported: bool | None = None  # unknown until the first connection
        self.connects = 0  # for tests and the benchmark

    def wait(self, seconds: float) -> bool:
        """See the module docstring."""
        if self.supported is False:
            time.sleep(max(0.0, seconds))
            return False
        if self._client is None:
            reconnected = self._connect()
            if self._client is None:
                time.sleep(max(0.0, seconds))
                return False
            if reconnected:
                return True
        try:
            seen: list[object] = []
            if self._clock() - self._idle_since >= self.refresh_seconds:
                seen = self._refresh()
            assert self._client is not None
            started = self._clock()
            got = self._client.idle_check(timeout=max(0.0, seconds))
            if not got and self._clock() - started < seconds / 2:
                # Readable yet nothing read: imapclient hides an EOF this way
                # (or half a line came).  DONE + NOOP tells which.
                got = self._refresh()
            seen += got
        except _TROUBLE as exc:
            self._drop(f"IDLE connection lost ({type(exc).__name__}); reconnecting")
            return False
        return any(isinstance(r, tuple) and len(r) > 1 and r[1] in _NEW_MAIL for r in seen)

    def _connect(self) -> bool:
        """Open, SELECT and start IDLE; True when this replaced a lost connection
        or the folder already holds mail."""
        if self._clock() < self._retry_at:
            return False
        try:
            client = open_client(self.cfg, self._password, self._base_dir, lambda n: None)
        except _TROUBLE as exc:
            self._drop(f"cannot open the IDLE connection ({exc}); retrying")
            return False
        self.connects += 1
        try:
            if not client.has_capability("IDLE"):
                self.supported = False
                log.info("the IMAP server does not offer IDLE: polling on the interval")
                quietly_shutdown(client)
                return False
            self.supported = True
            waiting = int(client.select_folder(self.cfg.folder, readonly=True).get(b"EXISTS", 0))
            client.idle()
        except _TROUBLE as exc:
            quietly_shutdown(client)
            self._drop(f"cannot start IDLE ({exc}); retrying")
            return False
        self._client, self._idle_since, self._backoff = client, self._clock(), 1.0
        again, self._was_connected = self._was_connected, True
        # Mail that came before IDLE started sends no EXISTS; the folder holds
        # only mail not yet handled (and quarantined mail), so look if any.
        return again or waiting > 0

    def _refresh(self) -> list[object]:
        """End IDLE, prove the connection with NOOP, start IDLE again; returns
        the untagged responses met on the way (new mail may be among them)."""
        assert self._client is not None
        _, ended = self._client.idle_done()
        _, nooped = self._client.noop()
        self._client.idle()
        self._idle_since = self._clock()
        return [*ended, *nooped]

    def _drop(self, why: str) -> None:
        log.warning(why)
        if self._client is not None:
            quietly_shutdown(self._client)
            self._client = None
        self._retry_at = self._clock() + self._backoff
        self._backoff = min(self.max_backoff, self._backoff * 2)

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.idle_done()
                self._client.logout()
            except _TROUBLE:
                quietly_shutdown(self._client)
            self._client = None
