"""Fault injectors for the harness: a byte-counting IMAP proxy and kill triggers.

* ``ByteProxy`` relays loopback TCP to Dovecot and counts the bytes sent to
  the client.  ``cut_after`` lists, per accepted connection, a byte count after
  which both ends are closed (``None``: leave that connection alone), so "the
  server vanished in the middle of a FETCH" happens at a chosen byte.
* ``KillPoint`` is one seeded place to SIGKILL a sheetdesk process: after the
  proxy has relayed N bytes (mid-fetch), just before the stand-in handles its
  n-th request (the request still lands: the write is in, the answer never
  arrives), or once aiosmtpd holds m more messages (mid-send).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LOOPBACK = "127.0.0.1"


class ByteProxy:
    def __init__(self, target_port: int, cut_after: Sequence[int | None] = ()) -> None:
        self.target = target_port
        self.cut_after = list(cut_after)
        self.downstream = 0  # bytes relayed server -> client, all connections
        self.connections = 0
        self.cuts = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                index = self.connections
                self.connections += 1
            limit = self.cut_after[index] if index < len(self.cut_after) else None
            try:
                upstream = socket.create_connection((LOOPBACK, self.target))
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            threading.Thread(target=self._pump, args=(upstream, client, limit, True, pair),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(client, upstream, None, False, pair),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, limit: int | None, count: bool,
              pair: tuple[socket.socket, socket.socket]) -> None:
        sent = 0
        try:
            while data := src.recv(16384):
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts += 1
                    break
                dst.sendall(data)
                sent += len(data)
                if count:
                    with self._lock:
                        self.downstream += len(data)
        except OSError:
            pass
        for s in pair:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self._sock.close()


@dataclass
class KillPoint:
    kind: str  # "imap-bytes", "sheets-request", "smtp-message"
    at: int

    def describe(self) -> str:
        return {"imap-bytes": "after {} IMAP bytes", "sheets-request":
                "before Sheets request #{}", "smtp-message": "after {} more emails"}[
                    self.kind].format(self.at)


def kill_points(count: int, seed: int) -> list[KillPoint]:
    """``count`` seeded kill points, spread over the three kinds."""
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        kind = rng.choice(("imap-bytes", "sheets-request", "smtp-message"))
        at = {"imap-bytes": lambda: rng.randint(2_000, 2_000_000),
              "sheets-request": lambda: rng.randint(0, 9),
              "smtp-message": lambda: rng.randint(1, 30)}[kind]()
        points.append(KillPoint(kind, at))
    return points


class Armed:
    """One ``KillPoint`` watching one process; ``due()`` is polled by the waiter."""

    def __init__(self, point: KillPoint, pid: int, api: Any, proxy: ByteProxy | None,
                 captured: list[Any]) -> None:
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
