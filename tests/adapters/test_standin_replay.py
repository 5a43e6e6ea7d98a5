"""Fidelity: replay gspread's recorded real-API cassettes against the stand-in.

The cassettes are read from ``../shared/sheets-recordings`` beside the checkout
(never copied into this repository; the test skips, saying so, without them).
Every Sheets request is sent, in order, through the stand-in's ``requests``
adapter; the status code and the whole JSON body are compared.

Drive and OAuth calls are not compared.  Their effects are applied instead:
``POST drive/v3/files`` creates the spreadsheet with the recorded id and name (one
"Sheet1" tab), ``POST drive/v3/files/{id}/copy`` copies the stand-in's spreadsheet.

Normalisation (server-generated ids only; nothing else is rewritten):

* ``addSheet`` without a ``sheetId``: the recorded reply's ``sheetId`` is put into
  the request, so later requests that use that id address the same sheet.
* ``protectedRangeId``, ``namedRangeId`` and ``metadataId``: random on the real
  server.  Each id the stand-in hands out is paired with the recorded one; later
  request bodies are translated recorded -> stand-in, and responses are compared
  after translating stand-in -> recorded.

Run ``python tests/test_standin_replay.py`` to list every mismatch.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.support.shared_data import RECORDINGS as RECORDINGS_DIR
from tests.support.shared_data import absent
from tests.support.standin import SheetsStandIn
from tests.support.standin.router import route

RECORDINGS = str(RECORDINGS_DIR)
ID_KEYS = ("protectedRangeId", "namedRangeId", "metadataId")
MUST_MATCH = (
    "values.get",
    "values.update",
    "values.append",
    "values.clear",
    "values.batchGet",
    "values.batchUpdate",
    "values.batchClear",
)


@dataclass
class Mismatch:
    cassette: str
    index: int
    kind: str
    method: str
    uri: str
    expected: Any
    got: Any


@dataclass
class Report:
    total: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)
    drive_calls: int = 0


class IdMap:
    def __init__(self) -> None:
        self.ours_to_rec: dict[Any, Any] = {}
        self.rec_to_ours: dict[Any, Any] = {}

    def learn(self, ours: Any, recorded: Any) -> None:
        if isinstance(ours, dict) and isinstance(recorded, dict):
            for key, value in ours.items():
                if key in ID_KEYS and key in recorded and value != recorded[key]:
                    self.ours_to_rec[value] = recorded[key]
                    self.rec_to_ours[recorded[key]] = value
                elif key in recorded:
                    self.learn(value, recorded[key])
        elif isinstance(ours, list) and isinstance(recorded, list):
            for a, b in zip(ours, recorded, strict=False):
                self.learn(a, b)

    def translate(self, value: Any, table: dict[Any, Any]) -> Any:
        if isinstance(value, dict):
            return {
                k: (table.get(v, v) if k in ID_KEYS else self.translate(v, table))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.translate(v, table) for v in value]
        return value


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _inject_sheet_ids(body: Any, recorded: Any) -> Any:
    if not isinstance(body, dict) or not isinstance(recorded, dict):
        return body
    replies = recorded.get("replies") or []
    for request, reply in zip(body.get("requests") or [], replies, strict=False):
        add = request.get("addSheet") if isinstance(request, dict) else None
        if isinstance(add, dict) and isinstance(reply, dict) and "addSheet" in reply:
            props = add.setdefault("properties", {})
            if props.get("sheetId") is None:
                props["sheetId"] = reply["addSheet"]["properties"]["sheetId"]
    return body


def _drive_effect(api: SheetsStandIn, method: str, uri: str, body: Any, response: Any) -> None:
    path = urlsplit(uri).path
    if method == "PUT" and path.startswith("/upload/drive/v2/files/"):
        _import_csv(api, path.rsplit("/", 1)[-1], body)
        return
    if method == "GET" and path == "/drive/v3/files" and isinstance(response, dict):
        for listed in response.get("files") or []:  # spreadsheets that already exist
            if listed.get("id") and listed["id"] not in api.books:
                api.create_spreadsheet(
                    title=listed.get("name", ""), sheets=("Sheet1",), spreadsheet_id=listed["id"]
                )
        return
    if not isinstance(response, dict) or "id" not in response:
        return
    if method == "POST" and path == "/drive/v3/files":
        api.create_spreadsheet(
            title=response.get("name", ""), sheets=("Sheet1",), spreadsheet_id=response["id"]
        )
    elif method == "POST" and path.endswith("/copy"):
        source_id = path.split("/")[-2]
        if source_id in api.books:
            import copy

            book = copy.deepcopy(api.books[source_id])
            book.spreadsheet_id = response["id"]
            book.title = response.get("name", book.title)
            api.books[book.spreadsheet_id] = book


def _import_csv(api: SheetsStandIn, sid: str, body: Any) -> None:
    """Drive's CSV import: the file becomes one tab named after the spreadsheet."""
    import csv
    import io

    from tests.support.standin.state import Sheet

    book = api.books.get(sid)
    if book is None or not isinstance(body, str):
        return
    book.sheets = [Sheet.blank(0, book.title)]
    book.metadata = []
    api.seed(sid, book.title, list(csv.reader(io.StringIO(body))))


def replay_cassette(path: str, report: Report) -> None:
    api = SheetsStandIn(sort_moves_metadata=True, strict=False)
    session = api.session()
    ids = IdMap()
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as fh:
        interactions = json.load(fh)["interactions"]
    for index, item in enumerate(interactions):
        request, response = item["request"], item["response"]
        method, uri = request["method"].upper(), request["uri"]
        host = urlsplit(uri).hostname or ""
        recorded_body = _json(response["body"].get("string"))
        if host != "sheets.googleapis.com":
            report.drive_calls += 1
            _drive_effect(api, method, uri, request.get("body"), recorded_body)
            continue
        rt = route(method, urlsplit(uri).path)
        kind = rt.kind if rt else "unknown"
        body = _json(request.get("body"))
        if kind == "spreadsheets.batchUpdate":
            body = _inject_sheet_ids(body, recorded_body)
        body = ids.translate(body, ids.rec_to_ours)
        data = None if body is None else json.dumps(body).encode()
        got = session.request(method, uri, data=data)
        got_body = _json(got.text)
        ids.learn(got_body, recorded_body)
        got_body = ids.translate(got_body, ids.ours_to_rec)
        expected_status = response["status"]["code"]
        report.total[kind] += 1
        if got.status_code == expected_status and got_body == recorded_body:
            report.matched[kind] += 1
        else:
            report.mismatches.append(
                Mismatch(
                    name,
                    index,
                    kind,
                    method,
                    uri,
                    (expected_status, recorded_body),
                    (got.status_code, got_body),
                )
            )


def replay_all() -> Report:
    report = Report()
    for path in sorted(glob.glob(os.path.join(RECORDINGS, "*.json"))):
        replay_cassette(path, report)
    return report


def summary(report: Report) -> str:
    lines = ["", "Sheets stand-in replay against recorded real-API traffic:"]
    for kind in sorted(report.total):
        total, ok = report.total[kind], report.matched[kind]
        lines.append(f"  {kind:<28} {ok:>5}/{total:<5} {100.0 * ok / total:6.1f}%")
    total, ok = sum(report.total.values()), sum(report.matched.values())
    rate = 100.0 * ok / total if total else 0.0
    lines.append(
        f"  {'TOTAL':<28} {ok:>5}/{total:<5} {rate:6.1f}%"
        f"   ({report.drive_calls} Drive calls applied/skipped, not compared)"
    )
    return "\n".join(lines)


@pytest.mark.skipif(not os.path.isdir(RECORDINGS), reason=absent(RECORDINGS_DIR))
def test_replay_recorded_traffic(capsys: pytest.CaptureFixture[str]) -> None:
    report = replay_all()
    with capsys.disabled():
        print(summary(report))
    assert sum(report.total.values()) > 1000
    for kind in MUST_MATCH:
        if report.total[kind]:
            bad = [m for m in report.mismatches if m.kind == kind][:3]
            assert report.matched[kind] == report.total[kind], (kind, bad)


def diff(expected: Any, got: Any, path: str = "") -> list[str]:
    """Paths where two JSON values differ (for the mismatch listing)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(got)):
            if key not in got:
                out.append(f"{path}.{key}: missing (expected {str(expected[key])[:120]})")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {str(got[key])[:120]}")
            else:
                out.extend(diff(expected[key], got[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        return [
            d
            for i, (a, b) in enumerate(zip(expected, got, strict=True))
            for d in diff(a, b, f"{path}[{i}]")
        ]
    if expected != got:
        return [f"{path}: expected {str(expected)[:160]} got {str(got)[:160]}"]
    return []


if __name__ == "__main__":
    result = replay_all()
    for m in result.mismatches:
        print(f"--- {m.cassette} #{m.index} {m.kind} {m.method} {m.uri[60:200]}")
        for line in diff(list(m.expected), list(m.got))[:6]:
            print("     ", line)
    print(summary(result))
