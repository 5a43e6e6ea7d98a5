"""Cell requests: updateCells, appendCells, repeatCell, merges, copy/cut, validation,
conditional formats and basic filters.  Formats are stored, never rendered."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.standin import fieldmask
from tests.support.standin.batch_api import BatchContext, Invalid, handler
from tests.support.standin.cells import from_extended
from tests.support.standin.colors import mirror
from tests.support.standin.ranges import Target, resolve_grid_range
from tests.support.standin.state import Cell, Sheet, Spreadsheet

JsonObj = dict[str, Any]
CELL_KEYS = (
    "userEnteredValue",
    "userEnteredFormat",
    "note",
    "dataValidation",
    "hyperlink",
    "textFormatRuns",
    "pivotTable",
)


def _mask(req: JsonObj) -> fieldmask.Tree:
    fields = str(req.get("fields") or "")
    if not fields.strip():
        raise Invalid("At least one field must be specified in 'fields'.")
    return fieldmask.parse(fields)


def _merge(dst: JsonObj, key: str, src: Any, tree: fieldmask.Tree) -> None:
    """Copy ``src`` into ``dst[key]`` limited to ``tree``; absent values clear."""
    if not tree or "*" in tree:
        if src is None:
            dst.pop(key, None)
        else:
            dst[key] = copy.deepcopy(src)
        return
    child = dst.get(key)
    if not isinstance(child, dict):
        child = {}
    for sub, subtree in tree.items():
        _merge(child, sub, src.get(sub) if isinstance(src, dict) else None, subtree)
    if child:
        dst[key] = child
    else:
        dst.pop(key, None)


def apply_cell_data(cell: Cell, data: JsonObj, tree: fieldmask.Tree) -> None:
    keys = CELL_KEYS if "*" in tree else tuple(tree)
    for key in keys:
        if key not in CELL_KEYS:
            raise Invalid(f"Unsupported CellData field for the Sheets stand-in: {key}")
        if key == "userEnteredValue":
            cell.value = from_extended(data.get("userEnteredValue"))
        elif key == "note":
            note = data.get("note")
            if note:
                cell.extra["note"] = str(note)
            else:
                cell.extra.pop("note", None)
        else:
            _merge(cell.extra, key, data.get(key), tree.get(key, {}))
            if key == "userEnteredFormat" and key in cell.extra:
                mirror(cell.extra[key])


def write_rows(
    sheet: Sheet,
    r0: int,
    c0: int,
    rows: list[JsonObj],
    tree: fieldmask.Tree,
    bounds: tuple[int, int] | None = None,
) -> None:
    for i, row in enumerate(rows):
        for j, data in enumerate((row or {}).get("values") or []):
            r, c = r0 + i, c0 + j
            if bounds is not None and (r >= bounds[0] or c >= bounds[1]):
                continue
            apply_cell_data(sheet.cell(r, c), data or {}, tree)


@handler("updateCells")
def update_cells(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    tree = _mask(req)
    rows = req.get("rows") or []
    if req.get("start") is not None:
        start = req["start"]
        target = resolve_grid_range(
            book,
            {
                "sheetId": start.get("sheetId"),
                "startRowIndex": start.get("rowIndex"),
                "startColumnIndex": start.get("columnIndex"),
            },
        )
        write_rows(target.sheet, target.r0, target.c0, rows, tree)
        return
    if req.get("range") is None:
        raise Invalid("Either start or range must be specified.")
    target = resolve_grid_range(book, req["range"])
    r0, r1, c0, c1 = target.clipped()
    for r in range(r0, r1):  # a range clears what the rows don't cover
        for c in range(c0, c1):
            if target.sheet.peek_cell(r, c) is not None:
                apply_cell_data(target.sheet.cell(r, c), {}, tree)
    write_rows(target.sheet, r0, c0, rows, tree, (r1, c1))


@handler("appendCells")
def append_cells(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    tree = _mask(req)
    sheet = book.sheet_by_id(int(req.get("sheetId") or 0))
    if sheet is None:
        raise Invalid(f"No grid with id: {int(req.get('sheetId') or 0)}")
    last_row, _ = sheet.extent()
    write_rows(sheet, last_row, 0, req.get("rows") or [], tree)


@handler("repeatCell")
def repeat_cell(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    tree = _mask(req)
    target = resolve_grid_range(book, req.get("range") or {})
    r0, r1, c0, c1 = target.clipped()
    data = req.get("cell") or {}
    for r in range(r0, r1):
        for c in range(c0, c1):
            apply_cell_data(target.sheet.cell(r, c), data, tree)


def grid_json(target: Target) -> JsonObj:
    r0, r1, c0, c1 = target.clipped()
    out: JsonObj = {}
    if target.sheet.sheet_id:
        out["sheetId"] = target.sheet.sheet_id
    out.update(
        {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    )
    return out


@handler("mergeCells")
def merge_cells(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    target = resolve_grid_range(book, req.get("range") or {})
    r0, r1, c0, c1 = target.clipped()
    kind = req.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ALL":
        boxes = [(r0, r1, c0, c1)]
    elif kind == "MERGE_ROWS":
        boxes = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        boxes = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        raise Invalid(f"Unknown mergeType {kind}")
    merges: list[JsonObj] = target.sheet.extras.setdefault("merges", [])
    for br0, br1, bc0, bc1 in boxes:
        box = Target(target.sheet, br0, br1, bc0, bc1)
        overlapping = [m for m in merges if _intersects(m, box)]
        if any(not _inside(m, box) for m in overlapping):
            raise Invalid("You must select all cells in a merged range to merge or unmerge them.")
        merges[:] = [m for m in merges if m not in overlapping]
        for r in range(br0, br1):
            for c in range(bc0, bc1):
                if (r, c) != (br0, bc0):
                    target.sheet.set(r, c, None)
        merges.append(grid_json(box))


def _intersects(rng: JsonObj, target: Target) -> bool:
    r0, r1, c0, c1 = target.clipped()
    return bool(
        int(rng.get("startRowIndex") or 0) < r1
        and r0 < int(rng["endRowIndex"])
        and int(rng.get("startColumnIndex") or 0) < c1
        and c0 < int(rng["endColumnIndex"])
    )


def _inside(rng: JsonObj, target: Target) -> bool:
    r0, r1, c0, c1 = target.clipped()
    return bool(
        r0 <= int(rng.get("startRowIndex") or 0)
        and int(rng["endRowIndex"]) <= r1
        and c0 <= int(rng.get("startColumnIndex") or 0)
        and int(rng["endColumnIndex"]) <= c1
    )


@handler("unmergeCells")
def unmerge_cells(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    target = resolve_grid_range(book, req.get("range") or {})
    merges = target.sheet.extras.get("merges", [])
    target.sheet.extras["merges"] = [m for m in merges if not _intersects(m, target)]


def _copy_block(book: Spreadsheet, req: JsonObj, cut: bool) -> None:
    source = resolve_grid_range(book, req.get("source") or {})
    dest_spec = req.get("destination") or {}
    if cut:
        dest = resolve_grid_range(
            book,
            {
                "sheetId": dest_spec.get("sheetId"),
                "startRowIndex": dest_spec.get("rowIndex"),
                "startColumnIndex": dest_spec.get("columnIndex"),
            },
        )
    else:
        dest = resolve_grid_range(book, dest_spec)
    r0, r1, c0, c1 = source.clipped()
    paste = req.get("pasteType") or "PASTE_NORMAL"
    block = [
        [copy.deepcopy(source.sheet.peek_cell(r, c)) for c in range(c0, c1)] for r in range(r0, r1)
    ]
    if cut:
        for r in range(r0, r1):
            for c in range(c0, c1):
                if source.sheet.peek_cell(r, c) is not None:
                    source.sheet.rows[r].cells.pop(source.sheet.cols[c], None)
    for i, line in enumerate(block):
        for j, cell in enumerate(line):
            target_cell = dest.sheet.cell(dest.r0 + i, dest.c0 + j)
            src = cell or Cell()
            if paste in ("PASTE_NORMAL", "PASTE_VALUES"):
                target_cell.value = src.value
            if paste in ("PASTE_NORMAL", "PASTE_FORMAT"):
                target_cell.extra = copy.deepcopy(src.extra)


@handler("copyPaste")
def copy_paste(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    _copy_block(book, req, cut=False)


@handler("cutPaste")
def cut_paste(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    _copy_block(book, req, cut=True)


@handler("setDataValidation")
def set_data_validation(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    target = resolve_grid_range(book, req.get("range") or {})
    rule = req.get("rule")
    if rule is not None:
        condition = rule.get("condition") or {}
        if not condition.get("type"):
            raise Invalid("A data validation rule needs a condition type.")
        rule = {k: v for k, v in rule.items() if v is not None}
    r0, r1, c0, c1 = target.clipped()
    for r in range(r0, r1):
        for c in range(c0, c1):
            if rule is None:
                cell = target.sheet.peek_cell(r, c)
                if cell is not None:
                    cell.extra.pop("dataValidation", None)
            else:
                target.sheet.cell(r, c).extra["dataValidation"] = copy.deepcopy(rule)


@handler("addConditionalFormatRule")
def add_conditional_format(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    rule = req.get("rule") or {}
    ranges = rule.get("ranges") or []
    if not ranges or not (rule.get("booleanRule") or rule.get("gradientRule")):
        raise Invalid("A conditional format rule needs ranges and a booleanRule or gradientRule.")
    sheet = resolve_grid_range(book, ranges[0]).sheet
    rules: list[JsonObj] = sheet.extras.setdefault("conditionalFormats", [])
    index = int(req.get("index") or 0)
    rules.insert(min(index, len(rules)), copy.deepcopy(rule))


@handler("setBasicFilter")
def set_basic_filter(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    flt = copy.deepcopy(req.get("filter") or {})
    target = resolve_grid_range(book, flt.get("range") or {})
    flt["range"] = grid_json(target)
    target.sheet.extras["basicFilter"] = flt


@handler("clearBasicFilter")
def clear_basic_filter(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    sheet = book.sheet_by_id(int(req.get("sheetId") or 0))
    if sheet is None:
        raise Invalid(f"No grid with id: {int(req.get('sheetId') or 0)}")
    sheet.extras.pop("basicFilter", None)
