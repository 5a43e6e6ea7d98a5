"""Priority: the guide's decision tree, expressed as owner-editable floors.

Each Priorities-tab rule says "when X is found, priority is at least P".  The
result is the highest floor that applies (conflicting findings resolve to the
more urgent one: the guide's uncertainty default).  Nothing found means the case
can wait: the tables' default (Low once an owner has set up tabs).  A person's
value in the case's team-owned Priority column beats all of this, for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from automation.decide.triggers import Findings
from automation.model import CaseRow, Priority
from automation.sheet import layout as col
from automation.tables.owner_tables import Tables

_BRANCH = {
    Priority.CRITICAL: "operations stopped, security, legal or a major client at stake -> Critical",
    Priority.HIGH: "time-sensitive or no workaround -> High",
    Priority.LOW: "can wait -> Low",
}


@dataclass(frozen=True)
class PriorityResult:
    priority: Priority
    why: str
    set_by_person: bool = False


def person_priority(case: CaseRow | None) -> Priority | None:
    """The priority a person typed into the case's team-owned Priority column.

    The poller writes that column once, equal to "Priority (auto)"; a value that
    differs from "Priority (auto)" can only have come from a person."""
    if case is None:
        return None
    typed = case.get(col.PRIORITY).strip()
    if not typed or typed.casefold() == case.get(col.PRIORITY_AUTO).strip().casefold():
        return None
    try:
        return Priority.parse(typed)
    except ValueError:
        return None  # unreadable: ignore it rather than guess


def decide_priority(findings: Findings, tables: Tables, case: CaseRow | None) -> PriorityResult:
    """Priority for this message: a person's setting, else the highest floor."""
    typed = person_priority(case)
    if typed is not None:
        return PriorityResult(typed, f"{typed.label}: set by a person in the sheet (kept)", True)
    best = tables.default_priority
    reasons: list[str] = []
    for rule in tables.floors:
        if findings.has(rule.subject) and rule.floor >= best:
            if rule.floor > best:
                reasons = []
            best = rule.floor
            reasons.append(rule.subject)
    if not reasons:
        if best is Priority.LOW:
            return PriorityResult(best, f"decision tree: nothing pressing found, {_BRANCH[best]}")
        return PriorityResult(best, f"{best.label}: safe default while the tables are not set up")
    because = ", ".join(dict.fromkeys(reasons))
    return PriorityResult(best, f"decision tree: {because} ({_BRANCH[best]})")
