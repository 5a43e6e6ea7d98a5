"""Sending what the Sent log says we owe, exactly once.

The sheet's Sent log lists every email with a deterministic Message-ID, written
as ``pending`` in the same write that creates the case.  Each cycle, after that
write, the mailer:

1. asks the outbox (and the local ledger, a cache) which pending ids already
   went out (a crash between sending and recording): those are marked sent
   without sending again;
2. renders and sends the rest over one outbox connection;
3. returns the new Sent log cells, which the cycle writes in its second write.

An email the server refuses permanently (5xx) is marked ``failed`` with the
reason and not retried; a temporary failure (4xx, server down) stays
``pending`` and is tried again next cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from automation.errors import OutboxError
from automation.model import Address
from automation.outgoing import compose
from automation.ports import Outbox
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.threads import split_ids

AckContext = Mapping[str, Any]


@dataclass(frozen=True)
class Outgoing:
    case_id: str
    entry: sentlog.Entry
    email: EmailMessage


@dataclass
class MailResult:
    sent_log: dict[str, str] = field(default_factory=dict)  # case ID -> new Sent log cell
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    sent_ids: list[str] = field(default_factory=list)
    unreachable: bool = False  # the outbox could not be reached: the cycle is incomplete


def pending(cases: Mapping[str, Mapping[str, str]]) -> list[tuple[str, sentlog.Entry]]:
    """Every (case ID, entry) still owed, oldest case first."""
    owed = []
    for case_id, values in cases.items():
        for entry in sentlog.parse(values.get(columns.SENT_LOG, "")):
            if entry.state == sentlog.PENDING:
                owed.append((case_id, entry))
    return owed


def thread_headers(values: Mapping[str, str], own_id: str) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) for an email on this case: the customer's first
    message, then everything else on the thread before our own id."""
    ids = [i for i in split_ids(values.get(columns.THREAD_IDS, "")) if i != own_id]
    return (ids[0] if ids else None), ids


def deliver(
    owed: list[Outgoing],
    cases: Mapping[str, Mapping[str, str]],
    outbox: Outbox,
    ledger: set[str],
    now: datetime,
    fresh: frozenset[str] = frozenset(),
) -> MailResult:
    """Send ``owed`` once each; see the module docstring for the rules.

    ``fresh`` are ids of emails whose case this very cycle created: nothing can
    have sent them before, so the outbox is not asked about them (on IMAP that
    check costs a SEARCH per 25 ids)."""
    result = MailResult()
    logs = {o.case_id: sentlog.parse(cases[o.case_id].get(columns.SENT_LOG, "")) for o in owed}
    if not owed:
        return result
    ids = [o.entry.message_id for o in owed]
    maybe_out = [i for i in ids if i not in fresh]
    try:
        gone = (set(outbox.already_sent(maybe_out)) if maybe_out else set()) | (ledger & set(ids))
    except OutboxError as exc:
        result.problems.append(f"outbox: cannot check what was already sent ({exc}); holding")
        result.counts["email held"] += len(owed)
        result.unreachable = True
        return result
    to_send = []
    for o in owed:
        if o.entry.message_id in gone:
            logs[o.case_id] = sentlog.with_state(
                logs[o.case_id], o.entry.message_id, sentlog.SENT, now, "found-already-sent"
            )
            result.counts["email already out"] += 1
        else:
            to_send.append(o)
    if to_send:
        try:
            outcomes = outbox.send([o.email for o in to_send])
        except OutboxError as exc:
            result.problems.append(f"outbox: {exc}; {len(to_send)} email(s) held for next cycle")
            result.counts["email held"] += len(to_send)
            result.unreachable = True
            outcomes = []
        by_id = {r.message_id.strip("<>"): r for r in outcomes}
        for o in to_send:
            outcome = by_id.get(o.entry.message_id)
            if outcome is None:
                continue
            if outcome.ok:
                state, note = sentlog.SENT, ""
                result.counts["email sent"] += 1
                result.sent_ids.append(o.entry.message_id)
            elif outcome.permanent:
                state, note = sentlog.FAILED, compose.clean_header(outcome.detail, 200)
                result.counts["email refused"] += 1
                result.problems.append(f"{o.case_id}: {o.entry.event} refused: {note}")
            else:
                result.counts["email held"] += 1
                continue
            logs[o.case_id] = sentlog.with_state(
                logs[o.case_id], o.entry.message_id, state, now, note.replace(" ", "_")[:80]
            )
    for case_id, entries in logs.items():
        cell = sentlog.render(entries)
        if cell != cases[case_id].get(columns.SENT_LOG, ""):
            result.sent_log[case_id] = cell
    return result


def customer_of(values: Mapping[str, str]) -> Address | None:
    email = values.get("Customer email", "").strip().lower()
    return Address(values.get("Customer", ""), email) if email else None


def give_up(cell: str, message_id: str, state: str, reason: str, now: datetime) -> str:
    """The Sent log ``cell`` with one entry settled as ``failed``/``suppressed``,
    so an email that can never be built stops being owed (and is reported)."""
    note = "_".join(compose.clean_header(reason, 80).split())
    return sentlog.render(sentlog.with_state(sentlog.parse(cell), message_id, state, now, note))
