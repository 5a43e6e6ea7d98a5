"""Issue 11, findings 10 and 12: owner tabs are found robustly, and a renamed one is a problem.

Before: renaming Team to "Staff" made ``check`` say ok while the cached (or,
without a cache, the default: everyone unassigned) tables were used; renaming
Accounts silently stopped key-account routing.  A formula typed in an owner
tab was reported as "not a whole number".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.cycle.decisions import DecisionSource
from automation.ports import Snapshot
from automation.state import FileStateDir
from automation.tables.parse_tabs import parse_tables
from tests.support.decide_builders import TEAM_HEADER, TEAM_ROWS, base_tabs

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _renamed(old: str, new: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    tabs = base_tabs()
    tabs[new] = tabs.pop(old)
    return tabs


@pytest.mark.parametrize("title", ["team", " Team ", "TEAM", "Response  times"])
def test_titles_match_after_trimming_and_case(title: str) -> None:
    canonical = " ".join(title.split()).title().replace("Times", "times")
    source = DecisionSource()
    decider, problems = source.for_cycle(Snapshot((), _renamed(canonical, title)), NOW)
    assert problems == []
    assert decider.tables.members  # the team was read, not the defaults


@pytest.mark.parametrize(("old", "new"), [("Team", "Staff"), ("Accounts", "Key accounts")])
def test_a_renamed_tab_is_a_problem_not_a_silent_default(
    tmp_path: Path, old: str, new: str
) -> None:
    cache = FileStateDir(tmp_path / "state")
    source = DecisionSource(cache)
    good, problems = source.for_cycle(Snapshot((), base_tabs()), NOW)
    assert problems == []
    fresh = DecisionSource(cache)  # a new process, the cache in place
    decider, problems = fresh.for_cycle(Snapshot((), _renamed(old, new)), NOW)
    assert any(p.startswith(f"{old}!A1: the {old!r} tab is missing") for p in problems), problems
    assert any(new in p for p in problems)  # the hint names the tab that is there instead
    assert decider.tables == good.tables  # the last valid tables, said out loud


def test_a_formula_in_an_owner_tab_is_reported_as_a_formula() -> None:
    rows = [list(r) for r in TEAM_ROWS]
    rows[0][TEAM_HEADER.index("Max open cases")] = "=3+3"
    _, problems = parse_tables(base_tabs(Team=(TEAM_HEADER, *map(tuple, rows))))
    assert any("holds a formula (=3+3)" in p for p in problems), problems
    assert not any("whole number" in p for p in problems)
