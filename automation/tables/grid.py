"""Reading an owner-edited tab: columns by header name, cells named ``Tab!A1``.

A ``Sheet`` wraps one tab's ``Grid`` and collects problems as sentences that
name the cell, so the owner can find and fix each one in the spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from automation.ports import Grid
from automation.sheet.a1 import cell_name


def _norm(header: str) -> str:
    return " ".join(header.split()).casefold()


@dataclass
class Row:
    """One data row; ``get`` reads by header name, ``where`` names the cell."""

    sheet: Sheet
    index: int
    cells: tuple[str, ...]

    def get(self, column: str) -> str:
        col = self.sheet.columns.get(_norm(column))
        if col is None or col >= len(self.cells):
            return ""
        return self.cells[col].strip()

    def where(self, column: str) -> str:
        col = self.sheet.columns.get(_norm(column))
        return cell_name(self.sheet.title, self.index, col if col is not None else 0)

    def problem(self, column: str, text: str) -> None:
        value = self.get(column)
        if value.startswith("="):  # the workbook gives formulas as typed: say so
            text = (
                f"holds a formula ({value[:60]}); sheetdesk reads what is typed, not what a "
                "formula computes: type the value itself"
            )
        self.sheet.problems.append(f"{self.where(column)}: {text}")


@dataclass
class Sheet:
    """A tab being parsed.  Missing required headers are reported once."""

    title: str
    grid: Grid
    required: Sequence[str]
    problems: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        header = self.grid[0] if self.grid else ()
        for col, name in enumerate(header):
            key = _norm(name)
            if not key:
                continue
            if key in self.columns:
                self.problems.append(
                    f"{cell_name(self.title, 0, col)}: header {name.strip()!r} appears twice"
                )
                continue
            self.columns[key] = col
        for name in self.required:
            if _norm(name) not in self.columns:
                where = cell_name(self.title, 0, len(header))
                self.problems.append(f"{where}: required header {name!r} is missing")

    @property
    def usable(self) -> bool:
        return all(_norm(name) in self.columns for name in self.required)

    def rows(self) -> Iterator[Row]:
        """Data rows that have any text; blank rows are spacing, not mistakes."""
        if not self.usable:
            return
        for index, cells in enumerate(self.grid[1:], start=1):
            if any(cell.strip() for cell in cells):
                yield Row(self, index, tuple(cells))


def split_list(text: str) -> list[str]:
    """Comma-, semicolon- or newline-separated items, trimmed, blanks dropped."""
    for sep in (";", "\n"):
        text = text.replace(sep, ",")
    return [item.strip() for item in text.split(",") if item.strip()]
