"""systemd's notify protocol (``sd_notify``), without a dependency.

Under ``Type=notify`` systemd passes ``NOTIFY_SOCKET`` (a path, or ``@name``
for the abstract namespace); each notification is one datagram of
``KEY=value`` lines.  With ``WatchdogSec=`` it also passes ``WATCHDOG_USEC``
(and ``WATCHDOG_PID``): ``WATCHDOG=1`` must then arrive more often than that, or
systemd restarts the service.  Outside systemd nothing is set and every call
is a no-op; a failed send is logged and never stops the poller.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger("sheetdesk.notify")


def send(*fields: str) -> bool:
    """Send ``fields`` (``"READY=1"``, ``"STATUS=..."``) as one notification."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    payload = "\n".join(f.replace("\n", " ") for f in fields).encode("utf-8")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(payload)
    except OSError as exc:
        log.warning("could not notify systemd at NOTIFY_SOCKET (%s)", exc.strerror or exc)
        return False
    return True


class Watchdog:
    """``WATCHDOG=1`` at half of systemd's ``WATCHDOG_USEC``, when that is set for us."""

    def __init__(self) -> None:
        usec = os.environ.get("WATCHDOG_USEC", "")
        pid = os.environ.get("WATCHDOG_PID", "")
        mine = not pid or pid == str(os.getpid())
        self.every = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 and mine else None
        self.last = float("-inf")

    def pet(self) -> None:
        if self.every is not None and time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            send("WATCHDOG=1")
