"""What a cycle does to cases that already exist, beyond bookkeeping.

* ``redecide``: a reply is judged again on its own new text;
* ``assign_waiting``: queued cases go to whoever has room now.

Both are pure (no I/O, ``now`` passed in) and return the poller-owned cells
they would change with the counts to report; the caller merges them into its
working copy.  The only state they touch is the decider's team load, through
``Decider.assigned``, so one batch respects caps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from automation.model import CaseRow, Decision, Message, Priority, frozen_map
from automation.sheet import layout as columns
from automation.sheet.cells import effective_assignee, effective_priority
from automation.tables.owner_tables import Tables


class Decider(Protocol):
    """The decision core as the cycle sees it (load and tables already bound)."""

    @property
    def tables(self) -> Tables:
        """The owner tables this cycle decides with (the last valid ones)."""
        ...

    def decide(self, message: Message, history: CaseRow | None, now: datetime) -> Decision: ...

    def assigned(self, person: str) -> None:
        """Count a case just routed to ``person`` towards their load this cycle."""
        ...

    def assign_waiting(self, case: CaseRow, now: datetime) -> Decision:
        """Routing again for a case that waits in the queue (nobody had room)."""
        ...


@dataclass(frozen=True)
class Followup:
    """Cells to change per case ID, and what to count."""

    changes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


def redecide(
    decider: Decider,
    fmt: Callable[[datetime], str],
    case: CaseRow,
    message: Message,
    now: datetime,
) -> Followup:
    """A reply is judged again on its own new text: new triggers are added,
    the automatic priority only rises (safe default), and a change of role
    re-routes.  The team's own cells are left alone; when the reply would
    raise the priority above the team's, the note asks a person to confirm."""
    row = case.values
    decision = decider.decide(message, case, now)
    change: dict[str, str] = {}
    counts: Counter[str] = Counter()
    old = [t.strip() for t in row.get(columns.TRIGGERS_FOUND, "").split(",") if t.strip()]
    merged = list(dict.fromkeys([*old, *decision.triggers]))
    if merged != old:
        change[columns.TRIGGERS_FOUND] = ", ".join(merged)
    auto = _priority(row.get(columns.PRIORITY_AUTO, ""), Priority.HIGH)
    if decision.priority > auto:
        change[columns.PRIORITY_AUTO] = decision.priority.label
        team = _priority(row.get(columns.PRIORITY, ""), auto)
        if decision.priority > team:
            change[columns.POLLER_NOTE] = (
                f"{fmt(now)}: the customer's reply reads as "
                f"{decision.priority.label} ({', '.join(decision.triggers) or 'signals'}); "
                f"Priority says {team.label}: change it if you agree"
            )
            counts["priority raised by reply"] += 1
    if decision.role and decision.role != row.get(columns.ROLE, "") and decision.assignee:
        change[columns.ROLE] = decision.role
        change[columns.ROUTED_TO] = decision.assignee
        decider.assigned(decision.assignee)
    why = f"Reply {fmt(message.date or now)}: {decision.why}"
    change[columns.WHY] = columns.cap_cell(f"{row.get(columns.WHY, '')}\n{why}".strip())
    return Followup({case.case_id: change}, counts)


def _priority(text: str, default: Priority) -> Priority:
    try:
        return Priority.parse(text)
    except ValueError:
        return default


def assign_waiting(
    decider: Decider,
    fmt: Callable[[datetime], str],
    cases: Mapping[str, Mapping[str, str]],
    created: Collection[str],
    now: datetime,
) -> Followup:
    """Give queued cases (open, nobody assigned, not created this cycle) to
    whoever has room now.

    The queue is served in priority order, Critical first, then oldest
    first; a case stays queued (and says so) while everyone qualified is
    still at their cap.  Only poller cells change: Routed to, Backup, Why.
    """
    waiting = [
        (cid, row)
        for cid, row in cases.items()
        if cid not in created
        and not effective_assignee(row)
        and row.get(columns.STATUS, "").strip().casefold() not in ("resolved", "closed")
    ]

    def order(item: tuple[str, Mapping[str, str]]) -> tuple[int, str]:
        return -effective_priority(item[1]), item[1].get(columns.OPENED, "")

    changes: dict[str, dict[str, str]] = {}
    for case_id, row in sorted(waiting, key=order):
        decision = decider.assign_waiting(CaseRow(case_id, frozen_map(row)), now)
        if not decision.assignee:
            continue
        decider.assigned(decision.assignee)
        changes[case_id] = {
            columns.ROUTED_TO: decision.assignee,
            columns.BACKUP: decision.backup or "",
            columns.WHY: columns.cap_cell(
                f"{row.get(columns.WHY, '')}\nFrom the queue {fmt(now)}: {decision.why}".strip()
            ),
        }
    counts: Counter[str] = Counter()
    counts["assigned from queue"] += len(changes)
    return Followup(changes, +counts)
