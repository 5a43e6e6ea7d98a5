"""Map an HTTP request (method, URL, body) onto the API modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.standin import append, batch_api, byfilter_api, spreadsheet_api, values_api
from tests.support.standin.errors import ApiError
from tests.support.standin.state import Spreadsheet

JsonObj = dict[str, Any]
Query = dict[str, list[str]]
SHEETS_HOST = "sheets.googleapis.com"
_ID = r"(?P<id>[^/:?]+)"


@dataclass(frozen=True)
class Route:
    kind: str
    is_write: bool
    spreadsheet_id: str | None
    arg: str | None = None  # the A1 range or metadata id from the path


_ROUTES: list[tuple[str, re.Pattern[str], str, bool]] = [
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}$"), "spreadsheets.get", False),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}:batchUpdate$"),
        "spreadsheets.batchUpdate",
        True,
    ),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGet$"), "values.batchGet", False),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$"),
        "values.batchUpdate",
        True,
    ),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchClear$"), "values.batchClear", True),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGetByDataFilter$"),
        "values.batchGetByDataFilter",
        False,
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdateByDataFilter$"),
        "values.batchUpdateByDataFilter",
        True,
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchClearByDataFilter$"),
        "values.batchClearByDataFilter",
        True,
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/developerMetadata:search$"),
        "developerMetadata.search",
        False,
    ),
    (
        "GET",
        re.compile(rf"^/v4/spreadsheets/{_ID}/developerMetadata/(?P<arg>[^/]+)$"),
        "developerMetadata.get",
        False,
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(?P<arg>.+):append$"),
        "values.append",
        True,
    ),
    (
        "POST",
        re.compile(rf"^/v4/spreadsheets/{_ID}/values/(?P<arg>.+):clear$"),
        "values.clear",
        True,
    ),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(?P<arg>.+)$"), "values.get", False),
    ("PUT", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(?P<arg>.+)$"), "values.update", True),
]


def route(method: str, path: str) -> Route | None:
    for verb, pattern, kind, is_write in _ROUTES:
        if verb != method.upper():
            continue
        m = pattern.match(path)
        if m:
            groups = m.groupdict()
            arg = groups.get("arg")
            return Route(
                kind, is_write, unquote(groups["id"]), unquote(arg) if arg is not None else None
            )
    return None


def split_url(url: str) -> tuple[str, str, Query]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path, parse_qs(parts.query, keep_blank_values=True)


def execute(
    book: Spreadsheet, rt: Route, query: Query, body: Any, ctx: batch_api.BatchContext
) -> JsonObj:
    """Run one routed request against ``book`` (a working copy for writes)."""
    arg = rt.arg or ""
    strict = ctx.strict
    if rt.kind == "spreadsheets.get":
        return spreadsheet_api.get(book, query)
    if rt.kind == "spreadsheets.batchUpdate":
        return batch_api.batch_update(book, body, ctx)
    if rt.kind == "values.get":
        return values_api.get(book, arg, query)
    if rt.kind == "values.update":
        return values_api.update(book, arg, query, body, strict)
    if rt.kind == "values.append":
        return append.append(book, arg, query, body, strict)
    if rt.kind == "values.clear":
        return values_api.clear(book, arg)
    if rt.kind == "values.batchGet":
        return values_api.batch_get(book, query)
    if rt.kind == "values.batchUpdate":
        return values_api.batch_update(book, body, strict)
    if rt.kind == "values.batchClear":
        return values_api.batch_clear(book, body)
    if rt.kind == "values.batchGetByDataFilter":
        return byfilter_api.batch_get(book, body)
    if rt.kind == "values.batchUpdateByDataFilter":
        return byfilter_api.batch_update(book, body, strict)
    if rt.kind == "values.batchClearByDataFilter":
        return byfilter_api.batch_clear(book, body)
    if rt.kind == "developerMetadata.search":
        return byfilter_api.search(book, body)
    if rt.kind == "developerMetadata.get":
        return byfilter_api.get_one(book, arg)
    raise ApiError(404, f"Stand-in has no route for {rt.kind}")
