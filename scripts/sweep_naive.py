"""Faults before the fix: the interleaving sweep against a naive row-number writer.

Runs the edit catalogue and k-sweep of ``tests/adapters/test_store_sweep.py`` (same start,
same cycle: creates C-6, C-7; updates C-2, C-4, C-1; the edit lands just before
the cycle's k-th request, k = N meaning "after the cycle") against two writers:

* **naive**: what spreadsheet add-ons do.  One ``values.get`` of the Cases tab,
  then every update written by the row number that read gave it
  (``values.batchUpdate`` on ``'Cases'!A{row}``, RAW; ``--per-row``: one
  ``values.update`` per case), then new cases with ``values.append``
  (``'Cases'!A1`` as table range, RAW).  Columns are found by header name and
  team columns are sent as JSON null, so this is the *gentlest* naive writer:
  one that writes whole rows back would also overwrite team edits.
* **real**: ``SheetsStore`` (anchors + ByDataFilter), via the same driver, and
  ``run_sweep`` from the test module for its own totals.

Both sort settings of the stand-in are run.  A run is faulty when, right after
the cycle, ``World.faults`` finds anything; the kinds are told apart by a small
checker here (every poller value in the sweep names its case, so a value
naming another case is a write that landed on a wrong row).  Not a test:
figures only.

    .venv/bin/python scripts/sweep_naive.py            # CI's sample of sort columns
    .venv/bin/python scripts/sweep_naive.py --full     # sort by every column
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gspread

from automation.ports import ApplyResult, CaseUpdate, NewCase
from automation.sheet import layout as columns
from tests.adapters import test_store_sweep as sweep
from tests.support.store_world import TAB, World

Cycle = Callable[[World], ApplyResult]
CASE_REF = re.compile(r"\bC-\d+\b")
WRONG_ROW = "wrong row"
TEAM = "team cell changed"
IDS = "ID duplicated/lost"
OTHER = "other"
KINDS = (WRONG_ROW, TEAM, IDS, OTHER)


# ----------------------------------------------------------------- the naive writer


class NaiveWriter:
    """Row numbers from one ``values.get``, reused for the writes that follow it."""

    def __init__(self, world: World, per_row: bool = False) -> None:
        no_auth: Any = None  # the stand-in session needs no credentials
        self.http = gspread.Client(auth=no_auth, session=world.api.session()).http_client
        self.key = world.sid
        self.per_row = per_row

    def cycle(self, new: Sequence[NewCase], updates: Sequence[CaseUpdate]) -> ApplyResult:
        grid: list[list[str]] = self.http.values_get(self.key, f"'{TAB}'").get("values") or [[]]
        header = grid[0]
        id_col = header.index(columns.CASE_ID)
        row_of: dict[str, int] = {}
        for number, line in enumerate(grid[1:], start=2):
            if id_col < len(line) and line[id_col]:
                row_of.setdefault(line[id_col], number)
        data: list[dict[str, Any]] = []
        updated: list[str] = []
        missing: list[str] = []
        for update in updates:
            row = row_of.get(update.case_id)
            if row is None:
                missing.append(update.case_id)
                continue
            cells: list[str | None] = [None] * len(header)
            for name, value in update.values.items():
                if columns.is_poller_column(name) and name in header:
                    cells[header.index(name)] = value
            while cells and cells[-1] is None:
                cells.pop()
            data.append({"range": f"'{TAB}'!A{row}", "values": [cells]})
            updated.append(update.case_id)
        problems: list[str] = []
        try:
            if data and self.per_row:
                for item in data:
                    self.http.values_update(
                        self.key,
                        item["range"],
                        params={"valueInputOption": "RAW"},
                        body={"values": item["values"]},
                    )
            elif data:
                self.http.values_batch_update(self.key, {"valueInputOption": "RAW", "data": data})
        except gspread.exceptions.APIError as exc:
            problems.append(f"update refused: {exc}")
            updated = []  # an add-on would stop here; count nothing as written
        created: tuple[str, ...] = ()
        if new:
            rows = [
                [
                    case.case_id if name == columns.CASE_ID else case.values.get(name, "")
                    for name in header
                ]
                for case in new
            ]
            try:
                self.http.values_append(
                    self.key,
                    f"'{TAB}'!A1",
                    params={"valueInputOption": "RAW"},
                    body={"values": rows},
                )
                created = tuple(case.case_id for case in new)
            except gspread.exceptions.APIError as exc:
                problems.append(f"append refused: {exc}")
        return ApplyResult(
            created=created,
            updated=tuple(updated),
            missing=tuple(missing),
            problems=tuple(problems),
        )


def naive_cycle(per_row: bool) -> Cycle:
    def run(world: World) -> ApplyResult:
        new = tuple(world.new_case(c) for c in sweep.CREATES)
        upd = tuple(world.next_update(c) for c in sweep.UPDATES)
        result = NaiveWriter(world, per_row).cycle(new, upd)
        world.record(new, upd, result)
        return result

    return run


def real_cycle(world: World) -> ApplyResult:
    return world.cycle(creates=sweep.CREATES, updates=sweep.UPDATES)


# ----------------------------------------------------------------- checking


def fault_kinds(world: World) -> set[str]:
    """Which invariants the grid breaks; ``World.faults`` stays the verdict."""
    grid = world.grid()
    header = grid[0]
    id_col = header.index(columns.CASE_ID)
    poller = [i for i, name in enumerate(header) if columns.is_poller_column(name)]
    kinds: set[str] = set()
    seen: Counter[str] = Counter()
    for line in grid[1:]:
        cells = line + [""] * (len(header) - len(line))
        cid = cells[id_col]
        if not cid:
            if any(cells):
                kinds.add(WRONG_ROW)  # a write into a row that had become blank
            continue
        seen[cid] += 1
        if any(ref != cid for i in poller if i != id_col for ref in CASE_REF.findall(cells[i])):
            kinds.add(WRONG_ROW)
        for name, value in world.team.get(cid, {}).items():
            if cells[header.index(name)] != value:
                kinds.add(TEAM)
    for cid in world.poller:
        if seen[cid] != (0 if cid in world.gone else 1):
            kinds.add(IDS)
    if world.faults() and not kinds:
        kinds.add(OTHER)  # e.g. an update reported written that is nowhere
    return kinds


# ----------------------------------------------------------------- the sweep


@dataclass
class Tally:
    requests: int
    runs: int = 0
    faulty: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    by_edit: dict[str, list[int]] = field(default_factory=dict)  # kind -> [faulty, runs]
    by_k: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0


def edit_kind(name: str) -> str:
    return "sort" if name.startswith("sort ") else name


def request_count(cycle: Cycle) -> int:
    world = sweep._fresh(True)
    start = len(world.api.log)
    cycle(world)
    return len(world.api.log) - start


def run(cycle: Cycle, sort_moves: bool) -> Tally:
    tally = Tally(requests=request_count(cycle))
    began = time.perf_counter()
    for name, edit in sweep._catalogue().items():
        for k in range(tally.requests + 1):
            world = sweep._fresh(sort_moves)
            base = len(world.api.log)
            fired: list[int] = []

            def hook(
                i: int,
                method: str,
                url: str,
                world: World = world,
                k: int = k,
                edit: sweep.Edit = edit,
                fired: list[int] = fired,
                base: int = base,
            ) -> None:
                if i - base == k and not fired:
                    fired.append(i)
                    edit(world)

            world.api.before_request = hook
            cycle(world)
            if not fired:
                edit(world)
            world.api.before_request = None
            kinds = fault_kinds(world)
            row = tally.by_edit.setdefault(edit_kind(name), [0, 0])
            tally.runs += 1
            row[1] += 1
            if kinds:
                tally.faulty += 1
                tally.kinds.update(kinds)
                tally.by_k[k] += 1
                row[0] += 1
    tally.seconds = time.perf_counter() - began
    return tally


def line(label: str, sort_moves: bool, tally: Tally, extra: str = "") -> str:
    kinds = ", ".join(f"{kind} {tally.kinds[kind]}" for kind in KINDS)
    edits = ", ".join(f"{name} {f}/{n}" for name, (f, n) in tally.by_edit.items())
    ks = " ".join(f"{k}:{tally.by_k[k]}" for k in range(tally.requests + 1))
    return (
        f"{label:5} sort_moves_metadata={sort_moves!s:5}: {tally.runs} runs "
        f"({tally.requests} requests/cycle), {tally.faulty} with a fault ({kinds}); "
        f"faulty by k: {ks}; by edit: {edits}{extra} [{tally.seconds:.0f}s]"
    )


def run_sweep_summary(sort_moves: bool) -> str:
    try:
        counts = sweep.run_sweep(sort_moves)
    except AssertionError as exc:  # the design guarantee failed: say so, keep going
        return f"; run_sweep FAILED: {str(exc).splitlines()[0]}"
    return "; run_sweep: " + ", ".join(f"{k} {v}" for k, v in counts.items())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--full", action="store_true", help="sort by every column (default: CI's SORT_SAMPLE)"
    )
    parser.add_argument(
        "--per-row",
        action="store_true",
        help="naive writer: one values.update per case, not one batchUpdate",
    )
    args = parser.parse_args(argv)
    sweep.FULL = args.full or sweep.FULL  # _catalogue reads it at call time
    n_edits = len(sweep._catalogue())
    sorts = "every column" if sweep.FULL else f"sample {sorted(sweep.SORT_SAMPLE)}"
    print(
        f"{n_edits} edits (sorts: {sorts}); a fault = after the cycle: a write on a "
        "wrong row, a team cell changed, or a case ID duplicated/lost; "
        "by edit: faulty/runs"
    )
    naive = naive_cycle(args.per_row)
    for sort_moves in (True, False):
        print(line("naive", sort_moves, run(naive, sort_moves)), flush=True)
        print(
            line("real", sort_moves, run(real_cycle, sort_moves), run_sweep_summary(sort_moves)),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
