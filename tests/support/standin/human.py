""" "A person edits the sheet now": direct state changes, not API calls.

Rows and columns are 0-based here and the header is row 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.standin.cells import CellValue, parse_user_entered
from tests.support.standin.req_dims import delete_span, move_span, sort_rows
from tests.support.standin.shift import shift
from tests.support.standin.state import Row, Sheet, Spreadsheet

if TYPE_CHECKING:
    from tests.support.standin.standin import SheetsStandIn


def typed(value: Any) -> CellValue | None:
    """What typing ``value`` into the UI stores (formulas too: people may type them)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return CellValue("bool", value)
    if isinstance(value, int | float):
        return CellValue("number", float(value))
    return parse_user_entered(str(value))


class Human:
    def __init__(self, api: SheetsStandIn) -> None:
        self._api = api

    def _target(self, sid: str, tab: str) -> tuple[Spreadsheet, Sheet]:
        book = self._api.book(sid)
        sheet = book.sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in spreadsheet {sid}")
        return book, sheet

    def edit_cell(self, sid: str, tab: str, row: int, col: int, value: Any) -> None:
        with self._api.lock:
            _, sheet = self._target(sid, tab)
            sheet.set(row, col, typed(value))

    def insert_rows(self, sid: str, tab: str, at: int, count: int = 1) -> None:
        with self._api.lock:
            book, sheet = self._target(sid, tab)
            sheet.rows[at:at] = [Row() for _ in range(count)]
            shift(book, sheet, "ROWS", at, count)

    def delete_rows(self, sid: str, tab: str, at: int, count: int = 1) -> None:
        with self._api.lock:
            book, sheet = self._target(sid, tab)
            delete_span(book, sheet, True, at, min(at + count, sheet.row_count))

    def move_rows(self, sid: str, tab: str, start: int, end: int, dest: int) -> None:
        """Move rows [start, end) before row ``dest`` (pre-move index), like moveDimension."""
        with self._api.lock:
            _, sheet = self._target(sid, tab)
            if start < dest < end:
                raise ValueError("dest must not be inside the moved rows")
            move_span(sheet.rows, start, end, dest)

    def sort(
        self, sid: str, tab: str, col: int, ascending: bool = True, header_rows: int = 1
    ) -> None:
        """Sort the whole tab below ``header_rows`` by one column; blanks sort last."""
        with self._api.lock:
            book, sheet = self._target(sid, tab)
            sort_rows(
                book,
                sheet,
                header_rows,
                sheet.row_count,
                0,
                sheet.col_count,
                [(col, ascending)],
                self._api.sort_moves_metadata,
            )
