"""Sheet-level requests: add/delete sheet, update sheet and spreadsheet properties."""

from __future__ import annotations

import copy
import random
from typing import Any

from tests.support.standin.batch_api import BatchContext, Invalid, handler
from tests.support.standin.colors import mirror
from tests.support.standin.req_dims import delete_span
from tests.support.standin.spreadsheet_api import sheet_properties
from tests.support.standin.state import Col, Row, Sheet, Spreadsheet

JsonObj = dict[str, Any]
GRID_EXTRA = (
    "frozenRowCount",
    "frozenColumnCount",
    "hideGridlines",
    "rowGroupControlAfter",
    "columnGroupControlAfter",
)
PLAIN_PROPS = ("tabColor", "tabColorStyle", "rightToLeft")


def _duplicate_title(title: str) -> Invalid:
    return Invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')


def _twin(key: str) -> str:
    """tabColor <-> tabColorStyle."""
    return key[: -len("Style")] if key.endswith("Style") else f"{key}Style"


def _fresh_id(book: Spreadsheet) -> int:
    rng = random.Random(f"{book.spreadsheet_id}:{len(book.sheets)}:{book.next_id}")
    while True:
        candidate = rng.randrange(1, 2**31 - 1)
        if book.sheet_by_id(candidate) is None:
            return candidate


@handler("addSheet")
def add_sheet(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    props = req.get("properties") or {}
    title = props.get("title")
    if not title:
        n = len(book.sheets) + 1
        while book.sheet_by_title(f"Sheet{n}") is not None:
            n += 1
        title = f"Sheet{n}"
    if book.sheet_by_title(title) is not None:
        raise _duplicate_title(title)
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = _fresh_id(book)
    elif book.sheet_by_id(int(sheet_id)) is not None:
        raise Invalid(f"A sheet with the id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    rows = int(grid.get("rowCount") or 1000)
    cols = int(grid.get("columnCount") or 26)
    sheet = Sheet.blank(int(sheet_id), str(title), rows, cols)
    sheet.hidden = bool(props.get("hidden"))
    sheet.sheet_type = props.get("sheetType") or "GRID"
    for key in GRID_EXTRA:
        if grid.get(key):
            sheet.grid_extra[key] = grid[key]
    for key in PLAIN_PROPS:
        if props.get(key) is not None:
            sheet.props[key] = copy.deepcopy(props[key])
    mirror(sheet.props)
    index = props.get("index")
    at = len(book.sheets) if index is None else max(0, min(int(index), len(book.sheets)))
    book.sheets.insert(at, sheet)
    return {"addSheet": {"properties": sheet_properties(book, sheet)}}


@handler("deleteSheet")
def delete_sheet(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet = book.sheet_by_id(int(req.get("sheetId") or 0))
    if sheet is None:
        raise Invalid(f"No sheet with id: {int(req.get('sheetId') or 0)}")
    if len(book.sheets) == 1:
        raise Invalid("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.metadata = [m for m in book.metadata if m.sheet is not sheet]


def _fields(req: JsonObj) -> list[str]:
    fields = [f.strip() for f in str(req.get("fields") or "").split(",") if f.strip()]
    if not fields:
        raise Invalid("At least one field must be specified in 'fields'.")
    return fields


def _resize(book: Spreadsheet, sheet: Sheet, is_rows: bool, size: int) -> None:
    current = sheet.row_count if is_rows else sheet.col_count
    if size <= 0:
        raise Invalid(f"Invalid {'rowCount' if is_rows else 'columnCount'}: {size}")
    if size > current:
        if is_rows:
            sheet.rows.extend(Row() for _ in range(size - current))
        else:
            sheet.cols.extend(Col() for _ in range(size - current))
    elif size < current:
        delete_span(book, sheet, is_rows, size, current)


@handler("updateSheetProperties")
def update_sheet_properties(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    props = req.get("properties") or {}
    sheet = book.sheet_by_id(int(props.get("sheetId") or 0))
    if sheet is None:
        raise Invalid(f"No grid with id: {int(props.get('sheetId') or 0)}")
    fields = _fields(req)
    if "*" in fields:
        fields = [k for k in props if k != "sheetId"]
        fields += [f"gridProperties.{k}" for k in (props.get("gridProperties") or {})]
    grid = props.get("gridProperties") or {}
    for field in fields:
        field = field.replace("/", ".")
        if field == "title":
            title = props.get("title") or ""
            other = book.sheet_by_title(title)
            if other is not None and other is not sheet:
                raise _duplicate_title(title)
            sheet.title = title
        elif field == "index":
            book.sheets.remove(sheet)
            index = max(0, min(int(props.get("index") or 0), len(book.sheets)))
            book.sheets.insert(index, sheet)
        elif field == "hidden":
            hidden = bool(props.get("hidden"))
            if hidden and all(s.hidden or s is sheet for s in book.sheets):
                raise Invalid("You can't hide all the sheets in a document.")
            sheet.hidden = hidden
        elif field == "gridProperties":
            for key, value in grid.items():
                _grid_field(book, sheet, key, value)
        elif field.startswith("gridProperties."):
            key = field.split(".", 1)[1]
            _grid_field(book, sheet, key, grid.get(key))
        elif field in PLAIN_PROPS or field.split(".")[0] in PLAIN_PROPS:
            key = field.split(".")[0]
            if props.get(key) is None:
                sheet.props.pop(key, None)
                sheet.props.pop(_twin(key), None)
            else:
                sheet.props[key] = copy.deepcopy(props[key])
                mirror(sheet.props)
        elif field == "sheetId":
            continue
        else:
            raise Invalid(f"Unsupported field for the Sheets stand-in: {field}")


def _grid_field(book: Spreadsheet, sheet: Sheet, key: str, value: Any) -> None:
    if key == "rowCount":
        _resize(book, sheet, True, int(value or 0))
    elif key == "columnCount":
        _resize(book, sheet, False, int(value or 0))
    elif key in GRID_EXTRA:
        if value:
            sheet.grid_extra[key] = value
        else:
            sheet.grid_extra.pop(key, None)
    else:
        raise Invalid(f"Unsupported gridProperties field: {key}")


@handler("updateSpreadsheetProperties")
def update_spreadsheet_properties(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    props = req.get("properties") or {}
    fields = _fields(req)
    if "*" in fields:
        fields = list(props)
    for field in fields:
        value = props.get(field)
        if field == "title":
            book.title = str(value or "")
        elif field == "locale":
            book.locale = str(value or "en_US")
        elif field == "timeZone":
            book.time_zone = str(value or "Etc/GMT")
        elif field == "autoRecalc":
            book.auto_recalc = str(value or "ON_CHANGE")
        elif value is None:
            book.extra_props.pop(field, None)
        else:
            book.extra_props[field] = copy.deepcopy(value)
