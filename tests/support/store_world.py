"""A small world for Sheets store tests: the stand-in, a store, and what we expect.

``World`` tracks, per case, the poller-owned values the store was told to write
(and reported written) and the team-owned values people set, then ``faults``
compares the stand-in's grid with that: each case exactly once, poller cells
belonging to the row's own case, team cells as people left them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from automation.adapters.sheets.store import SheetsStore
from automation.config import SheetsConfig
from automation.ports import ApplyResult, CaseUpdate, ChangeSet, NewCase
from automation.sheet import layout as columns
from tests.support.standin import SheetsStandIn

TAB = "Cases"
POLLER_SAMPLE = ("Subject", "Why", "Messages", "Poller note")


def poller_values(case_id: str, version: int) -> dict[str, str]:
    values = {
        "Why": f"why {case_id} v{version}",
        "Messages": f"{case_id}/{version}",
        "Poller note": f"note {case_id} v{version}",
    }
    if version == 1:
        values["Subject"] = f"subject of {case_id}"
    return values


class FakeTime:
    """Time passed in to the retrier: sleeping advances the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class World:
    def __init__(
        self, sort_moves_metadata: bool = True, seed: int = 0, deadline: float = 45.0
    ) -> None:
        self.api = SheetsStandIn(sort_moves_metadata=sort_moves_metadata, strict=True)
        self.sid = self.api.create_spreadsheet(title="Support", sheets=("Sheet1",))
        self.time = FakeTime()
        config = SheetsConfig(
            spreadsheet=self.sid, retry_deadline_seconds=deadline, retry_cap_seconds=8.0
        )
        self.store = SheetsStore(
            config,
            session=self.api.session(),
            sleep=self.time.sleep,
            clock=self.time.clock,
            rng=random.Random(seed),
        )
        self.store.initialize([])
        self.poller: dict[str, dict[str, str]] = {}
        self.team: dict[str, dict[str, str]] = {}
        self.gone: set[str] = set()
        self.version: dict[str, int] = {}

    # -- the poller's side ---------------------------------------------------
    def new_case(self, case_id: str) -> NewCase:
        values = {
            **poller_values(case_id, 1),
            columns.STATUS: "New",
            columns.NOTES: f"starter {case_id}",
        }
        return NewCase(case_id, values)

    def next_update(self, case_id: str) -> CaseUpdate:
        version = self.version.get(case_id, 1) + 1
        return CaseUpdate(case_id, poller_values(case_id, version))

    def cycle(self, creates: Iterable[str] = (), updates: Iterable[str] = ()) -> ApplyResult:
        self.store.load()
        new = tuple(self.new_case(c) for c in creates)
        upd = tuple(self.next_update(c) for c in updates)
        result = self.store.apply(ChangeSet(creates=new, updates=upd))
        self.record(new, upd, result)
        return result

    def record(
        self, new: Iterable[NewCase], upd: Iterable[CaseUpdate], result: ApplyResult
    ) -> None:
        for case in new:
            if case.case_id in result.created and case.case_id not in self.poller:
                self.poller[case.case_id] = {
                    k: v for k, v in case.values.items() if columns.is_poller_column(k)
                }
                self.team[case.case_id] = {
                    k: v for k, v in case.values.items() if not columns.is_poller_column(k)
                }
                self.version[case.case_id] = 1
        for update in upd:
            if update.case_id in result.updated:
                self.poller[update.case_id].update(update.values)
                self.version[update.case_id] = self.version.get(update.case_id, 1) + 1
            if update.case_id in result.missing:
                assert update.case_id in self.gone, f"{update.case_id} reported missing wrongly"

    # -- the team's side -----------------------------------------------------
    def grid(self) -> list[list[str]]:
        return self.api.grid(self.sid, TAB)

    def row_of(self, case_id: str) -> int | None:
        for index, row in enumerate(self.grid()):
            if index and row and row[0] == case_id:
                return index
        return None

    def last_row(self) -> int:
        return len(self.grid()) - 1

    def edit_team(self, case_id: str, column: str, value: str) -> None:
        row = self.row_of(case_id)
        if row is None:
            return
        self.api.human.edit_cell(self.sid, TAB, row, columns.DEFAULT_ORDER.index(column), value)
        self.team[case_id][column] = value

    def delete_case_row(self, case_id: str) -> None:
        row = self.row_of(case_id)
        if row is not None:
            self.api.human.delete_rows(self.sid, TAB, row)
            self.gone.add(case_id)

    # -- checking --------------------------------------------------------------
    def faults(self) -> list[str]:
        grid = self.grid()
        header = grid[0]
        pos = {name: header.index(name) for name in columns.DEFAULT_ORDER}
        seen: dict[str, int] = {}
        out: list[str] = []
        for index, row in enumerate(grid[1:], start=1):
            cells = row + [""] * (len(header) - len(row))
            cid = cells[pos[columns.CASE_ID]]
            if not cid:
                if any(cells):
                    out.append(f"row {index + 1}: content without a Case ID {cells[:6]}")
                continue
            seen[cid] = seen.get(cid, 0) + 1
            for name, value in self.poller.get(cid, {}).items():
                if cells[pos[name]] != value:
                    out.append(
                        f"{cid} row {index + 1}: {name}={cells[pos[name]]!r} expected {value!r}"
                    )
            for name, value in self.team.get(cid, {}).items():
                if cells[pos[name]] != value:
                    out.append(
                        f"{cid} row {index + 1}: team {name} changed to {cells[pos[name]]!r}"
                    )
        for cid in self.poller:
            want = 0 if cid in self.gone else 1
            if seen.get(cid, 0) != want:
                out.append(f"{cid} appears {seen.get(cid, 0)} times, expected {want}")
        return out
