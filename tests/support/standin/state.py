"""The stand-in's state: spreadsheets, sheets, and rows/columns with stable identity.

A ``Row`` or ``Col`` is an object; cells live in ``row.cells`` keyed by ``Col``.
Inserting, deleting, moving or sorting therefore only reorders lists, and row or
column developer metadata (which refers to these objects) follows the data.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.support.standin.cells import CellValue

_ids = itertools.count(1)
LocationType = Literal["SPREADSHEET", "SHEET", "ROW", "COLUMN"]


@dataclass(eq=False)
class Col:
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Cell:
    value: CellValue | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # userEnteredFormat, note, ...


@dataclass(eq=False)
class Row:
    cells: dict[Col, Cell] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)
    uid: int = field(default_factory=lambda: next(_ids))


@dataclass(eq=False)
class Sheet:
    sheet_id: int
    title: str
    rows: list[Row]
    cols: list[Col]
    hidden: bool = False
    sheet_type: str = "GRID"
    props: dict[str, Any] = field(default_factory=dict)  # tabColorStyle, rightToLeft...
    grid_extra: dict[str, Any] = field(default_factory=dict)  # frozenRowCount, ...
    extras: dict[str, Any] = field(default_factory=dict)  # merges, basicFilter, ...
    # Position caches for row_index/col_index (checked on use, never trusted).
    _row_pos: dict[int, int] = field(default_factory=dict, repr=False)
    _col_pos: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def blank(cls, sheet_id: int, title: str, rows: int = 1000, cols: int = 26) -> Sheet:
        return cls(sheet_id, title, [Row() for _ in range(rows)], [Col() for _ in range(cols)])

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def col_count(self) -> int:
        return len(self.cols)

    def get(self, r: int, c: int) -> CellValue | None:
        if r >= len(self.rows) or c >= len(self.cols):
            return None
        cell = self.rows[r].cells.get(self.cols[c])
        return cell.value if cell else None

    def cell(self, r: int, c: int) -> Cell:
        self.grow(r + 1, c + 1)
        row, col = self.rows[r], self.cols[c]
        found = row.cells.get(col)
        if found is None:
            found = row.cells[col] = Cell()
        return found

    def peek_cell(self, r: int, c: int) -> Cell | None:
        if r >= len(self.rows) or c >= len(self.cols):
            return None
        return self.rows[r].cells.get(self.cols[c])

    def set(self, r: int, c: int, value: CellValue | None) -> None:
        if value is None and self.peek_cell(r, c) is None:
            return
        self.cell(r, c).value = value

    def grow(self, rows: int, cols: int) -> None:
        while len(self.rows) < rows:
            self.rows.append(Row())
        while len(self.cols) < cols:
            self.cols.append(Col())

    def extent(self, r0: int = 0, r1: int | None = None) -> tuple[int, int]:
        """(rows, cols) of the used area: one past the last non-empty row/column,
        looking only at rows ``r0``..``r1`` when given (a read of a few rows then
        costs those rows, not the whole sheet)."""
        last_r, last_c = 0, 0
        col_pos = {id(col): i for i, col in enumerate(self.cols)}
        stop = len(self.rows) if r1 is None else min(r1, len(self.rows))
        for r in range(max(0, r0), stop):
            for col, cell in self.rows[r].cells.items():
                if cell.value is not None:
                    last_r = max(last_r, r + 1)
                    last_c = max(last_c, col_pos[id(col)] + 1)
        return last_r, last_c

    def row_index(self, row: Row) -> int | None:
        """Where ``row`` is now, or None.  A cached position is used only after
        checking it still holds that row; otherwise the map is rebuilt, so any
        insert, delete, move or sort is seen without hooks (O(1) when nothing
        moved, one O(rows) pass after a change)."""
        i = self._row_pos.get(id(row))
        if i is None or i >= len(self.rows) or self.rows[i] is not row:
            self._row_pos = {id(r): n for n, r in enumerate(self.rows)}
            i = self._row_pos.get(id(row))
        return i

    def col_index(self, col: Col) -> int | None:
        """As ``row_index``, for columns."""
        i = self._col_pos.get(id(col))
        if i is None or i >= len(self.cols) or self.cols[i] is not col:
            self._col_pos = {id(c): n for n, c in enumerate(self.cols)}
            i = self._col_pos.get(id(col))
        return i


@dataclass(eq=False)
class DevMeta:
    """One developer metadata entry; its location is objects, not indexes."""

    metadata_id: int
    key: str
    value: str | None
    visibility: str
    location_type: LocationType
    sheet: Sheet | None = None
    rows: list[Row] = field(default_factory=list)
    cols: list[Col] = field(default_factory=list)


@dataclass(eq=False)
class Spreadsheet:
    spreadsheet_id: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    auto_recalc: str = "ON_CHANGE"
    metadata: list[DevMeta] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    extra_props: dict[str, Any] = field(default_factory=dict)
    next_id: int = 1_000_000

    def clone(self) -> Spreadsheet:
        """A copy for all-or-nothing batches; metadata points at the copied rows.

        Much faster than ``copy.deepcopy``: cell values are immutable and shared.
        Keep this in step with the fields of the classes above.
        """
        cols: dict[int, Col] = {}
        rows: dict[int, Row] = {}
        sheets: dict[int, Sheet] = {}
        for sheet in self.sheets:
            new_cols = []
            for col in sheet.cols:
                cols[id(col)] = new_col = Col(dict(col.props))
                new_cols.append(new_col)
            new_rows = []
            for row in sheet.rows:
                cells = {
                    cols[id(col)]: Cell(cell.value, copy.deepcopy(cell.extra) if cell.extra else {})
                    for col, cell in row.cells.items()
                }
                rows[id(row)] = new_row = Row(cells, dict(row.props), row.uid)
                new_rows.append(new_row)
            sheets[id(sheet)] = Sheet(
                sheet.sheet_id,
                sheet.title,
                new_rows,
                new_cols,
                sheet.hidden,
                sheet.sheet_type,
                copy.deepcopy(sheet.props),
                copy.deepcopy(sheet.grid_extra),
                copy.deepcopy(sheet.extras),
            )
        metadata = [
            DevMeta(
                m.metadata_id,
                m.key,
                m.value,
                m.visibility,
                m.location_type,
                sheets[id(m.sheet)] if m.sheet is not None else None,
                [rows[id(r)] for r in m.rows],
                [cols[id(c)] for c in m.cols],
            )
            for m in self.metadata
        ]
        return Spreadsheet(
            self.spreadsheet_id,
            self.title,
            list(sheets.values()),
            self.locale,
            self.time_zone,
            self.auto_recalc,
            metadata,
            copy.deepcopy(self.named_ranges),
            copy.deepcopy(self.extra_props),
            self.next_id,
        )

    def allocate_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        wanted = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == wanted), None)

    def first_visible(self) -> Sheet:
        return next((s for s in self.sheets if not s.hidden), self.sheets[0])

    def forget_rows(self, sheet: Sheet, gone: set[int]) -> None:
        """Drop deleted rows (by uid) from metadata; delete metadata left with none."""
        keep: list[DevMeta] = []
        for meta in self.metadata:
            if meta.sheet is sheet and meta.location_type == "ROW":
                meta.rows = [r for r in meta.rows if r.uid not in gone]
                if not meta.rows:
                    continue
            keep.append(meta)
        self.metadata = keep

    def forget_cols(self, sheet: Sheet, gone: list[Col]) -> None:
        gone_ids = {id(c) for c in gone}
        keep: list[DevMeta] = []
        for meta in self.metadata:
            if meta.sheet is sheet and meta.location_type == "COLUMN":
                meta.cols = [c for c in meta.cols if id(c) not in gone_ids]
                if not meta.cols:
                    continue
            keep.append(meta)
        self.metadata = keep
