"""The Sent log: the sheet's record of every email sheetdesk owes or has sent.

One line per email in the poller-owned "Sent log" cell of its case::

    ack <C-1042.ack.3f2a9c1d@help.example.com> pending 2026-12-01T10:00:00Z
    ack <C-1042.ack.3f2a9c1d@help.example.com> sent 2026-12-01T10:00:04Z

The Message-ID is deterministic (case, event, source), so the line written
*before* sending names exactly the email that will go out; after a crash the
next cycle asks the outbox whether that id already went out before it resends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

PENDING = "pending"
SENT = "sent"
FAILED = "failed"  # a permanent (5xx) refusal: reported, not retried
SUPPRESSED = "suppressed"  # not sent on purpose (e.g. auto-responder loop)


@dataclass(frozen=True)
class Entry:
    event: str
    message_id: str
    state: str
    at: datetime | None
    note: str = ""

    def line(self) -> str:
        when = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if self.at else "-"
        tail = f" {self.note}" if self.note else ""
        return f"{self.event} <{self.message_id}> {self.state} {when}{tail}"


def outgoing_id(case_id: str, event: str, source: str, domain: str) -> str:
    """The deterministic Message-ID (without brackets) of one outgoing email."""
    digest = hashlib.sha256(f"{case_id}\0{event}\0{source}".encode()).hexdigest()[:16]
    safe_case = "".join(ch for ch in case_id if ch.isalnum() or ch in "-_")
    safe_event = "".join(ch for ch in event if ch.isalnum() or ch in "-_")
    return f"{safe_case}.{safe_event}.{digest}@{domain}"


def parse(cell: str) -> list[Entry]:
    """Entries of a Sent log cell; lines that don't parse are ignored (a person
    may have typed in the cell, and the poller must not choke on it)."""
    entries = []
    for raw in cell.splitlines():
        parts = raw.strip().split(" ", 4)
        if len(parts) < 4 or not parts[1].startswith("<") or not parts[1].endswith(">"):
            continue
        event, mid, state, when = parts[:4]
        at: datetime | None
        try:
            at = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            at = None
        entries.append(Entry(event, mid[1:-1], state, at, parts[4] if len(parts) > 4 else ""))
    return entries


def render(entries: list[Entry]) -> str:
    return "\n".join(entry.line() for entry in entries)


def with_state(
    entries: list[Entry], message_id: str, state: str, at: datetime, note: str = ""
) -> list[Entry]:
    """``entries`` with the one for ``message_id`` moved to ``state``."""
    return [
        Entry(e.event, e.message_id, state, at, note) if e.message_id == message_id else e
        for e in entries
    ]
