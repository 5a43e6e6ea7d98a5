"""Row/column requests: insert, delete, move, append, sort, properties, groups."""

from __future__ import annotations

from typing import Any

from tests.support.standin.batch_api import BatchContext, Invalid, handler
from tests.support.standin.cells import CellValue
from tests.support.standin.ranges import resolve_grid_range
from tests.support.standin.shift import shift
from tests.support.standin.state import Col, Row, Sheet, Spreadsheet

JsonObj = dict[str, Any]


def _sheet(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise Invalid(f"No grid with id: {int(sheet_id or 0)}")
    return sheet


def _dim_range(book: Spreadsheet, rng: JsonObj) -> tuple[Sheet, bool, int, int]:
    sheet = _sheet(book, rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise Invalid("dimension must be ROWS or COLUMNS.")
    is_rows = dimension == "ROWS"
    size = sheet.row_count if is_rows else sheet.col_count
    start = int(rng.get("startIndex") or 0)
    end = int(rng["endIndex"]) if rng.get("endIndex") is not None else size
    if start < 0 or end < start:
        raise Invalid(f"Invalid dimension range {start}:{end}.")
    return sheet, is_rows, start, end


@handler("insertDimension")
def insert_dimension(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet, is_rows, start, end = _dim_range(book, req.get("range") or {})
    size = sheet.row_count if is_rows else sheet.col_count
    if start > size:
        what = "row" if is_rows else "column"
        raise Invalid(f"range.startIndex ({start}) is after the last {what}.")
    if req.get("inheritFromBefore") and start == 0:
        raise Invalid("Cannot inherit properties from before if inserting at the beginning.")
    if is_rows:
        sheet.rows[start:start] = [Row() for _ in range(end - start)]
    else:
        sheet.cols[start:start] = [Col() for _ in range(end - start)]
    shift(book, sheet, "ROWS" if is_rows else "COLUMNS", start, end - start)


@handler("appendDimension")
def append_dimension(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet = _sheet(book, req.get("sheetId"))
    length = int(req.get("length") or 0)
    if length <= 0:
        raise Invalid("length must be positive.")
    if req.get("dimension") == "ROWS":
        sheet.rows.extend(Row() for _ in range(length))
    else:
        sheet.cols.extend(Col() for _ in range(length))


def delete_span(book: Spreadsheet, sheet: Sheet, is_rows: bool, start: int, end: int) -> None:
    """Delete rows/columns [start, end) together with their metadata."""
    if is_rows:
        if start == 0 and end >= sheet.row_count:
            raise Invalid("You can't delete all the rows on the sheet.")
        gone_rows = sheet.rows[start:end]
        del sheet.rows[start:end]
        book.forget_rows(sheet, {r.uid for r in gone_rows})
    else:
        if start == 0 and end >= sheet.col_count:
            raise Invalid("You can't delete all the columns on the sheet.")
        gone_cols = sheet.cols[start:end]
        del sheet.cols[start:end]
        for row in sheet.rows:
            for col in gone_cols:
                row.cells.pop(col, None)
        book.forget_cols(sheet, gone_cols)
    shift(book, sheet, "ROWS" if is_rows else "COLUMNS", start, start - end)


@handler("deleteDimension")
def delete_dimension(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet, is_rows, start, end = _dim_range(book, req.get("range") or {})
    size = sheet.row_count if is_rows else sheet.col_count
    end = min(end, size)
    if start >= end:
        raise Invalid("The range must not be empty.")
    delete_span(book, sheet, is_rows, start, end)


def move_span(items: list[Any], start: int, end: int, dest: int) -> None:
    """moveDimension: ``dest`` is an index in the coordinates before the move."""
    block = items[start:end]
    del items[start:end]
    at = dest if dest <= start else dest - (end - start)
    items[at:at] = block


@handler("moveDimension")
def move_dimension(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet, is_rows, start, end = _dim_range(book, req.get("source") or {})
    dest = int(req.get("destinationIndex") or 0)
    size = sheet.row_count if is_rows else sheet.col_count
    if not 0 <= dest <= size:
        raise Invalid(f"destinationIndex {dest} is outside the grid.")
    if start < dest < end:
        raise Invalid("destinationIndex must not be inside the source range.")
    move_span(sheet.rows if is_rows else sheet.cols, start, end, dest)


def _sort_key(value: CellValue | None) -> tuple[int, Any]:
    shown = value.result if value is not None and value.kind == "formula" else value
    if shown is None:
        return (3, 0)
    if shown.kind == "number":
        return (0, shown.value)
    if shown.kind == "string":
        return (1, str(shown.value).casefold())
    return (2, shown.value)


def sort_rows(
    book: Spreadsheet,
    sheet: Sheet,
    r0: int,
    r1: int,
    c0: int,
    c1: int,
    specs: list[tuple[int, bool]],
    moves_metadata: bool,
) -> None:
    """Sort rows r0..r1 by ``specs`` [(column, ascending)]; blanks always last."""
    indexes = list(range(r0, r1))
    for col, ascending in reversed(specs):
        keyed = [(i, _sort_key(sheet.get(i, col))) for i in indexes]
        blanks = [i for i, k in keyed if k[0] == 3]
        filled = [(i, k) for i, k in keyed if k[0] != 3]
        filled.sort(key=lambda item: item[1], reverse=not ascending)
        indexes = [i for i, _ in filled] + blanks
    old_rows = sheet.rows[r0:r1]
    whole_rows = c0 == 0 and c1 >= sheet.col_count
    if whole_rows:
        sheet.rows[r0:r1] = [sheet.rows[i] for i in indexes]
        if not moves_metadata:
            _pin_metadata(book, sheet, old_rows, r0)
        return
    cols = sheet.cols[c0:c1]
    moved = [
        {col: sheet.rows[i].cells.pop(col) for col in cols if col in sheet.rows[i].cells}
        for i in indexes
    ]
    for offset, cells in enumerate(moved):
        sheet.rows[r0 + offset].cells.update(cells)
    if moves_metadata:
        new_of_old = {old_rows[i - r0].uid: sheet.rows[r0 + pos] for pos, i in enumerate(indexes)}
        for meta in book.metadata:
            if meta.sheet is sheet and meta.location_type == "ROW":
                meta.rows = [new_of_old.get(r.uid, r) for r in meta.rows]


def _pin_metadata(book: Spreadsheet, sheet: Sheet, old_rows: list[Row], r0: int) -> None:
    """Put row metadata back on the row index it had before the sort."""
    position = {row.uid: r0 + i for i, row in enumerate(old_rows)}
    for meta in book.metadata:
        if meta.sheet is sheet and meta.location_type == "ROW":
            meta.rows = [sheet.rows[position[r.uid]] if r.uid in position else r for r in meta.rows]


@handler("sortRange")
def sort_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    target = resolve_grid_range(book, req.get("range") or {})
    r0, r1, c0, c1 = target.clipped()
    specs = []
    for spec in req.get("sortSpecs") or [{}]:
        col = int(spec.get("dimensionIndex") or 0)
        if not c0 <= col < c1:
            raise Invalid("sortSpecs dimensionIndex must be inside the sorted range.")
        specs.append((col, spec.get("sortOrder", "ASCENDING") != "DESCENDING"))
    sort_rows(book, target.sheet, r0, r1, c0, c1, specs, ctx.sort_moves_metadata)


@handler("updateDimensionProperties")
def update_dimension_properties(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet, is_rows, start, end = _dim_range(book, req.get("range") or {})
    fields = [f.strip() for f in str(req.get("fields") or "").split(",") if f.strip()]
    if not fields:
        raise Invalid("At least one field must be specified in 'fields'.")
    props = req.get("properties") or {}
    items = sheet.rows if is_rows else sheet.cols
    for item in items[start:end]:
        for field in fields:
            names = list(props) if field == "*" else [field]
            for name in names:
                if props.get(name) is None:
                    item.props.pop(name, None)
                else:
                    item.props[name] = props[name]


@handler("autoResizeDimensions")
def auto_resize(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    dims = req.get("dimensions") or req.get("dataSourceSheetDimensions")
    if not isinstance(dims, dict):
        raise Invalid("dimensions must be specified.")
    _dim_range(book, dims)  # validated; widths depend on fonts, so they stay unchanged


def _groups(sheet: Sheet, is_rows: bool) -> list[JsonObj]:
    key = "rowGroups" if is_rows else "columnGroups"
    groups: list[JsonObj] = sheet.extras.setdefault(key, [])
    return groups


@handler("addDimensionGroup")
def add_group(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    sheet, is_rows, start, end = _dim_range(book, req.get("range") or {})
    groups = _groups(sheet, is_rows)
    dim = "ROWS" if is_rows else "COLUMNS"
    depth = 1 + sum(
        1 for g in groups if g["range"]["startIndex"] <= start and end <= g["range"]["endIndex"]
    )
    rng: JsonObj = {"dimension": dim, "startIndex": start, "endIndex": end}
    if sheet.sheet_id:
        rng = {"sheetId": sheet.sheet_id, **rng}
    groups.append({"range": rng, "depth": depth})
    control = "rowGroupControlAfter" if is_rows else "columnGroupControlAfter"
    sheet.grid_extra.setdefault(control, True)  # the API turns this on with the first group
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))
    return {"addDimensionGroup": {"dimensionGroups": [dict(g) for g in groups]}}


@handler("deleteDimensionGroup")
def delete_group(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    sheet, is_rows, start, end = _dim_range(book, req.get("range") or {})
    groups = _groups(sheet, is_rows)
    keep = [
        g
        for g in groups
        if not (g["range"]["startIndex"] == start and g["range"]["endIndex"] == end)
    ]
    if len(keep) == len(groups):
        raise Invalid("No dimension group matches the range.")
    groups[:] = keep
    reply: JsonObj = {"dimensionGroups": [dict(g) for g in keep]} if keep else {}
    return {"deleteDimensionGroup": reply}
