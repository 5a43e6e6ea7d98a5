"""``GET /v4/spreadsheets/{id}``: properties, sheets, metadata and optional grid data."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.standin import fieldmask, metadata
from tests.support.standin.cells import formatted, to_extended
from tests.support.standin.defaults import DEFAULT_FORMAT, SPREADSHEET_THEME
from tests.support.standin.ranges import Target, resolve_a1
from tests.support.standin.state import Sheet, Spreadsheet

JsonObj = dict[str, Any]
Query = dict[str, list[str]]
GRID_KEYS = (
    "frozenRowCount",
    "frozenColumnCount",
    "hideGridlines",
    "rowGroupControlAfter",
    "columnGroupControlAfter",
)


def sheet_properties(book: Spreadsheet, sheet: Sheet) -> JsonObj:
    grid: JsonObj = {"rowCount": sheet.row_count, "columnCount": sheet.col_count}
    for key in GRID_KEYS:
        if sheet.grid_extra.get(key):
            grid[key] = sheet.grid_extra[key]
    props: JsonObj = {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": book.sheets.index(sheet),
        "sheetType": sheet.sheet_type,
        "gridProperties": grid,
    }
    if sheet.hidden:
        props["hidden"] = True
    props.update(copy.deepcopy(sheet.props))
    return props


def _sheet_json(book: Spreadsheet, sheet: Sheet) -> JsonObj:
    out: JsonObj = {"properties": sheet_properties(book, sheet)}
    for key in (
        "merges",
        "conditionalFormats",
        "protectedRanges",
        "basicFilter",
        "rowGroups",
        "columnGroups",
        "bandedRanges",
        "filterViews",
    ):
        value = sheet.extras.get(key)
        if value:
            out[key] = copy.deepcopy(value)
    metas = [metadata.to_json(book, m) for m in book.metadata if m.sheet is sheet]
    if metas:
        out["developerMetadata"] = metas
    return out


def _cell_json(sheet: Sheet, r: int, c: int) -> JsonObj:
    cell = sheet.peek_cell(r, c)
    if cell is None:
        return {}
    out: JsonObj = {}
    entered = to_extended(cell.value)
    if entered is not None:
        out["userEnteredValue"] = entered
        result = cell.value.result if cell.value and cell.value.kind == "formula" else cell.value
        effective = to_extended(result)
        if effective is not None:
            out["effectiveValue"] = effective
        out["formattedValue"] = formatted(cell.value)
    for key, value in cell.extra.items():
        # No copy: the response is serialised straight away and never mutated, and
        # a per-cell deepcopy made a 200-row read take seconds.
        out[key] = value
        if key == "userEnteredFormat":
            out["effectiveFormat"] = _effective_format(value)
    return out


def _effective_format(entered: JsonObj) -> JsonObj:
    merged = copy.deepcopy(DEFAULT_FORMAT)
    for key, value in entered.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key].update(copy.deepcopy(value))
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def grid_data(target: Target) -> JsonObj:
    r0, r1, c0, c1 = target.clipped()
    sheet = target.sheet
    out: JsonObj = {}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    rows: list[JsonObj] = []
    for r in range(r0, r1):
        cells = [_cell_json(sheet, r, c) for c in range(c0, c1)]
        while cells and not cells[-1]:
            cells.pop()
        rows.append({"values": cells} if cells else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        out["rowData"] = rows
    out["rowMetadata"] = [
        {"pixelSize": sheet.rows[r].props.get("pixelSize", 21), **_dim_flags(sheet.rows[r].props)}
        for r in range(r0, r1)
    ]
    out["columnMetadata"] = [
        {"pixelSize": sheet.cols[c].props.get("pixelSize", 100), **_dim_flags(sheet.cols[c].props)}
        for c in range(c0, c1)
    ]
    return out


def _dim_flags(props: dict[str, Any]) -> JsonObj:
    return {k: v for k, v in props.items() if k != "pixelSize" and v}


def get(book: Spreadsheet, query: Query) -> JsonObj:
    include = (query.get("includeGridData") or ["false"])[-1].lower() == "true"
    ranges = query.get("ranges", [])
    fields = (query.get("fields") or [""])[-1]
    properties: JsonObj = {
        "title": book.title,
        "locale": book.locale,
        "autoRecalc": book.auto_recalc,
        "timeZone": book.time_zone,
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(SPREADSHEET_THEME),
        **copy.deepcopy(book.extra_props),
    }
    wants_data = include or "data" in fields.replace("/", ".").split(".")
    if ranges:
        targets = [resolve_a1(book, text) for text in ranges]
        sheets = []
        for sheet in book.sheets:
            mine = [t for t in targets if t.sheet is sheet]
            if mine:
                entry = _sheet_json(book, sheet)
                if wants_data:
                    entry["data"] = [grid_data(t) for t in mine]
                sheets.append(entry)
    else:
        sheets = []
        for sheet in book.sheets:
            entry = _sheet_json(book, sheet)
            if wants_data:
                entry["data"] = [grid_data(Target(sheet, 0, None, 0, None))]
            sheets.append(entry)
    out: JsonObj = {
        "spreadsheetId": book.spreadsheet_id,
        "properties": properties,
        "sheets": sheets,
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    metas = [metadata.to_json(book, m) for m in book.metadata if m.location_type == "SPREADSHEET"]
    if metas:
        out["developerMetadata"] = metas
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit"
    if fields:
        out = fieldmask.apply(out, fieldmask.parse(fields))
    return dict(out)
