"""A local, append-only record of what the SMTP server may hold and what it took.

Four kinds of line, each written to the file on the spot:

* ``try <id> <boot>`` before the final ``.`` of the message's DATA is sent,
  fsynced before the dot goes, then ``dot <id>`` written (not synced) right
  before the dot itself: from the ``dot`` line on, the server may have the
  message even if we never hear its reply.  ``<boot>`` is the kernel's boot id.
  A ``try`` with no ``dot`` written in the *same boot* means the process died
  before the dot left (the page cache survives any process death, so the
  ``dot`` line would be there): the server cannot hold a message without its
  dot, so the email is sent again, not lost.  After a reboot (a power cut can
  lose the unsynced ``dot`` line) a lone ``try`` stays unconfirmed, as below;
* ``ok <id>`` as soon as the server answers 250;
* ``no <id>`` when it answers with a refusal (it does not hold the message).

Why only ``try`` waits for the disk: every line is written (``write(2)``) at
once, so a killed process never loses one; only a power cut can, and for
``ok``/``no`` that is harmless: the id is left as ``try`` (unconfirmed below:
not resent, reported), never resent blindly.  The next ``try`` fsync carries
the earlier lines with it, and the cycle's ``add`` (after sending) syncs the
rest, so a batch costs one fsync per email instead of two.

An id with ``try`` but no ``ok`` is *unconfirmed*: the process died while the
server had the message in hand.  The mailer does not resend those (a duplicate
in the customer's inbox is the failure users hate most); it marks them sent
with a note and reports them, so a person can resend if the customer says so.
The ledger is only a cache: the sheet's Sent log and the outbox (Sent folder,
files) are the record, and deleting this file never causes a resend on its own
except for that same crash window.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from automation.ports import StateDir
from automation.state import LEDGER, FileStateDir

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
KEEP = 5000  # enough for days of mail; older ids are settled in the sheet


class Ledger:
    """The ledger kept in a ``StateDir`` (or, given a path, in that file)."""

    def __init__(self, state: StateDir | Path, name: str = LEDGER) -> None:
        if isinstance(state, Path):  # one file, as before the StateDir
            name = state.name
            state = FileStateDir(state.parent)
        self._state: StateDir = state
        self._name = name
        self._ok: set[str] = set()
        self._tried: set[str] = set()
        self._unsynced = False  # lines written since the last fsync
        self._boot = boot_id()
        lines = (state.read(name) or "").splitlines()
        self._load(lines[-4 * KEEP :])
        if len(lines) > 4 * KEEP:
            self._compact()

    def _load(self, lines: list[str]) -> None:
        """Replay the lines; a ``try`` this boot never followed by ``dot`` is dropped
        (the dot never left, so sending it again is not a duplicate)."""
        dotted: set[str] = set()
        boot_of: dict[str, str] = {}
        for line in lines:
            kind, *rest = line.split()
            mid = rest[0] if rest else ""
            if kind == "ok" and mid:
                self._ok.add(mid)
            elif kind == "try" and mid:
                self._tried.add(mid)
                boot_of[mid] = rest[1] if len(rest) > 1 else ""
            elif kind == "dot" and mid:
                dotted.add(mid)
            elif kind == "no" and mid:
                self._tried.discard(mid)
        for mid in self.unconfirmed() - dotted:
            if self._boot and boot_of.get(mid) == self._boot:
                self._tried.discard(mid)

    def ids(self) -> set[str]:
        """Every id that may have reached the server: confirmed or not."""
        return self._ok | self._tried

    def unconfirmed(self) -> set[str]:
        return self._tried - self._ok

    def _append(self, kind: str, message_ids: Iterable[str], sync: bool) -> None:
        """Write the lines now; with ``sync``, return once they (and every line
        written before them) are on disk."""
        new = [m for m in message_ids if m and len(m.split()) == 1]
        if new or (sync and self._unsynced):
            self._state.append(self._name, "".join(f"{kind} {m}\n" for m in new), sync=sync)
            self._unsynced = not sync

    def add(self, message_ids: Iterable[str]) -> None:
        """Record accepted emails and make every earlier line durable."""
        new = [m for m in message_ids if m not in self._ok]
        self._append("ok", new, sync=True)
        self._ok.update(m for m in new if m and len(m.split()) == 1)

    def add_one(self, message_id: str) -> None:
        """The outbox's callback: the server accepted this email (written now,
        made durable by the next ``try`` or ``add``)."""
        if message_id not in self._ok:
            self._append("ok", [message_id], sync=False)
            self._ok.add(message_id)

    def attempt(self, message_id: str) -> None:
        """The outbox's callback: the final dot of this email's DATA is about to
        go; returns once the ``try`` line is on disk and the ``dot`` line written."""
        if message_id not in self._tried and len(message_id.split()) == 1 and message_id:
            boot = f" {self._boot}" if self._boot else ""
            self._state.append(self._name, f"try {message_id}{boot}\n", sync=True)
            self._state.append(self._name, f"dot {message_id}\n", sync=False)
            self._unsynced = True
            self._tried.add(message_id)

    def refused(self, message_id: str) -> None:
        """The outbox's callback: the server answered with a refusal (4xx/5xx), so
        it does not hold this email; a later retry is not a duplicate."""
        if message_id in self._tried:
            self._append("no", [message_id], sync=False)
            self._tried.discard(message_id)

    def _compact(self) -> None:
        keep = [f"ok {m}" for m in sorted(self._ok)][-KEEP:]
        keep += [f"try {m}" for m in sorted(self.unconfirmed())][-KEEP:]
        self._state.write(self._name, "".join(f"{line}\n" for line in keep))


def boot_id() -> str:
    """The kernel's boot id ("" where there is none: every lone ``try`` then
    stays unconfirmed, the cautious reading)."""
    try:
        return BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return ""
