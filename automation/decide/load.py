"""Team load: open cases per person and the round-robin rotation, both derived
from the Cases tab itself so reassignments made in the sheet count and a
restart loses nothing (there is no local state to lose)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from automation.model import CaseRow
from automation.sheet import cells
from automation.sheet import layout as col

CLOSED_STATUSES = frozenset({"resolved", "closed"})


def _frozen(data: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(data))


def effective_assignee(case: CaseRow) -> str:
    """The team's Assignee if someone typed one, else whom the poller routed to."""
    return cells.effective_assignee(case.values)


def is_open(case: CaseRow) -> bool:
    return case.get(col.STATUS).strip().casefold() not in CLOSED_STATUSES


@dataclass(frozen=True)
class TeamLoad:
    """``open`` counts open cases per person (case-folded name).  ``turns`` maps
    role -> person -> sequence number of that person's latest case in the role;
    the round robin picks whoever has the oldest turn (never = -1)."""

    open: Mapping[str, int] = field(default_factory=lambda: _frozen({}))
    turns: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: MappingProxyType({}))
    sequence: int = 0

    def open_for(self, person: str) -> int:
        return self.open.get(person.casefold(), 0)

    def turn(self, role: str, person: str) -> int:
        return self.turns.get(role, {}).get(person.casefold(), -1)

    def with_assignment(self, person: str, role: str) -> TeamLoad:
        """The load after one more open case for ``person`` in ``role``: what a
        cycle passes to the next ``decide`` call so one batch spreads fairly."""
        key = person.casefold()
        opened = dict(self.open)
        opened[key] = opened.get(key, 0) + 1
        turns = {r: dict(m) for r, m in self.turns.items()}
        turns.setdefault(role, {})[key] = self.sequence
        return TeamLoad(
            _frozen(opened),
            MappingProxyType({r: _frozen(m) for r, m in turns.items()}),
            self.sequence + 1,
        )


def team_load_from_cases(cases: Sequence[CaseRow]) -> TeamLoad:
    """Open counts and rotation from the Cases tab, in the order the rows were
    opened ("Opened" column, then case ID: stable whatever the sheet's sort)."""
    ordered = sorted(cases, key=lambda c: (c.get(col.OPENED), c.case_id))
    load = TeamLoad()
    opened: dict[str, int] = {}
    turns: dict[str, dict[str, int]] = {}
    for number, case in enumerate(ordered):
        person = effective_assignee(case)
        if not person:
            continue
        key = person.casefold()
        role = case.get(col.ROLE).strip().casefold()
        if role:
            turns.setdefault(role, {})[key] = number
        if is_open(case):
            opened[key] = opened.get(key, 0) + 1
    return TeamLoad(
        _frozen(opened),
        MappingProxyType({r: _frozen(m) for r, m in turns.items()}),
        len(ordered) if ordered else load.sequence,
    )
