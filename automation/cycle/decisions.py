"""Binding the pure decision core to one cycle's tables and team load.

``DecisionSource.for_cycle`` parses the owner-edited tabs of the snapshot.
When a tab has problems, the last valid tables stay in use (never half-parsed
ones) and the problems are returned, each naming ``Tab!Cell``.  The last valid
tabs are also cached in the ``StateDir``, so a fresh ``poll --once`` process
keeps them too; without any valid tables the safe defaults apply (priority
High, unassigned).
"""

from __future__ import annotations

from datetime import datetime

from automation.decide.core import assign_queued, decide
from automation.decide.load import TeamLoad, team_load_from_cases
from automation.model import CaseRow, Decision, Message
from automation.ports import Snapshot, StateDir
from automation.state import last_tables, save_tables
from automation.tables.owner_tables import DEFAULT_TABLES, Tables
from automation.tables.parse_tabs import parse_tables
from automation.tables.schema import TEAM
from automation.tables.tab_titles import find_owner_tabs


class CoreDecider:
    """``decide`` with this cycle's tables, and a team load that grows as the
    cycle assigns cases (so one batch respects caps and rotates fairly)."""

    def __init__(self, tables: Tables, load: TeamLoad) -> None:
        self.tables = tables
        self.load = load
        self._last_role = ""

    def decide(self, message: Message, history: CaseRow | None, now: datetime) -> Decision:
        decision = decide(message, history, self.tables, self.load, now)
        self._last_role = decision.role
        return decision

    def assigned(self, person: str) -> None:
        self.load = self.load.with_assignment(person, self._last_role)

    def assign_waiting(self, case: CaseRow, now: datetime) -> Decision:
        decision = assign_queued(case, self.tables, self.load, now)
        self._last_role = decision.role
        return decision


class DecisionSource:
    """Keeps the last valid tables across cycles (and, via ``state``, processes)."""

    def __init__(self, state: StateDir | None = None) -> None:
        self.state = state
        self.last_good: Tables | None = None
        self.last_titles: frozenset[str] = frozenset()  # the tabs the last valid tables had
        tabs = last_tables(state) if state is not None else {}
        if tabs:
            tables, problems = parse_tables(tabs)
            self.last_good = None if problems else tables
            self.last_titles = frozenset(tabs) if not problems else frozenset()

    def for_cycle(self, snapshot: Snapshot, now: datetime) -> tuple[CoreDecider, list[str]]:
        tabs, problems = find_owner_tabs(snapshot.tabs, self.last_titles)
        if problems or TEAM not in tabs:
            tables = self.last_good or DEFAULT_TABLES
            if problems:
                kept = "the last valid tables" if self.last_good else "the safe defaults"
                problems.append(f"owner tabs missing: using {kept} until fixed")
        else:
            parsed, problems = parse_tables(tabs)
            if problems:
                tables = self.last_good or DEFAULT_TABLES
                kept = "the last valid tables" if self.last_good else "the safe defaults"
                problems = [*problems, f"routing tabs have problems: using {kept} until fixed"]
            else:
                tables = parsed
                if tables != self.last_good and self.state is not None:
                    save_tables(self.state, tabs)
                self.last_good = tables
                self.last_titles = frozenset(tabs)
        return CoreDecider(tables, team_load_from_cases(list(snapshot.cases))), problems
