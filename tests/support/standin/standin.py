"""``SheetsStandIn``: the stateful, in-process stand-in for the Sheets API v4."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import requests

from tests.support.standin import metadata, router, server
from tests.support.standin.adapter import StandInAdapter
from tests.support.standin.batch_api import BatchContext
from tests.support.standin.cells import CellValue, formatted
from tests.support.standin.errors import ApiError, not_found
from tests.support.standin.faults import Faults
from tests.support.standin.human import Human
from tests.support.standin.state import Sheet, Spreadsheet

BeforeRequest = Callable[[int, str, str], None]


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    kind: str
    is_write: bool
    status: int


class SheetsStandIn:
    """See ``tests/support/standin/README.md`` for the full contract."""

    def __init__(self, sort_moves_metadata: bool = True, strict: bool = True) -> None:
        self.sort_moves_metadata = sort_moves_metadata
        self.strict = strict
        self.books: dict[str, Spreadsheet] = {}
        self.lock = threading.RLock()
        self.human = Human(self)
        self.faults = Faults()
        self.before_request: BeforeRequest | None = None
        self.latency = 0.0
        self.log: list[LoggedRequest] = []
        self._counter = 0
        self._created = 0

    # ----- setup and inspection (direct, not HTTP) -----
    def create_spreadsheet(
        self,
        title: str = "Untitled spreadsheet",
        sheets: Sequence[str] = ("Sheet1",),
        spreadsheet_id: str | None = None,
    ) -> str:
        with self.lock:
            self._created += 1
            sid = spreadsheet_id or self._new_id()
            book = Spreadsheet(sid, title)
            for i, name in enumerate(sheets or ("Sheet1",)):
                book.sheets.append(Sheet.blank(i, name))
            self.books[sid] = book
            return sid

    def _new_id(self) -> str:
        digest = hashlib.sha256(f"standin-{self._created}".encode()).hexdigest()
        return "1" + digest[:43]

    def book(self, sid: str) -> Spreadsheet:
        try:
            return self.books[sid]
        except KeyError:
            raise KeyError(f"no spreadsheet {sid!r} in the stand-in") from None

    def seed(self, sid: str, tab: str, rows: Iterable[Sequence[Any]]) -> None:
        """Replace a tab's values (creating the tab if missing); rows keep their identity."""
        with self.lock:
            book = self.book(sid)
            sheet = book.sheet_by_title(tab)
            if sheet is None:
                sheet = Sheet.blank(max((s.sheet_id for s in book.sheets), default=-1) + 1, tab)
                book.sheets.append(sheet)
            for row in sheet.rows:
                for cell in row.cells.values():
                    cell.value = None
            data = [list(r) for r in rows]
            sheet.grow(len(data), max((len(r) for r in data), default=0))
            for r, line in enumerate(data):
                for c, value in enumerate(line):
                    sheet.set(r, c, _seed_value(value))

    def grid(self, sid: str, tab: str) -> list[list[str]]:
        """Formatted text of the tab; trailing empty cells and rows trimmed."""
        with self.lock:
            sheet = self._sheet(sid, tab)
            rows, cols = sheet.extent()
            out = [[formatted(sheet.get(r, c)) for c in range(cols)] for r in range(rows)]
            for line in out:
                while line and line[-1] == "":
                    line.pop()
            return out

    def row_metadata(self, sid: str, tab: str) -> list[tuple[int, str, str]]:
        """(row index, key, value) of each ROW developer metadata entry on the tab."""
        with self.lock:
            book = self.book(sid)
            sheet = self._sheet(sid, tab)
            found = []
            for meta in book.metadata:
                if meta.sheet is sheet and meta.location_type == "ROW":
                    bounds = metadata.span(book, meta)
                    if bounds is not None:
                        found.append((bounds[0], meta.key, meta.value or ""))
            return sorted(found)

    def _sheet(self, sid: str, tab: str) -> Sheet:
        sheet = self.book(sid).sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in spreadsheet {sid}")
        return sheet

    # ----- transports -----
    def session(self) -> requests.Session:
        return self.mount(requests.Session())

    def mount(self, session: requests.Session) -> requests.Session:
        adapter = StandInAdapter(self)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def serve(self, port: int = 0) -> AbstractContextManager[str]:
        return server.serve(self, port)

    # ----- faults -----
    def inject(
        self,
        status: int,
        *,
        times: int | None = None,
        probability: float | None = None,
        seed: int = 0,
        kinds: Iterable[str] | None = None,
    ) -> None:
        """Fail matching requests with ``status`` (see ``faults.FaultRule``)."""
        self.faults.add(status, times=times, probability=probability, seed=seed, kinds=kinds)

    def clear_faults(self) -> None:
        self.faults.clear()

    # ----- the request path -----
    def handle(
        self, method: str, url: str, body: bytes | None, local: bool = False
    ) -> tuple[int, Any]:
        """Answer one HTTP request: (status, JSON body)."""
        with self.lock:
            k = self._counter
            self._counter += 1
        if self.before_request is not None:
            self.before_request(k, method, url)
        if self.latency:
            time.sleep(self.latency)
        host, path, query = router.split_url(url)
        if not local and host != router.SHEETS_HOST:
            return self._record(
                method,
                path,
                "foreign-host",
                False,
                ApiError(
                    404, f"Stand-in: no such host {host!r} (only {router.SHEETS_HOST} is emulated)"
                ),
            )
        rt = router.route(method, path)
        if rt is None:
            return self._record(
                method,
                path,
                "unknown",
                False,
                ApiError(404, f"Stand-in: no route for {method} {path}"),
            )
        injected = self.faults.check(rt.kind, rt.is_write)
        if injected is not None:
            return self._record(method, path, rt.kind, rt.is_write, injected)
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            return self._record(
                method, path, rt.kind, rt.is_write, ApiError(400, "Invalid JSON payload received.")
            )
        ctx = BatchContext(self.sort_moves_metadata, self.strict)
        with self.lock:
            try:
                book = self.books.get(rt.spreadsheet_id or "")
                if book is None:
                    raise not_found()
                # batchUpdate runs on a clone that replaces the book only on success;
                # values writes validate every part before changing anything.
                atomic_copy = rt.kind == "spreadsheets.batchUpdate"
                work = book.clone() if atomic_copy else book
                result = router.execute(work, rt, query, payload, ctx)
                if atomic_copy:
                    self.books[book.spreadsheet_id] = work
            except ApiError as exc:
                return self._record(method, path, rt.kind, rt.is_write, exc)
            self.log.append(LoggedRequest(method.upper(), path, rt.kind, rt.is_write, 200))
            return 200, result

    def _record(
        self, method: str, path: str, kind: str, is_write: bool, error: ApiError
    ) -> tuple[int, Any]:
        with self.lock:
            self.log.append(LoggedRequest(method.upper(), path, kind, is_write, error.code))
        return error.code, error.body()

    def requests_of(self, kind: str) -> list[LoggedRequest]:
        return [r for r in self.log if r.kind == kind]

    def iter_log(self) -> Iterator[LoggedRequest]:
        return iter(list(self.log))


def _seed_value(value: Any) -> CellValue | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return CellValue("bool", value)
    if isinstance(value, int | float):
        return CellValue("number", float(value))
    return CellValue("string", str(value))
