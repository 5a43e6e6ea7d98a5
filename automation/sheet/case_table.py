"""The Cases tab as a table: pure, shared by every ``CaseStore`` adapter.

Contracts:

* Columns are found by header name (surrounding blanks and letter case are
  ignored), so people may reorder columns or add their own.  A missing known
  header, or a known header present twice, raises ``StoreSchemaError`` naming the
  cell(s).  Unknown headers belong to the team and are never written.
* ``create_cells`` gives every column of a new row (team columns get their
  starting value once, here); ``update_cells`` gives only poller-owned columns
  and ``None`` ("leave unchanged") everywhere else, including the Case ID cell
  (an update never rewrites the key).  An update naming a team or unknown column
  is a caller bug and raises ``ValueError`` before anything is written.
* Every written cell goes through ``columns.cap_cell``.
* ``parse_cases`` skips blank rows and reports rows without a Case ID and
  duplicate Case IDs as problems (the first row of a duplicated ID wins).

Positions here are 0-based grid indexes (the header is row 0); the 1-based row
numbers in ``CaseRow.row_number`` and in messages are for people only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from automation.errors import StoreSchemaError
from automation.model import CaseRow, frozen_map
from automation.sheet import layout as columns
from automation.sheet.a1 import cell_name
from automation.sheet.a1 import column_letter as column_letter  # re-exported for the adapters

CASES_TAB = columns.CASES_TAB


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


_CANONICAL = {_key(name): name for name in columns.DEFAULT_ORDER}


@dataclass(frozen=True)
class Header:
    """Where each known column sits in one read of the header row."""

    tab: str
    cells: tuple[str, ...]
    positions: Mapping[str, int]
    missing: tuple[str, ...] = ()  # known columns not in the sheet (an older layout)

    def missing_problem(self) -> str | None:
        """The sentence owners see while some known columns are absent."""
        if not self.missing:
            return None
        names = ", ".join(repr(m) for m in self.missing)
        return (
            f"{self.tab}!1:1: column(s) {names} are missing (a sheet laid out by an "
            "older sheetdesk?): run `sheetdesk init` to add them; until then they "
            "are not written"
        )

    @property
    def width(self) -> int:
        return len(self.cells)

    def position(self, column: str) -> int:
        return self.positions[column]


# Without these the poller cannot keep its promises (identity, dedupe, exactly-once
# emails, the team's status); every other known column is optional and is
# written only where it exists, so a sheet from an older layout keeps working.
ESSENTIAL: tuple[str, ...] = (
    columns.CASE_ID,
    columns.THREAD_IDS,
    columns.SENT_LOG,
    columns.SEEN,
    columns.CUSTOMER_EMAIL,
    columns.STATUS,
)


def read_header(
    row: Sequence[str], tab: str = CASES_TAB, required: Sequence[str] = ESSENTIAL
) -> Header:
    """Map the header row; raise ``StoreSchemaError`` naming the bad cell(s)."""
    cells = tuple(str(c) for c in row)
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    positions: dict[str, int] = {}
    problems: list[str] = []
    for col, text in enumerate(cells):
        name = _CANONICAL.get(_key(text))
        if name is None:
            continue
        if name in positions:
            first = cell_name(tab, 0, positions[name])
            problems.append(
                f"{cell_name(tab, 0, col)}: duplicate header {name!r} (also at {first})"
            )
            continue
        positions[name] = col
    for name in required:
        if name not in positions:
            problems.append(f"{tab}!1:1: required header {name!r} is missing")
    if problems:
        raise StoreSchemaError("; ".join(problems))
    missing = tuple(n for n in columns.DEFAULT_ORDER if n not in positions)
    return Header(tab=tab, cells=cells, positions=MappingProxyType(positions), missing=missing)


def check_create(case_id: str, values: Mapping[str, str]) -> None:
    """Refuse unknown columns and a Case ID that disagrees with ``case_id``."""
    if not case_id.strip():
        raise ValueError("a new case needs a non-blank case ID")
    unknown = sorted(set(values) - set(columns.DEFAULT_ORDER))
    if unknown:
        raise ValueError(f"new case {case_id}: unknown column(s) {unknown}")
    given = values.get(columns.CASE_ID)
    if given is not None and given != case_id:
        raise ValueError(f"new case {case_id}: Case ID value {given!r} disagrees")


def check_update(case_id: str, values: Mapping[str, str]) -> None:
    """Refuse an update that names any column the poller does not own."""
    foreign = sorted(name for name in values if not columns.is_poller_column(name))
    if foreign:
        raise ValueError(f"update for {case_id} names column(s) the poller does not own: {foreign}")
    given = values.get(columns.CASE_ID)
    if given is not None and given != case_id:
        raise ValueError(f"update for {case_id} would change its Case ID to {given!r}")


def create_cells(header: Header, case_id: str, values: Mapping[str, str]) -> list[str]:
    """Every cell of a new row, in header order; unknown columns left blank."""
    check_create(case_id, values)
    cells = [""] * header.width
    for name, col in header.positions.items():
        cells[col] = columns.cap_cell(values.get(name, ""))
    cells[header.position(columns.CASE_ID)] = columns.cap_cell(case_id)
    return cells


def update_cells(header: Header, case_id: str, values: Mapping[str, str]) -> list[str | None]:
    """Cells for an update: the given poller columns, ``None`` for all others.

    Trailing ``None`` cells are dropped, so the list may be shorter than the
    header.  The Case ID cell is always ``None``: if the row under the anchor
    turned out to be another case, rewriting its key would destroy that case.
    """
    check_update(case_id, values)
    cells: list[str | None] = [None] * header.width
    for name, text in values.items():
        if name == columns.CASE_ID or name not in header.positions:
            continue  # the Case ID is never rewritten; an absent column is skipped
        cells[header.position(name)] = columns.cap_cell(text)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def is_blank(row: Sequence[str]) -> bool:
    return not any(str(c).strip() for c in row)


@dataclass(frozen=True)
class CaseTable:
    """The parsed Cases tab: rows by ID plus where each ID was seen."""

    header: Header
    cases: tuple[CaseRow, ...]
    rows_of: Mapping[str, tuple[int, ...]]  # case ID -> grid indexes, duplicates included
    problems: tuple[str, ...] = ()
    id_at: Mapping[int, str] = field(default_factory=dict)  # grid index -> Case ID cell


def parse_cases(header: Header, grid: Sequence[Sequence[str]]) -> CaseTable:
    """Parse the rows below the header (``grid[0]`` is the header row)."""
    id_col = header.position(columns.CASE_ID)
    cases: list[CaseRow] = []
    rows_of: dict[str, list[int]] = {}
    id_at: dict[int, str] = {}
    problems: list[str] = []
    for index in range(1, len(grid)):
        row = [str(c) for c in grid[index]]
        if is_blank(row):
            continue
        case_id = row[id_col].strip() if id_col < len(row) else ""
        if not case_id:
            problems.append(f"{cell_name(header.tab, index, id_col)}: row has no Case ID; ignored")
            continue
        id_at[index] = case_id
        rows_of.setdefault(case_id, []).append(index)
        if len(rows_of[case_id]) > 1:
            first = rows_of[case_id][0] + 1
            problems.append(
                f"{cell_name(header.tab, index, id_col)}: duplicate case ID {case_id} "
                f"(first at row {first}); this row is ignored"
            )
            continue
        values = {
            name: (row[col] if col < len(row) else "") for name, col in header.positions.items()
        }
        values[columns.CASE_ID] = case_id
        cases.append(CaseRow(case_id=case_id, values=frozen_map(values), row_number=index + 1))
    return CaseTable(
        header=header,
        cases=tuple(cases),
        rows_of={k: tuple(v) for k, v in rows_of.items()},
        problems=tuple(problems),
        id_at=id_at,
    )


def pad(row: Sequence[str], width: int) -> list[str]:
    """``row`` as text, padded with blanks (never cut) to ``width``."""
    cells = [str(c) for c in row]
    return cells + [""] * (width - len(cells))
