"""Sending what the Sent log says we owe, exactly once.

The sheet's Sent log lists every email with a deterministic Message-ID, written
as ``pending`` in the same write that creates the case.  Each cycle, after that
write, ``deliver``:

1. asks the outbox (and the local ledger, a cache) which pending ids already
   went out (a crash between sending and recording): those are marked sent
   without sending again;
2. sends the rest over one outbox connection;
3. returns the new Sent log cells, which the cycle writes in its second write.

An email the server refuses permanently (5xx) is marked ``failed`` with the
reason and not retried; a temporary failure (4xx, server down) stays
``pending`` and is tried again next cycle.  Mail recorded outside a case's
Sent log (the weekly review, recorded on the Metrics tab) goes through the
same checks; only its Sent log cell is skipped.

This module sends; it imports ``compose`` (forward), never ``contexts``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from automation.errors import OutboxError
from automation.outgoing import compose
from automation.outgoing.compose import Outgoing
from automation.ports import Outbox, SendResult
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog

__all__ = ["MailResult", "Outgoing", "deliver", "give_up", "pending"]


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
    logs = {
        o.case_id: sentlog.parse(cases[o.case_id].get(columns.SENT_LOG, ""))
        for o in owed
        if o.case_id in cases
    }
    if not owed:
        return result
    ids = [o.entry.message_id for o in owed]
    maybe_out = [i for i in ids if i not in fresh]
    try:
        gone = (set(outbox.already_sent(maybe_out)) if maybe_out else set()) | (ledger & set(ids))
    except OutboxError as exc:
        result.problems.append(f"outbox: cannot check what was already sent ({exc}); holding")
        result.counts.update(f"{o.label} held" for o in owed)
        result.unreachable = True
        return result
    to_send = []
    for o in owed:
        if o.entry.message_id in gone:
            _settle(logs, o, sentlog.SENT, now, "found-already-sent")
            result.counts[f"{o.label} already out"] += 1
        else:
            to_send.append(o)
    if to_send:
        _send(to_send, outbox, logs, result, now)
    for case_id, entries in logs.items():
        cell = sentlog.render(entries)
        if cell != cases[case_id].get(columns.SENT_LOG, ""):
            result.sent_log[case_id] = cell
    return result


def _send(
    to_send: list[Outgoing],
    outbox: Outbox,
    logs: dict[str, list[sentlog.Entry]],
    result: MailResult,
    now: datetime,
) -> None:
    """One ``outbox.send`` for all of ``to_send``; each outcome into ``logs``."""
    try:
        outcomes: list[SendResult] = outbox.send([o.email for o in to_send])
    except OutboxError as exc:
        result.problems.append(f"outbox: {exc}; {len(to_send)} email(s) held for next cycle")
        result.counts.update(f"{o.label} held" for o in to_send)
        result.unreachable = True
        return
    by_id = {r.message_id.strip("<>"): r for r in outcomes}
    for o in to_send:
        outcome = by_id.get(o.entry.message_id)
        if outcome is None:
            continue
        if outcome.ok:
            _settle(logs, o, sentlog.SENT, now, "")
            result.counts[f"{o.label} sent"] += 1
            result.sent_ids.append(o.entry.message_id)
        elif outcome.permanent:
            note = compose.clean_header(outcome.detail, 200)
            _settle(logs, o, sentlog.FAILED, now, note)
            result.counts[f"{o.label} refused"] += 1
            result.problems.append(f"{o.case_id}: {o.entry.event} refused: {note}")
        else:
            result.counts[f"{o.label} held"] += 1


def _settle(
    logs: dict[str, list[sentlog.Entry]], o: Outgoing, state: str, now: datetime, note: str
) -> None:
    if o.case_id in logs:
        logs[o.case_id] = sentlog.with_state(
            logs[o.case_id], o.entry.message_id, state, now, note.replace(" ", "_")[:80]
        )


def give_up(cell: str, message_id: str, state: str, reason: str, now: datetime) -> str:
    """The Sent log ``cell`` with one entry settled as ``failed``/``suppressed``,
    so an email that can never be built stops being owed (and is reported)."""
    note = "_".join(compose.clean_header(reason, 80).split())
    return sentlog.render(sentlog.with_state(sentlog.parse(cell), message_id, state, now, note))
