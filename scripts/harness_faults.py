"""Fault injectors for the harness: a byte-counting IMAP proxy and kill triggers.

* ``ByteProxy`` (``tests.mailservers.CuttingProxy``) relays loopback TCP to
  Dovecot, counts the bytes sent to the client and closes a connection after a
  chosen byte, so "the server vanished in the middle of a FETCH" is repeatable.
* ``KillPoint`` is one seeded place to SIGKILL a sheetdesk process: after the
  proxy has relayed N bytes (mid-fetch), just before the stand-in handles its
  n-th request (the request still lands: the write is in, the answer never
  arrives), or once aiosmtpd holds m more messages (mid-send).
"""

from __future__ import annotations

import os
import random
import signal
from dataclasses import dataclass
from typing import Any

from tests.support.mailservers import CuttingProxy

LOOPBACK = "127.0.0.1"


# The relay lives with the other mail-server fixtures; the harness calls it ByteProxy.
ByteProxy = CuttingProxy


@dataclass
class KillPoint:
    kind: str  # "imap-bytes", "sheets-request", "smtp-message"
    at: int

    def describe(self) -> str:
        return {
            "imap-bytes": "after {} IMAP bytes",
            "sheets-request": "before Sheets request #{}",
            "smtp-message": "after {} more emails",
        }[self.kind].format(self.at)


def kill_points(count: int, seed: int) -> list[KillPoint]:
    """``count`` seeded kill points, spread over the three kinds."""
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        kind = rng.choice(("imap-bytes", "sheets-request", "smtp-message"))
        at = {
            "imap-bytes": lambda: rng.randint(2_000, 2_000_000),
            "sheets-request": lambda: rng.randint(0, 9),
            "smtp-message": lambda: rng.randint(1, 30),
        }[kind]()
        points.append(KillPoint(kind, at))
    return points


class Armed:
    """One ``KillPoint`` watching one process; ``due()`` is polled by the waiter."""

    def __init__(
        self, point: KillPoint, pid: int, api: Any, proxy: ByteProxy | None, captured: list[Any]
    ) -> None:
        self.point, self.pid, self.api = point, pid, api
        self.proxy = proxy
        self.captured = captured
        self.base_bytes = proxy.downstream if proxy else 0
        self.base_mail = len(captured)
        self.requests = 0
        self.fired = False
        self.fallback_requests = 40  # every cycle reads the sheet: this always comes
        api.before_request = self._hook

    def _hook(self, k: int, method: str, url: str) -> None:
        if self.point.kind == "sheets-request" and self.requests == self.point.at:
            self._kill()
        if self.requests >= self.fallback_requests:
            self._kill()
        self.requests += 1

    def _kill(self) -> None:
        if not self.fired:
            self.fired = True
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def due(self) -> bool:
        if self.point.kind == "imap-bytes" and self.proxy is not None:
            if self.proxy.downstream - self.base_bytes >= self.point.at:
                self._kill()
        elif self.point.kind == "smtp-message":
            if len(self.captured) - self.base_mail >= self.point.at:
                self._kill()
        return self.fired

    def disarm(self) -> None:
        self.api.before_request = None
