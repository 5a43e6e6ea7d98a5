"""``spreadsheets:batchUpdate``: sequential, all-or-nothing, unknown kinds refused.

The caller (the router) hands us a deep copy of the spreadsheet and only keeps
it when every subrequest succeeded, so a failing request ``i`` leaves no trace
of requests ``0..i-1``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.standin.errors import ApiError, bad_request, request_error
from tests.support.standin.state import Spreadsheet

JsonObj = dict[str, Any]


@dataclass(frozen=True)
class BatchContext:
    sort_moves_metadata: bool
    strict: bool


class Invalid(Exception):
    """A subrequest is invalid; becomes ``Invalid requests[i].kind: <message>``."""


Handler = Callable[[Spreadsheet, JsonObj, BatchContext], JsonObj | None]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def _load_handlers() -> None:
    from tests.support.standin import (  # noqa: F401  (import registers the handlers)
        req_cells,
        req_dims,
        req_misc,
        req_sheets,
    )


def batch_update(book: Spreadsheet, body: Any, ctx: BatchContext) -> JsonObj:
    _load_handlers()
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON payload received.")
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise bad_request("Must specify at least one request.")
    replies: list[JsonObj] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict):
            raise bad_request(f"Invalid value at 'requests[{i}]'")
        kinds = [k for k, v in request.items() if v is not None]
        if len(kinds) != 1:
            raise bad_request(f"Invalid requests[{i}]: exactly one request kind must be set.")
        kind = kinds[0]
        fn = HANDLERS.get(kind)
        if fn is None:
            raise request_error(
                i, kind, f"request kind not supported by the Sheets stand-in ({kind})"
            )
        payload = request[kind]
        if not isinstance(payload, dict):
            raise bad_request(f"Invalid value at 'requests[{i}].{kind}'")
        try:
            reply = fn(book, payload, ctx)
        except Invalid as exc:
            raise request_error(i, kind, str(exc)) from exc
        except ApiError as exc:
            if exc.code != 400 or exc.message.startswith("Invalid requests["):
                raise
            raise request_error(i, kind, exc.message) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise request_error(i, kind, f"malformed request ({exc!r})") from exc
        replies.append(reply or {})
    out: JsonObj = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        from tests.support.standin.spreadsheet_api import get

        out["updatedSpreadsheet"] = get(book, {})
    return out
