"""Keep stored GridRanges (merges, protected/named ranges, filters) in step with
row/column inserts and deletes.  Cells, formats and metadata need no such help:
they hang off Row/Col objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.support.standin.state import Sheet, Spreadsheet

JsonObj = dict[str, Any]


def _ranges(book: Spreadsheet, sheet: Sheet) -> Iterator[JsonObj]:
    yield from sheet.extras.get("merges", [])
    for protected in sheet.extras.get("protectedRanges", []):
        if isinstance(protected.get("range"), dict):
            yield protected["range"]
    basic = sheet.extras.get("basicFilter")
    if isinstance(basic, dict) and isinstance(basic.get("range"), dict):
        yield basic["range"]
    for rule in sheet.extras.get("conditionalFormats", []):
        yield from rule.get("ranges", [])
    for named in book.named_ranges:
        rng = named.get("range", {})
        if int(rng.get("sheetId") or 0) == sheet.sheet_id:
            yield rng


def shift(book: Spreadsheet, sheet: Sheet, dimension: str, at: int, delta: int) -> None:
    """Rows/columns ``at..`` moved by ``delta`` (positive: inserted; negative: deleted)."""
    start_key, end_key = (
        ("startRowIndex", "endRowIndex")
        if dimension == "ROWS"
        else ("startColumnIndex", "endColumnIndex")
    )
    for rng in _ranges(book, sheet):
        for key in (start_key, end_key):
            if rng.get(key) is None:
                continue
            index = int(rng[key])
            if delta > 0 and (index > at or (index == at and key == start_key)):
                rng[key] = index + delta
            elif delta < 0:
                gone_end = at - delta
                if index >= gone_end:
                    rng[key] = index + delta
                elif index > at:
                    rng[key] = at
    merges = sheet.extras.get("merges")
    if merges:
        sheet.extras["merges"] = [m for m in merges if _non_empty(m)]


def _non_empty(rng: JsonObj) -> bool:
    r0, r1 = int(rng.get("startRowIndex") or 0), rng.get("endRowIndex")
    c0, c1 = int(rng.get("startColumnIndex") or 0), rng.get("endColumnIndex")
    return (r1 is None or int(r1) > r0) and (c1 is None or int(c1) > c0)
