"""Developer metadata: creation, JSON form, lookups and DataFilter resolution."""

from __future__ import annotations

from typing import Any

from tests.support.standin.errors import bad_request, not_found
from tests.support.standin.ranges import Target, resolve_a1, resolve_grid_range
from tests.support.standin.state import DevMeta, Spreadsheet

JsonObj = dict[str, Any]


def span(book: Spreadsheet, meta: DevMeta) -> tuple[int, int] | None:
    """(start, end) indexes of a ROW/COLUMN entry's rows or columns."""
    sheet = meta.sheet
    if sheet is None:
        return None
    if meta.location_type == "ROW":
        found = [i for i in (sheet.row_index(r) for r in meta.rows) if i is not None]
    elif meta.location_type == "COLUMN":
        found = [i for i in (sheet.col_index(c) for c in meta.cols) if i is not None]
    else:
        return None
    return (min(found), max(found) + 1) if found else None


def location_json(book: Spreadsheet, meta: DevMeta) -> JsonObj:
    if meta.location_type == "SPREADSHEET":
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert meta.sheet is not None
    if meta.location_type == "SHEET":
        return {"locationType": "SHEET", "sheetId": meta.sheet.sheet_id}
    bounds = span(book, meta) or (0, 0)
    dimension = "ROWS" if meta.location_type == "ROW" else "COLUMNS"
    dim_range: JsonObj = {"dimension": dimension, "startIndex": bounds[0], "endIndex": bounds[1]}
    if meta.sheet.sheet_id:  # proto3 JSON leaves out a zero sheetId
        dim_range = {"sheetId": meta.sheet.sheet_id, **dim_range}
    return {"locationType": meta.location_type, "dimensionRange": dim_range}


def to_json(book: Spreadsheet, meta: DevMeta) -> JsonObj:
    out: JsonObj = {"metadataId": meta.metadata_id, "metadataKey": meta.key}
    if meta.value is not None:
        out["metadataValue"] = meta.value
    out["location"] = location_json(book, meta)
    out["visibility"] = meta.visibility
    return out


def place(book: Spreadsheet, meta: DevMeta, location: JsonObj) -> None:
    """Point ``meta`` at the location described by a DeveloperMetadataLocation."""
    if location.get("spreadsheet"):
        meta.location_type, meta.sheet, meta.rows, meta.cols = "SPREADSHEET", None, [], []
        return
    if "sheetId" in location and "dimensionRange" not in location:
        sheet = book.sheet_by_id(int(location["sheetId"]))
        if sheet is None:
            raise bad_request(f"No grid with id: {location['sheetId']}")
        meta.location_type, meta.sheet, meta.rows, meta.cols = "SHEET", sheet, [], []
        return
    dim = location.get("dimensionRange")
    if not isinstance(dim, dict):
        raise bad_request("Developer metadata location must be specified.")
    sheet = book.sheet_by_id(int(dim.get("sheetId") or 0))
    if sheet is None:
        raise bad_request(f"No grid with id: {dim.get('sheetId') or 0}")
    if dim.get("dimension") not in ("ROWS", "COLUMNS"):
        raise bad_request("dimensionRange.dimension must be ROWS or COLUMNS.")
    start = int(dim.get("startIndex") or 0)
    is_rows = dim.get("dimension") == "ROWS"
    limit = sheet.row_count if is_rows else sheet.col_count
    end = int(dim["endIndex"]) if dim.get("endIndex") is not None else limit
    if not 0 <= start < end <= limit:
        raise bad_request(f"Invalid dimensionRange {start}:{end} for developer metadata.")
    meta.sheet = sheet
    if is_rows:
        meta.location_type, meta.rows, meta.cols = "ROW", sheet.rows[start:end], []
    else:
        meta.location_type, meta.cols, meta.rows = "COLUMN", sheet.cols[start:end], []


def create(book: Spreadsheet, spec: JsonObj) -> DevMeta:
    key = spec.get("metadataKey")
    if not key:
        raise bad_request("metadataKey must be specified.")
    metadata_id = spec.get("metadataId")
    if metadata_id is None:
        metadata_id = book.allocate_id()
    elif any(m.metadata_id == int(metadata_id) for m in book.metadata):
        raise bad_request(f"Developer metadata with ID {metadata_id} already exists.")
    visibility = spec.get("visibility") or "DOCUMENT"
    meta = DevMeta(int(metadata_id), str(key), spec.get("metadataValue"), visibility, "SPREADSHEET")
    place(book, meta, spec.get("location") or {})
    return meta


def _location_matches(
    book: Spreadsheet, meta: DevMeta, wanted: JsonObj, strategy: str | None
) -> bool:
    mine = location_json(book, meta)
    if strategy == "EXACT_LOCATION":
        return _normal(mine) == _normal(wanted)
    if wanted.get("spreadsheet"):
        return True
    wanted_dim = wanted.get("dimensionRange")
    if wanted_dim is None:
        sheet_id = wanted.get("sheetId")
        return meta.sheet is not None and meta.sheet.sheet_id == sheet_id
    my_dim = mine.get("dimensionRange")
    if my_dim is None:
        return False
    if my_dim.get("sheetId", 0) != int(wanted_dim.get("sheetId") or 0):
        return False
    if my_dim["dimension"] != wanted_dim.get("dimension"):
        return False
    lo = int(wanted_dim.get("startIndex") or 0)
    hi = wanted_dim.get("endIndex")
    hi_i = int(hi) if hi is not None else 10**9
    return bool(my_dim["startIndex"] < hi_i and lo < my_dim["endIndex"])


def _normal(location: JsonObj) -> JsonObj:
    out = {k: v for k, v in location.items() if k != "locationType"}
    dim = out.get("dimensionRange")
    if isinstance(dim, dict):
        out["dimensionRange"] = {
            "sheetId": int(dim.get("sheetId") or 0),
            "dimension": dim.get("dimension"),
            "startIndex": int(dim.get("startIndex") or 0),
            "endIndex": dim.get("endIndex"),
        }
    return out


def lookup_matches(book: Spreadsheet, meta: DevMeta, lookup: JsonObj) -> bool:
    if "metadataId" in lookup and lookup["metadataId"] is not None:
        if meta.metadata_id != int(lookup["metadataId"]):
            return False
    if lookup.get("metadataKey") is not None and meta.key != lookup["metadataKey"]:
        return False
    if lookup.get("metadataValue") is not None and meta.value != lookup["metadataValue"]:
        return False
    if lookup.get("visibility") is not None and meta.visibility != lookup["visibility"]:
        return False
    if lookup.get("locationType") is not None and meta.location_type != lookup["locationType"]:
        return False
    location = lookup.get("metadataLocation")
    strategy = lookup.get("locationMatchingStrategy")
    if strategy == "EXACT_LOCATION" and location is None:
        raise bad_request("metadataLocation is required for EXACT_LOCATION matching.")
    return location is None or _location_matches(book, meta, location, strategy)


def target_of(book: Spreadsheet, meta: DevMeta) -> Target | None:
    """The cells a ROW/COLUMN/SHEET entry stands for."""
    if meta.sheet is None:
        return None
    if meta.location_type == "SHEET":
        return Target(meta.sheet, 0, None, 0, None)
    bounds = span(book, meta)
    if bounds is None:
        return None
    if meta.location_type == "ROW":
        return Target(meta.sheet, bounds[0], bounds[1], 0, None)
    return Target(meta.sheet, 0, None, bounds[0], bounds[1])


MetaIndex = dict[tuple[object, ...], list[DevMeta]]


def key_index(book: Spreadsheet) -> MetaIndex:
    """The book's metadata by id and by (key, value), built once per request:
    a request with a thousand row filters then costs a thousand lookups, not a
    million comparisons (only a shortcut: every candidate is still matched)."""
    index: MetaIndex = {}
    for meta in book.metadata:
        index.setdefault(("id", meta.metadata_id), []).append(meta)
        index.setdefault(("kv", meta.key, meta.value), []).append(meta)
    return index


def candidates(book: Spreadsheet, lookup: JsonObj, index: MetaIndex | None) -> list[DevMeta]:
    """The entries that can match ``lookup``: all of them, unless an index is
    at hand and the lookup names an id, or both key and value."""
    key, value, wanted = lookup.get("metadataKey"), lookup.get("metadataValue"), None
    if lookup.get("metadataId") is not None:
        try:
            wanted = ("id", int(lookup["metadataId"]))
        except (TypeError, ValueError):
            return book.metadata  # lookup_matches reports it as it always did
    elif key is not None and value is not None:
        wanted = ("kv", key, value)
    if index is None or wanted is None:
        return book.metadata
    return index.get(wanted, [])


def filter_targets(
    book: Spreadsheet, data_filter: JsonObj, index: MetaIndex | None = None
) -> list[Target]:
    """Every range a DataFilter selects (a1Range | gridRange | developerMetadataLookup)."""
    if not isinstance(data_filter, dict) or len([k for k in data_filter if data_filter[k]]) != 1:
        raise bad_request(
            "A DataFilter must set exactly one of a1Range, gridRange, developerMetadataLookup."
        )
    if data_filter.get("a1Range"):
        return [resolve_a1(book, str(data_filter["a1Range"]))]
    if data_filter.get("gridRange"):
        return [resolve_grid_range(book, data_filter["gridRange"])]
    lookup = data_filter.get("developerMetadataLookup")
    if not isinstance(lookup, dict):
        raise bad_request("Invalid DataFilter.")
    out: list[Target] = []
    for meta in candidates(book, lookup, index):
        if lookup_matches(book, meta, lookup):
            target = target_of(book, meta)
            if target is not None and target not in out:
                out.append(target)
    return out


def metas_for_filter(book: Spreadsheet, data_filter: JsonObj) -> list[DevMeta]:
    """Metadata a search DataFilter selects (lookups directly; ranges by intersection)."""
    lookup = data_filter.get("developerMetadataLookup")
    if isinstance(lookup, dict):
        return [m for m in book.metadata if lookup_matches(book, m, lookup)]
    targets = filter_targets(book, data_filter)
    found: list[DevMeta] = []
    for meta in book.metadata:
        mine = target_of(book, meta)
        if mine is None:
            continue
        for t in targets:
            if t.sheet is mine.sheet and _overlap(t, mine):
                found.append(meta)
                break
    return found


def _overlap(a: Target, b: Target) -> bool:
    ar0, ar1, ac0, ac1 = a.clipped()
    br0, br1, bc0, bc1 = b.clipped()
    return ar0 < br1 and br0 < ar1 and ac0 < bc1 and bc0 < ac1


def get_by_id(book: Spreadsheet, metadata_id: int) -> DevMeta:
    for meta in book.metadata:
        if meta.metadata_id == metadata_id:
            return meta
    raise not_found(f"No developer metadata with ID: {metadata_id}")
