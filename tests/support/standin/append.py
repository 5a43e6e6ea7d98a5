"""``values.append``: find the table in the input range, write below it.

The rule (fitted to recorded traffic and gspread issue #537, not documented):

* single-cell range: an empty anchor means no table and data goes at the anchor;
  otherwise the table grows right and down from the anchor;
* larger range: the table is the block grown in all four directions around the
  last non-empty cell of the range (row-major order);
* data is written on the row after the table, starting at the table's first
  column; a fully blank row therefore ends a table, so appends land in the gap.
"""

from __future__ import annotations

from typing import Any

from tests.support.standin.a1 import format_range
from tests.support.standin.grid_io import check_matrix, plan_block, to_rows
from tests.support.standin.ranges import Target, resolve_a1
from tests.support.standin.shift import shift
from tests.support.standin.state import Row, Sheet, Spreadsheet
from tests.support.standin.values_api import (
    Query,
    input_option,
    major_option,
    q1,
    render_option,
    updated_data,
)

JsonObj = dict[str, Any]
Box = list[int]  # [r0, r1, c0, c1], half-open


def _filled(sheet: Sheet, r: int, c: int) -> bool:
    return sheet.get(r, c) is not None


def _grow(sheet: Sheet, box: Box, limits: Box, four_ways: bool) -> Box:
    r0, r1, c0, c1 = box
    lr0, lr1, lc0, lc1 = limits
    changed = True
    while changed:
        changed = False
        if r1 < lr1 and any(_filled(sheet, r1, c) for c in range(c0, c1)):
            r1 += 1
            changed = True
        if c1 < lc1 and any(_filled(sheet, r, c1) for r in range(r0, r1)):
            c1 += 1
            changed = True
        if four_ways and r0 > lr0 and any(_filled(sheet, r0 - 1, c) for c in range(c0, c1)):
            r0 -= 1
            changed = True
        if four_ways and c0 > lc0 and any(_filled(sheet, r, c0 - 1) for r in range(r0, r1)):
            c0 -= 1
            changed = True
    return [r0, r1, c0, c1]


def find_table(target: Target) -> Box | None:
    sheet = target.sheet
    r0, r1, c0, c1 = target.clipped()
    if target.single_cell:
        if not _filled(sheet, r0, c0):
            return None
        limits = [r0, sheet.row_count, c0, sheet.col_count]
        return _grow(sheet, [r0, r0 + 1, c0, c0 + 1], limits, four_ways=False)
    last: tuple[int, int] | None = None
    for r in range(r1 - 1, r0 - 1, -1):
        row = sheet.rows[r]
        if not row.cells:
            continue
        for c in range(c1 - 1, c0 - 1, -1):
            if _filled(sheet, r, c):
                last = (r, c)
                break
        if last:
            break
    if last is None:
        return None
    r, c = last
    return _grow(sheet, [r, r + 1, c, c + 1], [r0, r1, c0, c1], four_ways=True)


def append(book: Spreadsheet, range_text: str, query: Query, body: Any, strict: bool) -> JsonObj:
    body = body if isinstance(body, dict) else {}
    values = check_matrix(body.get("values"))
    option = input_option(q1(query, "valueInputOption"))
    insert_option = q1(query, "insertDataOption") or "OVERWRITE"
    if insert_option not in ("OVERWRITE", "INSERT_ROWS"):
        raise_bad(insert_option)
    target = resolve_a1(book, range_text)
    rows = to_rows(values, major_option(body.get("majorDimension")))
    table = find_table(target)
    if table is None:
        r0, _, c0, _ = target.clipped()
        at = (r0, c0)
    else:
        at = (table[1], table[2])
    plan = plan_block(target, rows, option, strict, at=at)
    if insert_option == "INSERT_ROWS" and rows:
        target.sheet.rows[at[0] : at[0]] = [Row() for _ in rows]
        shift(book, target.sheet, "ROWS", at[0], len(rows))
    result = plan.apply()
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    if table is not None:
        out["tableRange"] = format_range(target.sheet.title, *table)
    updates: JsonObj = {"spreadsheetId": book.spreadsheet_id, **result.counts()}
    if (q1(query, "includeValuesInResponse") or "false").lower() == "true":
        render = render_option(q1(query, "responseValueRenderOption"))
        updates["updatedData"] = updated_data(result, book, render)
    out["updates"] = updates
    return out


def raise_bad(option: str) -> None:
    from tests.support.standin.errors import bad_request

    raise bad_request(f"Invalid value at 'insert_data_option', \"{option}\"")
