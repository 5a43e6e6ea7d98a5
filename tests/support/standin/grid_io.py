"""Reading and writing rectangular blocks of values in one sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.standin.a1 import col_letters, format_range, quote_title
from tests.support.standin.cells import CellValue, from_input, render
from tests.support.standin.errors import bad_request, invalid_field
from tests.support.standin.ranges import Target

LIST_VALUE = "type.googleapis.com/google.protobuf.ListValue"


def check_matrix(values: Any, field_name: str = "data.values") -> list[list[Any]]:
    """Type-check ``values`` as a list of lists (the API's ListValue errors)."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise invalid_field(field_name, LIST_VALUE, values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise invalid_field(f"{field_name}[{i}]", LIST_VALUE, row)
    return values


def to_rows(values: list[list[Any]], major: str | None) -> list[list[Any]]:
    """Rows of cells, whatever the majorDimension of the input."""
    if major != "COLUMNS":
        return values
    height = max((len(col) for col in values), default=0)
    return [[col[r] if r < len(col) else None for col in values] for r in range(height)]


@dataclass
class WriteResult:
    sheet_title: str
    r0: int
    r1: int
    c0: int
    c1: int
    rows: set[int] = field(default_factory=set)
    cols: set[int] = field(default_factory=set)
    cells: int = 0

    def a1(self) -> str:
        if self.r1 <= self.r0 or self.c1 <= self.c0:
            return f"{quote_title(self.sheet_title)}!{col_letters(self.c0)}{self.r0 + 1}"
        return format_range(self.sheet_title, self.r0, self.r1, self.c0, self.c1)

    def counts(self) -> dict[str, Any]:
        out: dict[str, Any] = {"updatedRange": self.a1()}
        for key, number in (
            ("updatedRows", len(self.rows)),
            ("updatedColumns", len(self.cols)),
            ("updatedCells", self.cells),
        ):
            if number:
                out[key] = number
        return out


@dataclass
class PlannedWrite:
    """A validated, converted write; ``apply`` cannot fail, so a request can check
    every part first and only then change the sheet (all-or-nothing)."""

    target: Target
    result: WriteResult
    cells: list[tuple[int, int, CellValue | None]]
    grow_to: tuple[int, int]

    def apply(self) -> WriteResult:
        sheet = self.target.sheet
        sheet.grow(*self.grow_to)
        for r, c, value in self.cells:
            sheet.set(r, c, value)
        return self.result


def plan_block(
    target: Target,
    rows: list[list[Any]],
    option: str,
    strict: bool,
    *,
    at: tuple[int, int] | None = None,
    range_text: str = "",
) -> PlannedWrite:
    """Plan writing ``rows`` at the target's top-left (or ``at``); ``None`` cells are skipped.

    A single-cell target is an anchor that expands; a larger bounded target
    refuses data that does not fit.  Writes past the grid fail ("exceeds grid
    limits", as reported for values.update); only append (``at`` given) grows it.
    """
    sheet = target.sheet
    r0, c0 = at if at is not None else (target.r0, target.c0)
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if at is None and not target.single_cell:
        if target.r1 is not None and r0 + height > target.r1:
            raise bad_request(
                f"Requested writing within range [{range_text}], but tried writing to "
                f"row [{target.r1 + 1}]"
            )
        if target.c1 is not None and c0 + width > target.c1:
            raise bad_request(
                f"Requested writing within range [{range_text}], but tried writing to "
                f"column [{col_letters(target.c1)}]"
            )
    if at is None and height and width:
        rows_max, cols_max = sheet.row_count, sheet.col_count
        if r0 + height > rows_max or c0 + width > cols_max:
            attempted = format_range(sheet.title, r0, r0 + height, c0, c0 + width)
            raise bad_request(
                f"Range ({attempted}) exceeds grid limits. Max rows: {rows_max}, "
                f"max columns: {cols_max}"
            )
    result = WriteResult(sheet.title, r0, r0 + height, c0, c0 + width)
    cells: list[tuple[int, int, CellValue | None]] = []
    for i, row in enumerate(rows):
        for j, raw in enumerate(row):
            if raw is None:
                continue
            cells.append((r0 + i, c0 + j, from_input(raw, option, strict)))
            result.rows.add(r0 + i)
            result.cols.add(c0 + j)
            result.cells += 1
    grow_to = (r0 + height, c0 + width) if height and width else (0, 0)
    return PlannedWrite(target, result, cells, grow_to)


def read_block(
    target: Target,
    option: str = "FORMATTED_VALUE",
    major: str = "ROWS",
    dt_option: str | None = None,
) -> Any:
    """The trimmed values of the target (rows or columns), or None when empty."""
    r0, r1, c0, c1 = target.clipped()
    sheet = target.sheet
    # Only the target's rows matter: empties beyond them are trimmed anyway.
    used_rows, used_cols = sheet.extent(r0, r1)
    r1, c1 = max(r0, min(r1, used_rows)), max(c0, min(c1, used_cols))
    grid = [
        [render(sheet.get(r, c), option, dt_option) for c in range(c0, c1)] for r in range(r0, r1)
    ]
    if major == "COLUMNS":
        grid = [list(col) for col in zip(*grid, strict=False)] if grid else []
    trimmed: list[list[Any]] = []
    for line in grid:
        end = len(line)
        while end and line[end - 1] == "":
            end -= 1
        trimmed.append(line[:end])
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed or None


def value_range(
    target: Target, option: str, major: str | None, dt_option: str | None = None
) -> dict[str, Any]:
    major = major or "ROWS"
    out: dict[str, Any] = {"range": target.a1(), "majorDimension": major}
    values = read_block(target, option, major, dt_option)
    if values is not None:
        out["values"] = values
    return out
