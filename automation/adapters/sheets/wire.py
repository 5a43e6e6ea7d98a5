"""Sheets API v4 request bodies and response parsing for the case store (pure).

Shapes follow the API reference (Spreadsheet, GridData, DimensionProperties,
DeveloperMetadata, DataFilterValueRange).  Everything customer-derived is sent
as ``userEnteredValue.stringValue`` (batchUpdate) or with ``valueInputOption=RAW``
(values), so no text is ever parsed into a formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from automation.errors import StoreError
from automation.sheet.storable import storable

JsonObj = dict[str, Any]
ANCHOR_KEY = "sheetdesk.case"

# The one read per cycle: every tab's values plus row developer metadata, in one
# spreadsheets.get.  Row-located metadata is taken from rowMetadata (where the
# reference puts it) and, as a fallback, from the sheet's developerMetadata list.
_META = "developerMetadata(metadataId,metadataKey,metadataValue,location)"
READ_FIELDS = (
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount)),"
    f"data(startRow,rowData(values(formattedValue,userEnteredValue/formulaValue)),"
    f"rowMetadata({_META})),{_META})"
)


@dataclass(frozen=True)
class Anchor:
    """A row developer metadata entry as read: ``row`` is its grid index."""

    metadata_id: int
    case_id: str
    row: int


@dataclass
class TabData:
    sheet_id: int
    title: str
    row_count: int
    col_count: int
    grid: list[list[str]] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)


def _anchor(meta: Any, row: int | None) -> Anchor | None:
    if not isinstance(meta, dict) or meta.get("metadataKey") != ANCHOR_KEY:
        return None
    if row is None:
        dim = (meta.get("location") or {}).get("dimensionRange") or {}
        if dim.get("dimension") != "ROWS":
            return None
        row = int(dim.get("startIndex") or 0)
    return Anchor(int(meta.get("metadataId") or 0), str(meta.get("metadataValue") or ""), row)


def _as_entered(cell: Any) -> str:
    """A cell as a person typed it: a formula's text, not what it computes.

    Why (issue 11): the computed value of a formula in "Message to customer" was
    emailed, and on a real sheet a formula can pull in the Internal notes.  The
    workbook gives formulas as typed too, so both stores read alike."""
    entered = cell.get("userEnteredValue") if isinstance(cell, dict) else None
    if isinstance(entered, dict) and isinstance(entered.get("formulaValue"), str):
        return str(entered["formulaValue"])
    return str(cell.get("formattedValue", "")) if isinstance(cell, dict) else ""


def parse_book(body: Any) -> dict[str, TabData]:
    """Tabs by title from a ``spreadsheets.get`` with ``READ_FIELDS``."""
    if not isinstance(body, dict):
        raise StoreError("spreadsheets.get: unexpected response shape")
    tabs: dict[str, TabData] = {}
    for sheet in body.get("sheets") or []:
        props = sheet.get("properties") or {}
        grid_props = props.get("gridProperties") or {}
        tab = TabData(
            sheet_id=int(props.get("sheetId") or 0),
            title=str(props.get("title") or ""),
            row_count=int(grid_props.get("rowCount") or 0),
            col_count=int(grid_props.get("columnCount") or 0),
        )
        seen: set[int] = set()
        for data in sheet.get("data") or []:
            start = int(data.get("startRow") or 0)
            for offset, row in enumerate(data.get("rowData") or []):
                cells = [_as_entered(c) for c in row.get("values") or []]
                while len(tab.grid) < start + offset:
                    tab.grid.append([])
                tab.grid.append(cells)
            for offset, dims in enumerate(data.get("rowMetadata") or []):
                for meta in dims.get("developerMetadata") or []:
                    found = _anchor(meta, start + offset)
                    if found and found.metadata_id not in seen:
                        seen.add(found.metadata_id)
                        tab.anchors.append(found)
        for meta in sheet.get("developerMetadata") or []:
            found = _anchor(meta, None)
            if found and found.metadata_id not in seen:
                seen.add(found.metadata_id)
                tab.anchors.append(found)
        for row in tab.grid:
            while row and row[-1] == "":
                row.pop()
        while tab.grid and not tab.grid[-1]:
            tab.grid.pop()
        tabs[tab.title] = tab
    return tabs


def _cell(text: str | None) -> JsonObj:
    return {"userEnteredValue": {"stringValue": storable(text)}} if text else {}


def row_data(rows: Sequence[Sequence[str]]) -> list[JsonObj]:
    return [{"values": [_cell(t) for t in row]} for row in rows]


def insert_rows(sheet_id: int, at: int, count: int, inherit_before: bool) -> JsonObj:
    return {
        "insertDimension": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "ROWS",
                "startIndex": at,
                "endIndex": at + count,
            },
            "inheritFromBefore": inherit_before,
        }
    }


def write_rows(sheet_id: int, row: int, rows: Sequence[Sequence[str]]) -> JsonObj:
    """Values written from (row, A); ``stringValue`` is stored as typed, never parsed."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": 0},
            "rows": row_data(rows),
            "fields": "userEnteredValue",
        }
    }


def replace_values(sheet_id: int, rows: Sequence[Sequence[str]]) -> JsonObj:
    """All values of the sheet replaced; cells the rows don't cover are cleared."""
    return {
        "updateCells": {
            "range": {"sheetId": sheet_id},
            "rows": row_data(rows),
            "fields": "userEnteredValue",
        }
    }


def append_cells(sheet_id: int, rows: Sequence[Sequence[str]]) -> JsonObj:
    """After the last row with data (not append's table detection, which a blank row breaks)."""
    return {
        "appendCells": {"sheetId": sheet_id, "rows": row_data(rows), "fields": "userEnteredValue"}
    }


def add_sheet(sheet_id: int, title: str, rows: int, cols: int, frozen: int = 0) -> JsonObj:
    grid: JsonObj = {"rowCount": rows, "columnCount": cols}
    if frozen:
        grid["frozenRowCount"] = frozen
    return {
        "addSheet": {"properties": {"sheetId": sheet_id, "title": title, "gridProperties": grid}}
    }


def grow(sheet_id: int, rows: int, cols: int) -> list[JsonObj]:
    out: list[JsonObj] = []
    for dimension, length in (("ROWS", rows), ("COLUMNS", cols)):
        if length > 0:
            out.append(
                {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}
            )
    return out


def create_anchor(sheet_id: int, row: int, case_id: str) -> JsonObj:
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": ANCHOR_KEY,
                "metadataValue": case_id,
                "location": {
                    "dimensionRange": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "startIndex": row,
                        "endIndex": row + 1,
                    }
                },
                "visibility": "DOCUMENT",
            }
        }
    }


def delete_anchor(metadata_id: int) -> JsonObj:
    return {
        "deleteDeveloperMetadata": {
            "dataFilter": {"developerMetadataLookup": {"metadataId": metadata_id}}
        }
    }


def by_anchor(metadata_id: int, cells: Sequence[str | None]) -> JsonObj:
    """One DataFilterValueRange: the row the anchor is on *when the write lands*.

    ``None`` cells are JSON nulls, which the API skips: team columns stay as
    people left them.  A filter that matches nothing (the row was deleted, and
    its metadata with it) writes nowhere.
    """
    return {
        "dataFilter": {"developerMetadataLookup": {"metadataId": metadata_id}},
        "majorDimension": "ROWS",
        "values": [[None if c is None else storable(c) for c in cells]],
    }


def header_probe(title: str, width: int) -> JsonObj:
    """An all-null range over the header row: writes nothing, echoes the header."""
    quoted = "'" + title.replace("'", "''") + "'"
    return {
        "dataFilter": {"a1Range": f"{quoted}!1:1"},
        "majorDimension": "ROWS",
        "values": [[None] * max(width, 1)],
    }


def update_body(data: Sequence[JsonObj]) -> JsonObj:
    return {
        "valueInputOption": "RAW",
        "includeValuesInResponse": True,
        "responseValueRenderOption": "FORMATTED_VALUE",
        "data": list(data),
    }


def responses_by_anchor(body: Any) -> tuple[dict[int, list[list[str]]], list[list[str]] | None]:
    """Updated rows keyed by anchor metadataId, and the echoed header (if any)."""
    rows: dict[int, list[list[str]]] = {}
    header: list[list[str]] | None = None
    for entry in (body or {}).get("responses") or []:
        data_filter: Mapping[str, Any] = entry.get("dataFilter") or {}
        values = [[str(c) for c in r] for r in (entry.get("updatedData") or {}).get("values") or []]
        lookup = data_filter.get("developerMetadataLookup")
        if isinstance(lookup, dict) and lookup.get("metadataId") is not None:
            rows.setdefault(int(lookup["metadataId"]), []).extend(values or [[]])
        elif data_filter.get("a1Range"):
            header = values
    return rows, header
