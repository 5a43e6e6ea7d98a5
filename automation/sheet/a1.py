"""Spreadsheet cell names, for messages that point a person at a cell."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_name(tab: str, row: int, col: int) -> str:
    """``Tab!B4`` for 0-based grid ``row`` (0 is the header row) and ``col``."""
    return f"{tab}!{column_letter(col)}{row + 1}"
