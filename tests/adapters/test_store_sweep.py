"""Interleaving sweep: a person's edit lands just before each request of a cycle.

For every edit in the catalogue and every k in 0..N (N = the cycle's request
count; k = N means "after the cycle"), the same cycle is rerun from the same
start and the edit applied just before its k-th request.  Invariants are checked
right after the cycle and again after repair cycles.

With ``sort_moves_metadata=True`` every run must be clean after the cycle.
With ``False`` the design guarantees: a sort landing between the cycle's read
and its update write may put an update on another case's row (the documented
residual window); that is *detected in the same cycle* (reported as a problem,
the update not counted), and repaired by the following cycles.  Any other
edit/point combination must be clean.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.sheet import layout as columns
from tests.support.store_world import TAB, World

EXISTING = ["C-1", "C-2", "C-3", "C-4", "C-5"]
CREATES = ["C-6", "C-7"]
UPDATES = ["C-2", "C-4", "C-1"]
TARGET = "C-2"

Edit = Callable[[World], None]

# CI sorts by a sample of columns (the key, a team column, free text, a time, the
# Sent log); SHEETDESK_FULL_SWEEP=1 sorts by every column, as the closing figures do.
FULL = os.environ.get("SHEETDESK_FULL_SWEEP") == "1"
SORT_SAMPLE = {columns.CASE_ID, columns.STATUS, "Subject", "Opened", columns.SENT_LOG}


def _catalogue() -> dict[str, Edit]:
    edits: dict[str, Edit] = {
        "insert above": lambda w: w.api.human.insert_rows(w.sid, TAB, 1),
        "insert inside": lambda w: w.api.human.insert_rows(w.sid, TAB, 3),
        "insert below": lambda w: w.api.human.insert_rows(w.sid, TAB, w.last_row() + 1),
        "blank row in middle": lambda w: w.api.human.insert_rows(w.sid, TAB, 3, count=2),
        "delete other": lambda w: w.delete_case_row("C-3"),
        "delete target": lambda w: w.delete_case_row(TARGET),
        "move target to end": lambda w: _move(w, TARGET, w.last_row() + 1),
        "move last to top": lambda w: w.api.human.move_rows(
            w.sid, TAB, w.last_row(), w.last_row() + 1, 1
        ),
        "edit team cell": lambda w: w.edit_team(TARGET, columns.NOTES, "phoned twice"),
        "edit status": lambda w: w.edit_team("C-4", columns.STATUS, "In progress"),
    }
    for col, name in enumerate(columns.DEFAULT_ORDER):
        if not FULL and name not in SORT_SAMPLE:
            continue
        for ascending in (True, False):
            edits[f"sort {name} {'asc' if ascending else 'desc'}"] = lambda w, c=col, a=ascending: (
                w.api.human.sort(w.sid, TAB, c, ascending=a)
            )
    return edits


def _move(world: World, case_id: str, dest: int) -> None:
    row = world.row_of(case_id)
    if row is not None and not row < dest <= row + 1:
        world.api.human.move_rows(world.sid, TAB, row, row + 1, dest)


def _fresh(sort_moves: bool) -> World:
    world = World(sort_moves_metadata=sort_moves)
    world.cycle(creates=list(reversed(EXISTING)))  # C-1 ends up on top
    return world


def _request_count() -> int:
    world = _fresh(True)
    start = len(world.api.log)
    world.cycle(creates=CREATES, updates=UPDATES)
    return len(world.api.log) - start


def _settle(world: World, pending: list[str]) -> int:
    """Repair cycles resending what was not written; returns how many were needed."""
    for n in range(1, 4):
        result = world.cycle(updates=[c for c in pending if c not in world.gone])
        pending = [
            c
            for c in pending
            if c not in result.updated and c not in result.missing and c not in world.gone
        ]
        if not pending and not result.problems:
            return n
    return 99


def run_sweep(sort_moves: bool) -> dict[str, int]:
    n_requests = _request_count()
    counts = {"runs": 0, "faults": 0, "faults_detected": 0, "deferred": 0, "repair_cycles": 0}
    bad: list[str] = []
    for name, edit in _catalogue().items():
        for k in range(n_requests + 1):
            world = _fresh(sort_moves)
            base = len(world.api.log)
            fired: list[int] = []

            def hook(
                i: int,
                method: str,
                url: str,
                world: World = world,
                k: int = k,
                edit: Edit = edit,
                fired: list[int] = fired,
                base: int = base,
            ) -> None:
                if i - base == k and not fired:
                    fired.append(i)
                    edit(world)

            world.api.before_request = hook
            result = world.cycle(creates=CREATES, updates=UPDATES)
            if not fired:
                edit(world)
            world.api.before_request = None
            counts["runs"] += 1
            if name == "delete target" and k < n_requests:
                assert TARGET in result.missing, (name, k, result)
            faults = world.faults()
            pending = [c for c in UPDATES if c not in result.updated and c not in result.missing]
            counts["deferred"] += bool(pending)
            if faults:
                counts["faults"] += 1
                detected = any("landed on the row of" in p for p in result.problems)
                counts["faults_detected"] += detected
                in_window = name.startswith("sort") and 0 < k < n_requests
                if sort_moves or not (detected and in_window):
                    bad.append(f"{name} @k={k}: {faults[:3]} problems={result.problems[:2]}")
            settle = _settle(world, pending)
            counts["repair_cycles"] = max(
                counts["repair_cycles"], settle if pending or faults else 0
            )
            after = world.faults()
            if after:
                bad.append(f"{name} @k={k} still wrong after repair cycles: {after[:3]}")
    assert not bad, "\n".join(bad[:20])
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("sort_moves", [True, False], ids=["sort-carries", "sort-leaves"])
def test_interleaving_sweep(sort_moves: bool) -> None:
    counts = run_sweep(sort_moves)
    print(f"\nsweep sort_moves_metadata={sort_moves}: {counts}")
    if sort_moves:
        assert counts["faults"] == 0
    else:
        assert counts["faults"] == counts["faults_detected"]


# ------------------------------------------------------------ random mixes

ACTIONS = st.one_of(
    st.tuples(st.just("cycle"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("insert"), st.integers(1, 8), st.integers(1, 2)),
    st.tuples(st.just("delete"), st.integers(1, 8), st.just(1)),
    st.tuples(st.just("sort"), st.integers(0, len(columns.DEFAULT_ORDER) - 1), st.booleans()),
    st.tuples(st.just("move"), st.integers(1, 8), st.integers(1, 9)),
    st.tuples(st.just("note"), st.integers(1, 8), st.just(0)),
)


@settings(
    max_examples=40 if FULL else 15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    sort_moves=st.booleans(),
    actions=st.lists(ACTIONS, min_size=1, max_size=12),
    during=st.dictionaries(st.integers(0, 11), st.tuples(st.integers(0, 2), ACTIONS), max_size=4),
)
def test_random_cycles_and_edits(
    sort_moves: bool,
    actions: list[tuple[str, int, int]],
    during: dict[int, tuple[int, tuple[str, int, int]]],
) -> None:
    """Random cycles and edits; ``during[step] = (k, edit)`` lands an edit just
    before request k of the cycle at ``step``."""
    world = World(sort_moves_metadata=sort_moves)
    counter = iter(range(1, 10_000))
    pending: set[str] = set()

    def act(action: tuple[str, int, int]) -> None:
        kind, a, b = action
        last = world.last_row()
        if kind == "insert":
            world.api.human.insert_rows(world.sid, TAB, min(a, last + 1), b)
        elif kind == "delete" and 1 <= a <= last:
            row = world.grid()[a]
            if row and row[0]:
                world.gone.add(row[0])
            world.api.human.delete_rows(world.sid, TAB, a)
        elif kind == "sort":
            world.api.human.sort(world.sid, TAB, a, ascending=b)
        elif kind == "move" and 1 <= a <= last and not a <= b <= a + 1 and b <= last + 1:
            world.api.human.move_rows(world.sid, TAB, a, a + 1, b)
        elif kind == "note" and 1 <= a <= last:
            row = world.grid()[a]
            if row and row[0] in world.team:
                world.edit_team(row[0], columns.NOTES, f"note {a}")

    for step, action in enumerate(actions):
        if action[0] != "cycle":
            act(action)
            continue
        new = [f"C-{next(counter)}" for _ in range(action[1])]
        known = sorted(c for c in world.poller if c not in world.gone)
        upd = sorted(set(known[: action[2]]) | (pending - world.gone))
        base = len(world.api.log)
        extra = during.get(step)

        def hook(
            i: int,
            method: str,
            url: str,
            base: int = base,
            extra: tuple[int, tuple[str, int, int]] | None = extra,
        ) -> None:
            if extra is not None and i - base == extra[0]:
                act(extra[1])

        world.api.before_request = hook
        result = world.cycle(creates=new, updates=upd)
        world.api.before_request = None
        pending = {c for c in upd if c not in result.updated and c not in result.missing}
        if sort_moves:
            assert world.faults() == [], (step, result)
    for _ in range(3):  # quiet cycles: everything settles
        result = world.cycle(updates=sorted(pending - world.gone))
        pending = {c for c in pending if c not in result.updated and c not in result.missing}
    assert not pending - world.gone
    assert world.faults() == []
