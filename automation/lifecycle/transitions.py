"""One case, one cycle: the team's edits and the clocks -> emails owed + poller cells.

Contract: ``advance`` is pure (``now`` is passed in) and idempotent: run it
again on the row it produced and it owes nothing new.  Every transition is
judged against the row's "Seen" cell (``automation.lifecycle.seen``), never
against local state, and each owed email names a deterministic *source*, so
the same transition found again after a crash yields the same Message-ID
(and the mailer's "already sent?" check stops a second copy).

What it recognises, in this order: a row it never stamped (a baseline, no
email); a new case (notices to assignee, backup, the priority's managers,
tier 3 when Critical); a priority change; a new Assignee (handoff to the
customer, notice to the new assignee); new text in "Message to customer"
(progress update); Status changes (Waiting pauses the clock, Resolved sends
the resolution); a customer reply (resumes a paused clock, reopens a resolved
case); the N-day auto-close; then the clocks (warnings, breaches and
escalation, update reminders).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from automation.lifecycle import events as ev
from automation.lifecycle import people
from automation.lifecycle.clock import Clock, clock_for, due, share_point
from automation.lifecycle.seen import Seen, parse, render
from automation.model import Priority
from automation.sheet import layout as col
from automation.sheet.cells import cell_int, cell_time, effective_assignee, effective_priority
from automation.tables.owner_tables import Member, Tables

WAITING, RESOLVED, CLOSED = "waiting on customer", "resolved", "closed"


@dataclass(frozen=True)
class Policy:
    close_after: timedelta = timedelta(days=7)
    warn_share: float = 0.75
    still_on_it: bool = True


@dataclass(frozen=True)
class Owed:
    """An email this cycle owes: Sent log event token + the source of its id."""

    event: str
    source: str


@dataclass(frozen=True)
class Plan:
    seen: Seen
    cells: Mapping[str, str]  # poller-owned columns only
    owed: tuple[Owed, ...]
    counts: tuple[str, ...]  # what happened, for the cycle report


@dataclass
class _Work:
    """The mutable scratchpad of one ``advance`` call (never escapes it)."""

    values: Mapping[str, str]
    seen: Seen
    tables: Tables
    now: datetime
    prior: Sequence[str]  # event tokens already in the Sent log
    owed: list[Owed]
    counts: list[str]
    customer: bool

    def owe(self, event: str, source: str) -> None:
        if any(o.event == event and o.source == source for o in self.owed):
            return
        self.owed.append(Owed(event, source))

    def ordinal(self, kind: str) -> int:
        return sum(1 for e in self.prior if ev.split(e)[0] == kind)

    def tell(self, kind: str, person: Member | None, source: str) -> None:
        if person is not None and person.email:
            self.owe(ev.internal(kind, person), source)

    def customer_email(self, kind: str, source: str) -> None:
        if self.customer:
            self.owe(kind, source)


def advance(
    values: Mapping[str, str],
    prior_events: Sequence[str],
    is_new: bool,
    now: datetime,
    tables: Tables,
    policy: Policy,
    cadences: Mapping[Priority, timedelta],
    fmt: Callable[[datetime], str],
) -> Plan:
    """See the module docstring.  ``prior_events`` are the Sent log's event tokens."""
    seen = parse(values.get(col.SEEN, ""))
    status = values.get(col.STATUS, "").strip().casefold()
    assignee = effective_assignee(values)
    priority = effective_priority(values)
    msgs = cell_int(values.get(col.MESSAGES, ""))
    text, formula = _message_cell(values)
    w = _Work(
        values,
        seen,
        tables,
        now,
        prior_events,
        [],
        [],
        bool(values.get(col.CUSTOMER_EMAIL, "").strip()),
    )
    if not seen.known and not is_new:
        # A row from before the lifecycle: what was sent for it is unknown, so
        # its current cells become the baseline and nothing is sent.
        w.seen = Seen(
            known=True,
            status=status,
            assignee=assignee,
            priority=priority.label,
            msg=ev.digest(text) if text else "",
            msgs=msgs,
        )
        w.counts.append("case baselined")
    elif not seen.known:
        w.seen = Seen(
            known=True, status=status, assignee=assignee, priority=priority.label, msgs=msgs
        )
        _new_case(w, assignee, priority)
    else:
        _team_edits(w, status, assignee, priority, text, values, policy)
        _replies(w, msgs, values)
        _auto_close(w, status, policy)
    clock = clock_for(priority, tables, cadences)
    cells = _clocks(w, clock, assignee, values, policy, fmt) if _open(w.seen, status) else {}
    out = dict(cells)
    out[col.CASE_STATE] = _state_text(w.seen, status, policy, fmt)
    out[col.SEEN] = render(w.seen)
    if w.seen.msg and w.seen.msg != seen.msg:
        out[col.MESSAGE_SENT] = f"sent {fmt(now)}: {col.cap_cell(text, 80)}"
    if formula:
        out[col.MESSAGE_SENT] = _not_sent(formula)
    return Plan(w.seen, out, tuple(w.owed), tuple(w.counts))


def _message_cell(values: Mapping[str, str]) -> tuple[str, str]:
    """(the text to email, the formula if the cell holds one).  Cells are read as
    typed, so a formula arrives as "=...": never emailed, because what it
    computes can pull in any cell (the Internal notes) (issue 11)."""
    text = values.get(col.MESSAGE_TO_CUSTOMER, "").strip()
    formula = text[:80] if text.startswith("=") else ""
    return ("" if formula else text), formula


def _not_sent(formula: str) -> str:
    return (
        f"NOT SENT: Message to customer holds a formula ({formula}); sheetdesk never "
        "emails what a formula computes: type the message itself"
    )


def _open(seen: Seen, status: str) -> bool:
    return seen.resolved_at is None and seen.closed_at is None and status not in (RESOLVED, CLOSED)


def _new_case(w: _Work, assignee: str, priority: Priority) -> None:
    person = w.tables.member(assignee)
    w.tell("notice", person, f"assigned:{assignee}")
    if person is not None and person.backup:
        w.tell("notice", w.tables.member(person.backup), f"backup:{assignee}")
    for manager in people.members(w.tables, clock_for(priority, w.tables).managers):
        w.tell("notice", manager, f"manager:{priority.label}")
    if priority is Priority.CRITICAL:
        _critical(w)


def _critical(w: _Work) -> None:
    """Tier 3 hears about every Critical case at once, whoever has it."""
    if w.seen.has("critical"):
        return
    for person in people.tier_three(w.tables):
        w.tell("alert", person, "critical")
    w.seen = w.seen.flag("critical")


def _team_edits(
    w: _Work,
    status: str,
    assignee: str,
    priority: Priority,
    text: str,
    values: Mapping[str, str],
    policy: Policy,
) -> None:
    s, now = w.seen, w.now
    if priority.label != s.priority:
        w.counts.append("priority changed")
        s = replace(s, priority=priority.label)
        w.seen = s
        if priority is Priority.CRITICAL:
            _critical(w)
            s = w.seen
    if assignee and assignee.casefold() != s.assignee.casefold():
        number = w.ordinal("handoff")
        w.customer_email("handoff", f"{number}:{assignee}")
        w.tell("notice", w.tables.member(assignee), f"handoff{number}:{assignee}")
        s = replace(s, assignee=assignee, first_at=s.first_at or now, last_update=now)
        w.counts.append("handoff")
    digest = ev.digest(text) if text else ""
    if digest != s.msg:
        if text and w.customer:
            w.owe("update", f"{w.ordinal('update')}:{digest}")
            s = replace(s, first_at=s.first_at or now, last_update=now)
            w.counts.append("progress update")
        s = replace(s, msg=digest)
    if status != s.status:
        s = _status_change(w, s, status, values)
    w.seen = s


def _status_change(w: _Work, s: Seen, status: str, values: Mapping[str, str]) -> Seen:
    now = w.now
    if s.pause_from is not None and status != WAITING:
        s = _end_pause(w, s, now)
    if status == RESOLVED:
        if not values.get(col.RESOLUTION, "").strip():
            return s  # held: the resolution email needs the summary (Case state says so)
        w.customer_email("resolution", str(w.ordinal("resolution")))
        w.counts.append("resolved")
        s = replace(
            s,
            resolved_at=now,
            resolved_msgs=cell_int(values.get(col.MESSAGES, "")),
            resolutions=s.resolutions + 1,
            first_at=s.first_at or now,
            last_update=now,
            closed_at=None,
        )
    elif status == CLOSED:
        s = replace(s, closed_at=s.closed_at or now)
    else:
        if s.resolved_at is not None or s.closed_at is not None:
            s = replace(s, reopens=s.reopens + (0 if s.has("reopened") else 1))
            w.counts.append("reopened")
        s = replace(s, resolved_at=None, closed_at=None)
        if status == WAITING:
            s = replace(s, pause_from=now)
    return replace(s, status=status).unflag("reopened", "resumed")


def _end_pause(w: _Work, s: Seen, until: datetime) -> Seen:
    assert s.pause_from is not None
    clock = clock_for(effective_priority(w.values), w.tables)
    counted = clock.counted_between(s.pause_from, max(until, s.pause_from))
    # The customer has answered: the next update is owed a full cadence from now.
    last = max(s.last_update, until) if s.last_update is not None else None
    return replace(
        s, pause_from=None, paused=s.paused + int(counted.total_seconds()), last_update=last
    )


def _replies(w: _Work, msgs: int, values: Mapping[str, str]) -> None:
    s = w.seen
    if msgs <= s.msgs:
        return
    if s.pause_from is not None:
        # The pause ends when the poller sees the reply, not at the reply's Date
        # header (a customer's clock may be wrong; mail may sit in a queue).
        s = _end_pause(w, s, w.now).flag("resumed")
        w.counts.append("clock resumed")
    if s.resolved_at is not None or (s.closed_at is not None and s.status == RESOLVED):
        s = replace(
            s,
            resolved_at=None,
            closed_at=None,
            reopens=s.reopens + 1,
            flags=s.flags - {"warning-resolution", "breach-resolution"},
        )
        s = s.flag("reopened")
        w.counts.append("reopened")
    w.seen = replace(s, msgs=msgs)


def _auto_close(w: _Work, status: str, policy: Policy) -> None:
    s = w.seen
    if s.resolved_at is None or s.closed_at is not None or status != RESOLVED:
        return
    if w.now >= s.resolved_at + policy.close_after:
        w.customer_email("closing", s.resolved_at.isoformat())
        w.seen = replace(s, closed_at=w.now).flag("auto-closed")
        w.counts.append("closed")


def _clocks(
    w: _Work,
    clock: Clock,
    assignee: str,
    values: Mapping[str, str],
    policy: Policy,
    fmt: Callable[[datetime], str],
) -> dict[str, str]:
    s, now = w.seen, w.now
    opened = cell_time(values.get(col.OPENED, "")) or now
    paused = timedelta(seconds=s.paused)
    running = s.pause_from is None
    if s.pause_from is not None:
        paused += clock.counted_between(s.pause_from, now)
    person = w.tables.member(assignee)
    backup = w.tables.member(person.backup) if person and person.backup else None
    cells: dict[str, str] = {}
    lines: list[str] = []
    for kind, target, column, met in (
        ("first", clock.first_response, col.FIRST_RESPONSE_DUE, s.first_at is not None),
        ("resolution", clock.resolution, col.RESOLUTION_DUE, False),
    ):
        at = due(clock, opened, target, paused)
        cells[column] = "met" if met else fmt(at) + ("" if running else " (paused)")
        if met or not running:
            continue
        warn_at = share_point(clock, opened, target, paused, policy.warn_share)
        if now >= warn_at and not s.has(f"warning-{kind}"):
            # A warning is worth sending only before the deadline it names; past
            # it, the escalation below says so instead (and the flag keeps a late
            # cycle from warning about a deadline already gone).
            if now < at:
                w.tell(f"warning-{kind}", person, f"{kind}:{at.isoformat()}")
                w.tell(f"warning-{kind}", backup, f"{kind}:{at.isoformat()}")
                w.counts.append("warning")
            s = s.flag(f"warning-{kind}")
        if now >= at and not s.has(f"breach-{kind}"):
            s, line = _escalate(w, s, kind, at, person, clock, fmt)
            s = s.flag(f"breach-{kind}", f"warning-{kind}")
            lines.append(line)
    old = values.get(col.ESCALATION, "").strip()
    cells[col.ESCALATION] = "\n".join([old, *lines] if old else lines)
    if s.first_at is not None and s.last_update is not None:
        update_due = clock.add(s.last_update, clock.update_every)
        cells[col.NEXT_UPDATE_DUE] = fmt(update_due) + ("" if running else " (paused)")
        mark = f"remind@{update_due:%Y%m%dT%H%M}"
        if running and now >= update_due and not s.has(mark):
            w.tell("reminder", person, update_due.isoformat())
            s = s.flag(mark)
            if policy.still_on_it:
                w.customer_email("still-on-it", update_due.isoformat())
                s = replace(s, last_update=now)
                cells[col.NEXT_UPDATE_DUE] = fmt(clock.add(now, clock.update_every))
            w.counts.append("update reminder")
    else:
        cells[col.NEXT_UPDATE_DUE] = "after the first response"
    w.seen = s
    return cells


def _escalate(
    w: _Work,
    s: Seen,
    kind: str,
    at: datetime,
    person: Member | None,
    clock: Clock,
    fmt: Callable[[datetime], str],
) -> tuple[Seen, str]:
    """Breach of ``kind`` due ``at``: one step up the ladder, managers told."""
    holder = w.tables.member(s.holder) or person
    involved = {n.casefold() for n in (s.holder, effective_assignee(w.values)) if n}
    step = people.next_step(w.tables, w.values.get(col.ROLE, ""), holder, involved, w.now)
    w.counts.append("escalated")
    source = f"{kind}:{at.isoformat()}"
    for manager in people.members(w.tables, clock.managers):
        w.tell(f"escalated-{kind}", manager, source)
    label = "first response" if kind == "first" else "resolution"
    head = f"{fmt(w.now)}: {label} due {fmt(at)} missed"
    if step is None:
        return (
            replace(s, escalations=s.escalations + 1, holder=s.holder or "(nobody)"),
            f"{head}; nobody above to escalate to (managers told)",
        )
    w.tell(f"escalated-{kind}", step.person, source)
    return (
        replace(s, holder=step.person.name, escalations=s.escalations + 1),
        f"{head} -> {step.person.name} ({step.how})",
    )


def _state_text(s: Seen, status: str, policy: Policy, fmt: Callable[[datetime], str]) -> str:
    if s.closed_at is not None:
        how = (
            f" by sheetdesk: no reply {policy.close_after.days} days after resolution"
            if s.has("auto-closed")
            else ""
        )
        return f"Closed {fmt(s.closed_at)}{how}"
    if s.resolved_at is not None:
        return (
            f"Resolved {fmt(s.resolved_at)}; awaiting the customer's confirmation; closes "
            f"{fmt(s.resolved_at + policy.close_after)} if there is no reply"
        )
    if s.has("reopened"):
        return "REOPENED: the customer replied after the resolution; please set Status"
    if status == RESOLVED:
        return "Resolved, but the Resolution summary is empty: write it and the email goes out"
    if s.pause_from is not None:
        return f"Waiting on customer since {fmt(s.pause_from)}: response clock paused"
    if s.has("resumed"):
        return "The customer replied: response clock running again; please set Status"
    return f"Open; escalated to {s.holder}" if s.holder else "Open"
