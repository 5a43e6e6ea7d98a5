"""Resolving A1 strings and GridRanges against a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.standin.a1 import CellSpan, format_range, parse_a1, parse_span, unparsable
from tests.support.standin.errors import ApiError, bad_request
from tests.support.standin.state import Sheet, Spreadsheet


@dataclass(frozen=True)
class Target:
    """A resolved range: a sheet plus bounds; ``None`` ends mean "to the grid's end"."""

    sheet: Sheet
    r0: int
    r1: int | None
    c0: int
    c1: int | None

    def clipped(self) -> tuple[int, int, int, int]:
        rows, cols = self.sheet.row_count, self.sheet.col_count
        r1 = rows if self.r1 is None else min(self.r1, rows)
        c1 = cols if self.c1 is None else min(self.c1, cols)
        return min(self.r0, r1), r1, min(self.c0, c1), c1

    def a1(self) -> str:
        r0, r1, c0, c1 = self.clipped()
        if r1 <= r0 or c1 <= c0:
            return format_range(self.sheet.title, r0, r0 + 1, c0, c0 + 1)
        return format_range(self.sheet.title, r0, r1, c0, c1)

    @property
    def single_cell(self) -> bool:
        return self.r1 == self.r0 + 1 and self.c1 == self.c0 + 1

    def grid_range(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sheetId": self.sheet.sheet_id}
        if self.r0:
            out["startRowIndex"] = self.r0
        if self.r1 is not None:
            out["endRowIndex"] = self.r1
        if self.c0:
            out["startColumnIndex"] = self.c0
        if self.c1 is not None:
            out["endColumnIndex"] = self.c1
        return out


def _from_span(sheet: Sheet, span: CellSpan | None) -> Target:
    if span is None:
        return Target(sheet, 0, None, 0, None)
    return Target(sheet, span.r0 or 0, span.r1, span.c0 or 0, span.c1)


def resolve_a1(book: Spreadsheet, text: str) -> Target:
    """Resolve ``text``; unknown sheets and garbage give 400 ``Unable to parse range``."""
    try:
        parsed = parse_a1(text)
    except ApiError:
        prefixed = _named_after_title(book, text)
        if prefixed is None:
            raise
        return prefixed
    if parsed.bare is not None:
        sheet = book.sheet_by_title(parsed.bare)
        if sheet is not None:
            return _from_span(sheet, None)
        named = next((n for n in book.named_ranges if n.get("name") == parsed.bare), None)
        if named is not None:
            return resolve_grid_range(book, named.get("range", {}))
        raise unparsable(text)
    if parsed.title is None:
        if not book.sheets:
            raise unparsable(text)
        return _from_span(book.first_visible(), parsed.span)
    sheet = book.sheet_by_title(parsed.title)
    if sheet is None:
        raise unparsable(text)
    return _from_span(sheet, parsed.span)


def _named_after_title(book: Spreadsheet, text: str) -> Target | None:
    """``'Sheet1'!MyRange``: a named range addressed with its sheet's title."""
    _, bang, name = text.rpartition("!")
    if not bang:
        return None
    named = next((n for n in book.named_ranges if n.get("name") == name), None)
    return resolve_grid_range(book, named.get("range", {})) if named else None


def resolve_grid_range(book: Spreadsheet, grid: dict[str, Any]) -> Target:
    sheet = book.sheet_by_id(int(grid.get("sheetId") or 0))
    if sheet is None:
        raise bad_request(f"No grid with id: {grid.get('sheetId') or 0}")
    return Target(
        sheet,
        int(grid.get("startRowIndex") or 0),
        _opt_int(grid.get("endRowIndex")),
        int(grid.get("startColumnIndex") or 0),
        _opt_int(grid.get("endColumnIndex")),
    )


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def span_of(text: str) -> CellSpan:
    return parse_span(text, text)
