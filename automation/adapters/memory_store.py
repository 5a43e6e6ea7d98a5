"""An in-memory ``CaseStore`` for tests of the poll cycle, and the local apply rules.

``apply_local`` is the one implementation of ``apply`` for stores that hold the
whole spreadsheet while they write (this one and the workbook).  With no other
writer during the call, re-reading the Cases tab at apply time and finding each
row by its Case ID cell is exact, so rows are located by identity, never by a
row number from an earlier ``load``.  The semantics match the Google Sheets
adapter:

* a create whose Case ID already has a row is not written again and still
  counts as created (a retried cycle must not duplicate a case);
* new rows go right under the header, first create on top;
* an update writes poller-owned columns only (``casetab.update_cells``); a team
  cell is never overwritten; a case with no row is reported ``missing`` and a
  case with two rows is deferred with a problem, never guessed;
* appended log rows identical to a row already in that tab are skipped, so
  re-applying after a lost response cannot log twice; ``replace_tabs`` replaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from automation.model import CaseRow
from automation.ports import ApplyResult, ChangeSet, Grid, Snapshot, TabSpec
from automation.sheet import case_table as casetab
from automation.sheet import layout as columns


class LocalTabs(Protocol):
    """What ``apply_local`` needs from a store that holds every tab in hand."""

    def titles(self) -> list[str]: ...

    def read(self, tab: str) -> list[list[str]]: ...

    def add_tab(self, tab: str, header: Sequence[str]) -> None: ...

    def insert_rows(self, tab: str, at: int, rows: Sequence[Sequence[str]]) -> None: ...

    def set_cells(self, tab: str, row: int, cells: Sequence[str | None]) -> None: ...

    def append_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None: ...

    def replace(self, tab: str, grid: Grid) -> None: ...


def check_changes(changes: ChangeSet) -> None:
    """Refuse a malformed change set before anything is written."""
    for new in changes.creates:
        casetab.check_create(new.case_id, new.values)
    for update in changes.updates:
        casetab.check_update(update.case_id, update.values)


def snapshot_local(tabs: LocalTabs) -> Snapshot:
    """The ``Snapshot`` of a store held in hand (raises ``StoreSchemaError``)."""
    grid = tabs.read(casetab.CASES_TAB)
    header = casetab.read_header(grid[0] if grid else [])
    table = casetab.parse_cases(header, grid)
    others = {
        title: tuple(tuple(row) for row in tabs.read(title))
        for title in tabs.titles()
        if title != casetab.CASES_TAB
    }
    note = header.missing_problem()
    extra = (note,) if note else ()
    return Snapshot(cases=table.cases, tabs=others, problems=table.problems + extra)


def apply_local(tabs: LocalTabs, changes: ChangeSet) -> ApplyResult:
    """Apply ``changes`` to a store held in hand; see the module docstring."""
    check_changes(changes)
    grid = tabs.read(casetab.CASES_TAB)
    header = casetab.read_header(grid[0] if grid else [])
    table = casetab.parse_cases(header, grid)
    created: list[str] = []
    new_rows: list[list[str]] = []
    for new in changes.creates:
        if new.case_id not in table.rows_of and new.case_id not in created:
            new_rows.append(casetab.create_cells(header, new.case_id, new.values))
        created.append(new.case_id)
    if new_rows:
        tabs.insert_rows(casetab.CASES_TAB, 1, new_rows)
        grid = tabs.read(casetab.CASES_TAB)
        table = casetab.parse_cases(header, grid)
    updated: list[str] = []
    missing: list[str] = []
    problems: list[str] = []
    for update in changes.updates:
        rows = table.rows_of.get(update.case_id, ())
        if not rows:
            missing.append(update.case_id)
        elif len(rows) > 1:
            problems.append(
                f"{update.case_id} has {len(rows)} rows ({_numbers(rows)}); update deferred "
                "until a person removes the extra row"
            )
        else:
            cells = casetab.update_cells(header, update.case_id, update.values)
            tabs.set_cells(casetab.CASES_TAB, rows[0], cells)
            updated.append(update.case_id)
    for log in changes.appends:
        if log.tab not in tabs.titles():
            tabs.add_tab(log.tab, log.header)
        have = {tuple(casetab.pad(r, len(log.header))) for r in tabs.read(log.tab)}
        fresh: list[list[str]] = []
        for row in log.rows:
            capped = [columns.cap_cell(str(c)) for c in row]
            key = tuple(casetab.pad(capped, len(log.header)))
            if key not in have:
                have.add(key)
                fresh.append(capped)
        if fresh:
            tabs.append_rows(log.tab, fresh)
    for title, content in changes.replace_tabs.items():
        tabs.replace(title, tuple(tuple(columns.cap_cell(c) for c in row) for row in content))
    return ApplyResult(
        created=tuple(created),
        updated=tuple(updated),
        missing=tuple(missing),
        problems=tuple(problems),
    )


def _numbers(rows: Sequence[int]) -> str:
    return ", ".join(f"row {r + 1}" for r in rows)


def add_missing_columns(tabs: LocalTabs) -> list[str]:
    """Add the known columns an existing Cases tab lacks, at its right end."""
    grid = tabs.read(casetab.CASES_TAB)
    header = list(grid[0]) if grid else []
    while header and not str(header[-1]).strip():
        header.pop()
    have = {" ".join(str(h).split()).casefold() for h in header}
    missing = [n for n in columns.DEFAULT_ORDER if n.casefold() not in have]
    if missing:
        cells: list[str | None] = [None] * len(header)
        cells += missing
        tabs.set_cells(casetab.CASES_TAB, 0, cells)
    return [f"{casetab.CASES_TAB} column {name!r}" for name in missing]


def missing_specs(tabs: LocalTabs, specs: Sequence[TabSpec]) -> list[TabSpec]:
    """The specs whose tab does not exist yet; the Cases tab is always considered."""
    have = set(tabs.titles())
    return [spec for spec in specs if spec.title not in have]


class MemoryStore:
    """Every tab as a list of rows of text; ``tabs`` is public so tests can play
    the team (edit, sort, delete rows) between ``load`` and ``apply``."""

    def __init__(self, tabs: dict[str, list[list[str]]] | None = None) -> None:
        self.tabs: dict[str, list[list[str]]] = (
            tabs if tabs is not None else {casetab.CASES_TAB: [list(columns.DEFAULT_ORDER)]}
        )
        self.loads = 0
        self.applies = 0

    # LocalTabs
    def titles(self) -> list[str]:
        return list(self.tabs)

    def read(self, tab: str) -> list[list[str]]:
        return [list(row) for row in self.tabs.get(tab, [])]

    def add_tab(self, tab: str, header: Sequence[str]) -> None:
        self.tabs[tab] = [list(header)]

    def insert_rows(self, tab: str, at: int, rows: Sequence[Sequence[str]]) -> None:
        self.tabs[tab][at:at] = [list(r) for r in rows]

    def set_cells(self, tab: str, row: int, cells: Sequence[str | None]) -> None:
        target = self.tabs[tab][row]
        for col, text in enumerate(cells):
            if text is not None:
                target.extend([""] * (col + 1 - len(target)))
                target[col] = text

    def append_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        self.tabs[tab].extend(list(r) for r in rows)

    def replace(self, tab: str, grid: Grid) -> None:
        self.tabs[tab] = [list(row) for row in grid]

    # CaseStore
    def load(self) -> Snapshot:
        self.loads += 1
        return snapshot_local(self)

    def apply(self, changes: ChangeSet) -> ApplyResult:
        self.applies += 1
        return apply_local(self, changes)

    def initialize(self, specs: Sequence[TabSpec]) -> list[str]:
        created = []
        if casetab.CASES_TAB not in self.tabs:
            self.add_tab(casetab.CASES_TAB, columns.DEFAULT_ORDER)
            created.append(casetab.CASES_TAB)
        else:
            created += add_missing_columns(self)
        for spec in missing_specs(self, specs):
            self.tabs[spec.title] = [list(spec.header), *(list(r) for r in spec.rows)]
            created.append(spec.title)
        return created

    def case(self, case_id: str) -> CaseRow | None:
        """The row for ``case_id`` as the team sees it now (a test convenience)."""
        return self.load().by_id().get(case_id)
