"""Counting what a fault run left behind: the sheet, the SMTP capture, the mailbox.

``tally()`` reads the stand-in's tabs directly (not through the product), the
messages aiosmtpd captured and the Dovecot mailbox, and answers the issue's
questions: cases per Message-ID, emails per case and event, messages left in
the inbox, quarantined messages, and anything lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from automation.sheet import sent_log as sentlog
from automation.sheet.threads import split_ids

QUARANTINED = b"$SheetdeskQuarantined"


@dataclass
class Tally:
    inputs: int = 0
    cases: int = 0
    cases_per_id: Counter[int] = field(default_factory=Counter)  # n cases -> inputs on n
    lost: list[str] = field(default_factory=list)  # labels of inputs found nowhere
    duplicate_cases: int = 0  # extra case rows carrying an already-cased Message-ID
    noncase_rows: int = 0
    quarantine_rows: int = 0
    emails: int = 0
    duplicate_emails: int = 0  # captured copies beyond the first, by Message-ID
    emails_by_event: Counter[str] = field(default_factory=Counter)
    per_recipient: Counter[str] = field(default_factory=Counter)
    owed: int = 0  # Sent log entries still pending
    suppressed: int = 0
    failed: int = 0
    sent_not_delivered: int = 0  # the sheet says sent, SMTP never saw it
    delivered_not_recorded: int = 0  # SMTP has it, the sheet does not say sent
    inbox: int = 0
    inbox_quarantined: int = 0
    processed: int = 0
    health: dict[str, str] = field(default_factory=dict)

    @property
    def left_in_inbox(self) -> int:
        """Messages still waiting in INBOX (quarantined ones excluded)."""
        return self.inbox - self.inbox_quarantined

    def line(self) -> str:
        return (
            f"{self.inputs} in: {self.cases} cases, {len(self.lost)} lost, "
            f"{self.duplicate_cases} duplicate cases, {self.emails} emails "
            f"({self.duplicate_emails} duplicates, {self.owed} owed, "
            f"{self.suppressed} suppressed, {self.failed} failed), "
            f"{self.noncase_rows} non-cases, {self.quarantine_rows} quarantined; inbox "
            f"{self.left_in_inbox} waiting + {self.inbox_quarantined} quarantined, "
            f"{self.processed} processed"
        )


def rows_of(grid: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    if not grid:
        return []
    header = list(grid[0])
    return [
        dict(zip(header, list(r) + [""] * (len(header) - len(r)), strict=False))
        for r in grid[1:]
        if any(r)
    ]


def _grid(api: Any, sid: str, tab: str) -> list[list[str]]:
    try:
        return list(api.grid(sid, tab))
    except KeyError:
        return []


def tally(
    api: Any, sid: str, user: Any, captured: Sequence[Any], inputs: Mapping[str, str]
) -> Tally:
    """``inputs`` maps each loaded message's Message-ID (lower case) to its label."""
    t = Tally(inputs=len(inputs))
    cases = rows_of(_grid(api, sid, "Cases"))
    t.cases = len(cases)
    on_cases: Counter[str] = Counter()
    recorded: dict[str, str] = {}
    for case in cases:
        for mid in set(m.lower() for m in split_ids(case.get("Thread IDs", ""))):
            on_cases[mid] += 1
        for entry in sentlog.parse(case.get("Sent log", "")):
            recorded[entry.message_id] = entry.state
    logged: set[str] = set()
    raw_quarantined = 0
    for tab in ("Non-cases", "Quarantine"):
        rows = rows_of(_grid(api, sid, tab))
        if tab == "Non-cases":
            t.noncase_rows = len(rows)
        else:
            t.quarantine_rows = len(rows)
            raw_quarantined = sum(1 for r in rows if not r.get("Message-ID"))
        logged.update(r.get("Message-ID", "").lower() for r in rows)
    raw_inputs = 0
    for mid, label in inputs.items():
        if mid.startswith("raw:"):
            raw_inputs += 1
            continue
        n = on_cases.get(mid, 0)
        t.cases_per_id[n] += 1
        t.duplicate_cases += max(0, n - 1)
        if n == 0 and mid not in logged:
            t.lost.append(label)
    if raw_inputs > raw_quarantined:
        t.lost.extend(["(unparseable input)"] * (raw_inputs - raw_quarantined))

    ids: Counter[str] = Counter()
    for mail in captured:
        mid = str(mail.message.get("Message-ID", "")).strip().strip("<>")
        ids[mid] += 1
        parts = mid.split(".")
        t.emails_by_event[parts[1] if len(parts) > 2 else "?"] += 1
        for rcpt in mail.rcpt_tos:
            t.per_recipient[rcpt.lower()] += 1
    t.emails = len(captured)
    t.duplicate_emails = sum(c - 1 for c in ids.values())
    states = Counter(recorded.values())
    t.owed, t.suppressed, t.failed = (
        states[sentlog.PENDING],
        states[sentlog.SUPPRESSED],
        states[sentlog.FAILED],
    )
    t.sent_not_delivered = sum(1 for m, s in recorded.items() if s == sentlog.SENT and m not in ids)
    t.delivered_not_recorded = sum(1 for m in ids if recorded.get(m) != sentlog.SENT)

    t.inbox = user.count("INBOX")
    t.inbox_quarantined = sum(1 for f in user.flags("INBOX").values() if QUARANTINED in f)
    t.processed = user.count("sheetdesk/processed")
    t.health = {r.get("What", ""): r.get("Value", "") for r in rows_of(_grid(api, sid, "Health"))}
    return t


def formula_cells(api: Any, sid: str) -> list[str]:
    """``Tab!row,col`` of every stored formula: customer text must never become one."""
    found = []
    with api.lock:
        for sheet in api.book(sid).sheets:
            for r in range(sheet.row_count):
                for c in range(sheet.col_count):
                    value = sheet.get(r, c)
                    if value is not None and value.kind == "formula":
                        found.append(f"{sheet.title}!{r},{c}")
    return found


def sheet_text(api: Any, sid: str) -> str:
    """Every cell of every tab, as text (for the secret scan)."""
    with api.lock:
        titles = [s.title for s in api.book(sid).sheets]
    return "\n".join("\t".join(row) for t in titles for row in api.grid(sid, t))
