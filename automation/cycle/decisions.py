"""Binding the pure decision core to one cycle's tables and team load.

``DecisionSource.for_cycle`` parses the owner-edited tabs of the snapshot.
When a tab has problems, the last valid tables stay in use (never half-parsed
ones) and the problems are returned, each naming ``Tab!Cell``.  The last valid
tabs are also cached in the state directory, so a fresh ``poll --once`` process
keeps them too; without any valid tables the safe defaults apply (priority
High, unassigned).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from automation.decide.core import assign_queued, decide
from automation.decide.load import TeamLoad, team_load_from_cases
from automation.model import CaseRow, Decision, Message
from automation.ports import Grid, Snapshot
from automation.tables.owner_tables import DEFAULT_TABLES, Tables
from automation.tables.parse_tabs import parse_tables
from automation.tables.schema import TEAM

log = logging.getLogger("sheetdesk.decisions")


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


def _grids(data: object) -> dict[str, Grid]:
    if not isinstance(data, dict):
        return {}
    out: dict[str, Grid] = {}
    for title, rows in data.items():
        if isinstance(title, str) and isinstance(rows, list):
            out[title] = tuple(tuple(str(c) for c in row) for row in rows if isinstance(row, list))
    return out


class DecisionSource:
    """Keeps the last valid tables across cycles (and, via ``cache``, processes)."""

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache
        self.last_good: Tables | None = None
        if cache is not None:
            try:
                tabs = _grids(json.loads(cache.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                tabs = {}
            if tabs:
                tables, problems = parse_tables(tabs)
                self.last_good = None if problems else tables

    def _remember(self, tabs: Mapping[str, Grid]) -> None:
        if self.cache is None:
            return
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache.parent, prefix=".tables.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({k: [list(r) for r in v] for k, v in tabs.items()}, fh)
            os.replace(tmp, self.cache)
        except OSError as exc:  # only a cache: the sheet stays the record
            log.warning("could not cache the routing tables: %s", exc.strerror)

    def for_cycle(self, snapshot: Snapshot, now: datetime) -> tuple[CoreDecider, list[str]]:
        problems: list[str] = []
        if TEAM not in snapshot.tabs:
            tables = self.last_good or DEFAULT_TABLES
        else:
            parsed, problems = parse_tables(snapshot.tabs)
            if problems:
                tables = self.last_good or DEFAULT_TABLES
                kept = "the last valid tables" if self.last_good else "the safe defaults"
                problems = [*problems, f"routing tabs have problems: using {kept} until fixed"]
            else:
                tables = parsed
                if tables != self.last_good:
                    self._remember(snapshot.tabs)
                self.last_good = tables
        return CoreDecider(tables, team_load_from_cases(list(snapshot.cases))), problems
