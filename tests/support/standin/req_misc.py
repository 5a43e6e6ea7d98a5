"""Protected ranges, named ranges and developer metadata requests."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.standin import metadata
from tests.support.standin.batch_api import BatchContext, Invalid, handler
from tests.support.standin.ranges import resolve_grid_range
from tests.support.standin.state import Spreadsheet

JsonObj = dict[str, Any]


def _grid(rng: JsonObj) -> JsonObj:
    """A GridRange as the API echoes it: sheetId 0 omitted, indexes kept."""
    out = {k: int(v) for k, v in rng.items() if v is not None}
    if not out.get("sheetId"):
        out.pop("sheetId", None)
    return out


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, False, [])}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


@handler("addProtectedRange")
def add_protected_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    spec = copy.deepcopy(req.get("protectedRange") or {})
    rng = spec.get("range") or {}
    sheet = resolve_grid_range(book, rng).sheet
    editors = _prune(spec.get("editors") or {})
    if spec.get("warningOnly") and editors:
        raise Invalid("ProtectedRange is warningOnly. Editors cannot be set on it.")
    protected = _prune(spec)
    protected["protectedRangeId"] = book.allocate_id()
    protected["range"] = _grid(rng)
    protected["requestingUserCanEdit"] = True  # the caller owns the spreadsheet
    protected["editors"] = editors
    ordered = {"protectedRangeId": protected.pop("protectedRangeId"), **protected}
    sheet.extras.setdefault("protectedRanges", []).append(ordered)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(ordered)}}


@handler("deleteProtectedRange")
def delete_protected_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    wanted = int(req.get("protectedRangeId") or 0)
    for sheet in book.sheets:
        ranges = sheet.extras.get("protectedRanges", [])
        for item in ranges:
            if item.get("protectedRangeId") == wanted:
                ranges.remove(item)
                return
    raise Invalid(f"No protected range with id: {wanted}")


@handler("addNamedRange")
def add_named_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    spec = req.get("namedRange") or {}
    name = spec.get("name")
    if not name:
        raise Invalid("A named range needs a name.")
    if any(n["name"] == name for n in book.named_ranges):
        raise Invalid(f"A named range with the name {name} already exists.")
    resolve_grid_range(book, spec.get("range") or {})
    named = {
        "namedRangeId": str(spec.get("namedRangeId") or book.allocate_id()),
        "name": name,
        "range": _grid(spec.get("range") or {}),
    }
    book.named_ranges.append(named)
    return {"addNamedRange": {"namedRange": copy.deepcopy(named)}}


def _named(book: Spreadsheet, named_range_id: Any) -> JsonObj:
    for named in book.named_ranges:
        if named["namedRangeId"] == str(named_range_id):
            return named
    raise Invalid(f"No named range with id {named_range_id}")


@handler("deleteNamedRange")
def delete_named_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    book.named_ranges.remove(_named(book, req.get("namedRangeId")))


@handler("updateNamedRange")
def update_named_range(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> None:
    spec = req.get("namedRange") or {}
    named = _named(book, spec.get("namedRangeId"))
    fields = [f.strip() for f in str(req.get("fields") or "").split(",") if f.strip()]
    if not fields:
        raise Invalid("At least one field must be specified in 'fields'.")
    for field in ["name", "range"] if "*" in fields else fields:
        if field == "name" and spec.get("name"):
            named["name"] = spec["name"]
        elif field == "range" and spec.get("range"):
            named["range"] = _grid(spec["range"])


@handler("createDeveloperMetadata")
def create_developer_metadata(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    meta = metadata.create(book, req.get("developerMetadata") or {})
    book.metadata.append(meta)
    return {"createDeveloperMetadata": {"developerMetadata": metadata.to_json(book, meta)}}


def _selected(book: Spreadsheet, filters: Any) -> list[Any]:
    if not isinstance(filters, list) or not filters:
        raise Invalid("At least one dataFilter must be specified.")
    found: list[Any] = []
    for data_filter in filters:
        for meta in metadata.metas_for_filter(book, data_filter):
            if meta not in found:
                found.append(meta)
    return found


@handler("updateDeveloperMetadata")
def update_developer_metadata(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    spec = req.get("developerMetadata") or {}
    fields = [f.strip() for f in str(req.get("fields") or "").split(",") if f.strip()]
    if not fields:
        raise Invalid("At least one field must be specified in 'fields'.")
    if "*" in fields:
        fields = ["metadataKey", "metadataValue", "visibility", "location"]
    changed = _selected(book, req.get("dataFilters"))
    for meta in changed:
        for field in fields:
            if field == "metadataKey":
                meta.key = str(spec.get("metadataKey") or meta.key)
            elif field == "metadataValue":
                meta.value = spec.get("metadataValue")
            elif field == "visibility":
                meta.visibility = str(spec.get("visibility") or "DOCUMENT")
            elif field == "location":
                metadata.place(book, meta, spec.get("location") or {})
            elif field == "metadataId":
                raise Invalid("metadataId cannot be updated.")
            else:
                raise Invalid(f"Unsupported field: {field}")
    return {
        "updateDeveloperMetadata": {
            "developerMetadata": [metadata.to_json(book, m) for m in changed]
        }
    }


@handler("deleteDeveloperMetadata")
def delete_developer_metadata(book: Spreadsheet, req: JsonObj, ctx: BatchContext) -> JsonObj:
    gone = _selected(book, [req.get("dataFilter")])
    out = [metadata.to_json(book, m) for m in gone]
    book.metadata = [m for m in book.metadata if m not in gone]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": out}}
