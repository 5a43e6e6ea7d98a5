"""The DataFilter endpoints: ``values:*ByDataFilter`` and ``developerMetadata``.

A filter that matches several ranges reads, writes or clears each of them
("the specified values are applied to all those ranges", per the reference).
A write is anchored at the matched range's top-left cell: a ROW entry is the
whole row, so values start at column A.  A write whose filter matches nothing
updates nothing and adds no ``responses`` entry (unverified against Google).
"""

from __future__ import annotations

from typing import Any

from tests.support.standin import metadata
from tests.support.standin.errors import bad_request
from tests.support.standin.grid_io import PlannedWrite, WriteResult, check_matrix, value_range
from tests.support.standin.state import Spreadsheet
from tests.support.standin.values_api import (
    clear_target,
    input_option,
    major_option,
    plan_one,
    render_option,
    totals,
    updated_data,
)

JsonObj = dict[str, Any]


def _filters(body: Any) -> list[JsonObj]:
    filters = (body or {}).get("dataFilters")
    if not isinstance(filters, list) or not filters:
        raise bad_request("At least one dataFilter must be specified.")
    return filters


def batch_get(book: Spreadsheet, body: Any) -> JsonObj:
    body = body if isinstance(body, dict) else {}
    option = render_option(body.get("valueRenderOption"))
    major = major_option(body.get("majorDimension"))
    matched: list[JsonObj] = []
    index = metadata.key_index(book)
    for data_filter in _filters(body):
        for target in metadata.filter_targets(book, data_filter, index):
            matched.append(
                {"valueRange": value_range(target, option, major), "dataFilters": [data_filter]}
            )
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    if matched:
        out["valueRanges"] = matched
    return out


def batch_update(book: Spreadsheet, body: Any, strict: bool) -> JsonObj:
    body = body if isinstance(body, dict) else {}
    option = input_option(body.get("valueInputOption"))
    data = body.get("data") or []
    plans: list[tuple[JsonObj, PlannedWrite]] = []
    index = metadata.key_index(book)  # values writes never move rows or metadata
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("dataFilter"), dict):
            raise bad_request(f"data[{i}].dataFilter must be specified.")
        check_matrix(item.get("values"), f"data[{i}].values")
        for target in metadata.filter_targets(book, item["dataFilter"], index):
            plans.append(
                (
                    item["dataFilter"],
                    plan_one(
                        target,
                        item.get("values"),
                        item.get("majorDimension"),
                        option,
                        strict,
                        f"data[{i}].values",
                    ),
                )
            )
    results: list[tuple[JsonObj, WriteResult]] = [(f, p.apply()) for f, p in plans]
    out = totals(book, [r for _, r in results])
    include = bool(body.get("includeValuesInResponse"))
    render = render_option(body.get("responseValueRenderOption"))
    responses = []
    for data_filter, result in results:
        entry: JsonObj = {**result.counts(), "dataFilter": data_filter}
        if include:
            entry["updatedData"] = updated_data(result, book, render)
        responses.append(entry)
    if responses:
        out["responses"] = responses
    return out


def batch_clear(book: Spreadsheet, body: Any) -> JsonObj:
    cleared: list[str] = []
    for data_filter in _filters(body):
        for target in metadata.filter_targets(book, data_filter):
            cleared.append(clear_target(target))
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id}
    if cleared:
        out["clearedRanges"] = cleared
    return out


def search(book: Spreadsheet, body: Any) -> JsonObj:
    matched: list[JsonObj] = []
    seen: dict[int, JsonObj] = {}
    for data_filter in _filters(body):
        for meta in metadata.metas_for_filter(book, data_filter):
            if meta.metadata_id in seen:
                seen[meta.metadata_id]["dataFilters"].append(data_filter)
                continue
            entry = {
                "developerMetadata": metadata.to_json(book, meta),
                "dataFilters": [data_filter],
            }
            seen[meta.metadata_id] = entry
            matched.append(entry)
    return {"matchedDeveloperMetadata": matched} if matched else {}


def get_one(book: Spreadsheet, metadata_id: str) -> JsonObj:
    try:
        wanted = int(metadata_id)
    except ValueError as exc:
        raise bad_request(f"Invalid value at 'metadata_id', \"{metadata_id}\"") from exc
    return metadata.to_json(book, metadata.get_by_id(book, wanted))
