"""What a cycle does to cases that already exist, beyond bookkeeping.

* ``redecide``: a reply is judged again on its own new text;
* ``assign_waiting``: queued cases go to whoever has room now.

Both change poller-owned cells only and are pure (no I/O, ``now`` passed in).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from automation.model import CaseRow, Message, Priority, frozen_map
from automation.sheet import layout as columns
from automation.sheet.cells import effective_assignee, effective_priority

if TYPE_CHECKING:
    from automation.cycle.intake import Intake


def redecide(
    intake: Intake, case_id: str, row: dict[str, str], message: Message, now: datetime
) -> dict[str, str]:
    """A reply is judged again on its own new text: new triggers are added,
    the automatic priority only rises (safe default), and a change of role
    re-routes.  The team's own cells are left alone; when the reply would
    raise the priority above the team's, the note asks a person to confirm."""
    decision = intake.decider.decide(message, CaseRow(case_id, frozen_map(row)), now)
    change: dict[str, str] = {}
    old = [t.strip() for t in row.get("Triggers", "").split(",") if t.strip()]
    merged = list(dict.fromkeys([*old, *decision.triggers]))
    if merged != old:
        change["Triggers"] = ", ".join(merged)
    try:
        auto = Priority.parse(row.get("Priority (auto)", ""))
    except ValueError:
        auto = Priority.HIGH
    if decision.priority > auto:
        change["Priority (auto)"] = decision.priority.label
        try:
            team = Priority.parse(row.get(columns.PRIORITY, ""))
        except ValueError:
            team = auto
        if decision.priority > team:
            change["Poller note"] = (
                f"{intake.settings.fmt_time(now)}: the customer's reply reads as "
                f"{decision.priority.label} ({', '.join(decision.triggers) or 'signals'}); "
                f"Priority says {team.label}: change it if you agree"
            )
            intake.counts["priority raised by reply"] += 1
    role = row.get("Role", "")
    if decision.role and decision.role != role and decision.assignee:
        change["Role"] = decision.role
        change["Routed to"] = decision.assignee
        intake.decider.assigned(decision.assignee)
    why = f"Reply {intake.settings.fmt_time(message.date or now)}: {decision.why}"
    change["Why"] = columns.cap_cell(f"{row.get('Why', '')}\n{why}".strip())
    return change


def assign_waiting(intake: Intake, now: datetime) -> None:
    """Give queued cases (open, nobody assigned) to whoever has room now.

    The queue is served in priority order, Critical first, then oldest
    first; a case stays queued (and says so) while everyone qualified is
    still at their cap.  Only poller cells change: Routed to, Backup, Why.
    """
    waiting = [
        (cid, row)
        for cid, row in intake.cases.items()
        if cid not in intake.creates
        and not effective_assignee(row)
        and row.get(columns.STATUS, "").strip().casefold() not in ("resolved", "closed")
    ]

    def order(item: tuple[str, dict[str, str]]) -> tuple[int, str]:
        return -effective_priority(item[1]), item[1].get("Opened", "")

    for case_id, row in sorted(waiting, key=order):
        decision = intake.decider.assign_waiting(CaseRow(case_id, frozen_map(row)), now)
        if not decision.assignee:
            continue
        intake.decider.assigned(decision.assignee)
        change = {
            "Routed to": decision.assignee,
            "Backup": decision.backup or "",
            "Why": columns.cap_cell(
                f"{row.get('Why', '')}\nFrom the queue "
                f"{intake.settings.fmt_time(now)}: {decision.why}".strip()
            ),
        }
        row.update(change)
        intake.updates.setdefault(case_id, {}).update(change)
        intake.counts["assigned from queue"] += 1
