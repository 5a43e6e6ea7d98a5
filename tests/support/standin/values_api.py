"""``spreadsheets.values.*``: get, batchGet, update, batchUpdate, clear, batchClear."""

from __future__ import annotations

from typing import Any

from tests.support.standin.errors import bad_request
from tests.support.standin.grid_io import (
    PlannedWrite,
    WriteResult,
    check_matrix,
    plan_block,
    to_rows,
    value_range,
)
from tests.support.standin.ranges import Target, resolve_a1
from tests.support.standin.state import Spreadsheet

JsonObj = dict[str, Any]
Query = dict[str, list[str]]
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")


def q1(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[-1] if values else default


def render_option(value: str | None) -> str:
    option = value or "FORMATTED_VALUE"
    if option not in RENDER_OPTIONS:
        raise bad_request(f"Invalid value at 'value_render_option', \"{option}\"")
    return option


def input_option(value: Any) -> str:
    if not value:
        raise bad_request("'valueInputOption' is required but not specified")
    if value not in INPUT_OPTIONS:
        raise bad_request(f"Invalid value at 'value_input_option', \"{value}\"")
    return str(value)


def major_option(value: Any) -> str:
    major = value or "ROWS"
    if major not in ("ROWS", "COLUMNS"):
        raise bad_request(f"Invalid value at 'major_dimension', \"{major}\"")
    return str(major)


def check_read_bounds(target: Target, text: str) -> None:
    rows, cols = target.sheet.row_count, target.sheet.col_count
    if (target.r1 is not None and target.r1 > rows) or (target.c1 is not None and target.c1 > cols):
        raise bad_request(
            f"Range ({text}) exceeds grid limits. Max rows: {rows}, max columns: {cols}"
        )


def read_range(
    book: Spreadsheet, text: str, option: str, major: str, dt_option: str | None = None
) -> JsonObj:
    target = resolve_a1(book, text)
    check_read_bounds(target, text)
    return value_range(target, option, major, dt_option)


def get(book: Spreadsheet, range_text: str, query: Query) -> JsonObj:
    option = render_option(q1(query, "valueRenderOption"))
    major = major_option(q1(query, "majorDimension"))
    return read_range(book, range_text, option, major, q1(query, "dateTimeRenderOption"))


def batch_get(book: Spreadsheet, query: Query) -> JsonObj:
    option = render_option(q1(query, "valueRenderOption"))
    major = major_option(q1(query, "majorDimension"))
    ranges = query.get("ranges", [])
    dt_option = q1(query, "dateTimeRenderOption")
    value_ranges = [read_range(book, text, option, major, dt_option) for text in ranges]
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    if value_ranges:
        out["valueRanges"] = value_ranges
    return out


def plan_one(
    target: Target,
    values: Any,
    major: Any,
    option: str,
    strict: bool,
    field_name: str = "data.values",
) -> PlannedWrite:
    rows = to_rows(check_matrix(values, field_name), major_option(major))
    return plan_block(target, rows, option, strict, range_text=target.a1())


def updated_data(target: WriteResult, book: Spreadsheet, option: str) -> JsonObj:
    return read_range(book, target.a1(), option, "ROWS")


def update(book: Spreadsheet, range_text: str, query: Query, body: Any, strict: bool) -> JsonObj:
    body = body if isinstance(body, dict) else {}
    values = check_matrix(body.get("values"))
    option = input_option(q1(query, "valueInputOption"))
    target = resolve_a1(book, range_text)
    result = plan_one(target, values, body.get("majorDimension"), option, strict).apply()
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id, **result.counts()}
    if (q1(query, "includeValuesInResponse") or "false").lower() == "true":
        render = render_option(q1(query, "responseValueRenderOption"))
        out["updatedData"] = updated_data(result, book, render)
    return out


def totals(book: Spreadsheet, results: list[WriteResult]) -> JsonObj:
    rows = {(r.sheet_title, i) for r in results for i in r.rows}
    cols = {(r.sheet_title, i) for r in results for i in r.cols}
    sheets = {r.sheet_title for r in results if r.cells}
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    for key, number in (
        ("totalUpdatedRows", len(rows)),
        ("totalUpdatedColumns", len(cols)),
        ("totalUpdatedCells", sum(r.cells for r in results)),
        ("totalUpdatedSheets", len(sheets)),
    ):
        if number:
            out[key] = number
    return out


def batch_update(book: Spreadsheet, body: Any, strict: bool) -> JsonObj:
    body = body if isinstance(body, dict) else {}
    option = input_option(body.get("valueInputOption"))
    data = body.get("data") or []
    for i, item in enumerate(data):
        check_matrix(item.get("values"), f"data[{i}].values")
    plans = [
        plan_one(
            resolve_a1(book, str(item.get("range", ""))),
            item.get("values"),
            item.get("majorDimension"),
            option,
            strict,
            f"data[{i}].values",
        )
        for i, item in enumerate(data)
    ]
    results = [plan.apply() for plan in plans]
    out = totals(book, results)
    include = bool(body.get("includeValuesInResponse"))
    render = render_option(body.get("responseValueRenderOption"))
    responses = []
    for result in results:
        entry: JsonObj = {"spreadsheetId": book.spreadsheet_id, **result.counts()}
        if include:
            entry["updatedData"] = updated_data(result, book, render)
        responses.append(entry)
    if responses:
        out["responses"] = responses
    return out


def clear_target(target: Target) -> str:
    r0, r1, c0, c1 = target.clipped()
    sheet = target.sheet
    for r in range(r0, r1):
        row = sheet.rows[r]
        for c in range(c0, c1):
            cell = row.cells.get(sheet.cols[c])
            if cell is not None:
                cell.value = None
    return target.a1()


def clear(book: Spreadsheet, range_text: str) -> JsonObj:
    target = resolve_a1(book, range_text)
    return {"spreadsheetId": book.spreadsheet_id, "clearedRange": clear_target(target)}


def batch_clear(book: Spreadsheet, body: Any) -> JsonObj:
    ranges = (body or {}).get("ranges") or []
    targets = [resolve_a1(book, str(text)) for text in ranges]
    cleared = [clear_target(t) for t in targets]
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    if cleared:
        out["clearedRanges"] = cleared
    return out
