"""The Google Sheets ``CaseStore`` (gspread's HTTP client, our own retry).

Why writes are safe while people edit the sheet (details: docs/sheets-writes.md):

* Read: one ``spreadsheets.get`` with grid data returns every tab's values and
  the row developer metadata together, so anchors are checked against the
  Case ID cells of the very same read (``sheets_anchors``).
* Write 1, one atomic ``batchUpdate``: stale anchors are repaired, new cases are
  inserted right under the header (``insertDimension``), filled with
  ``updateCells`` (``stringValue``: never parsed, so no formula comes alive) and
  tagged ``sheetdesk.case = <ID>`` with ``createDeveloperMetadata``; log rows
  are appended with ``appendCells`` (missing tabs added with ``addSheet``) and
  ``replace_tabs`` rewritten, all in the same request.  Because a batch is
  all-or-nothing and positions inside it are computed against the state the
  batch itself creates, a person's edit can land before or after it, never
  between a new row and its tag.
* Write 2, one ``values:batchUpdateByDataFilter`` (RAW): each update is
  addressed by its verified anchor's metadataId, so the server finds the row at
  write time, wherever inserts, deletes or moves put it; team-owned columns are
  JSON nulls and stay untouched; a deleted row has no metadata and the filter
  writes nowhere (reported ``missing``).  The response echoes every written
  row: a row whose Case ID is not the target's (possible only if a sort that
  does not carry metadata landed between our read and this write) is reported,
  and the poller cells it clobbered are restored from the read on the next
  apply.  A header probe in the same request detects columns moved in that
  window.
* Idempotence: a lost response to write 1 is not retried blind (see
  ``sheets_retry``); the next read shows the tagged rows and creates whose Case
  ID already has a row are skipped (still reported created).  Write 2 rewrites
  the same values through the same anchors, so repeating it is harmless.

``ApplyResult.updated`` lists the updates written; an update in neither
``updated`` nor ``missing`` was deferred (suspect anchor, misdirected write)
and the caller should send it again next cycle.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests
from gspread.urls import SPREADSHEET_URL

from automation.adapters.memory_store import check_changes
from automation.adapters.sheets import init_requests as sheets_init
from automation.adapters.sheets import wire as sheets_wire
from automation.adapters.sheets.anchors import AnchorPlan, plan_anchors
from automation.adapters.sheets.retry import Retrier
from automation.adapters.sheets.session import build_session, spreadsheet_key
from automation.config import SheetsConfig
from automation.errors import StoreSchemaError
from automation.ports import ApplyResult, ChangeSet, NewCase, Snapshot, TabSpec
from automation.sheet import case_table as casetab
from automation.sheet import layout as columns


@dataclass
class _Cycle:
    """What the last ``load`` saw, kept for the ``apply`` that follows it."""

    tabs: dict[str, sheets_wire.TabData]
    table: casetab.CaseTable
    plan: AnchorPlan
    values: dict[str, dict[str, str]]  # case ID -> cells by column, as read
    verified: dict[str, int] = field(default_factory=dict)  # shrinks as writes disprove
    repaired: bool = False  # this read's anchor repairs were sent
    created: set[str] = field(default_factory=set)


class SheetsStore:
    """A ``CaseStore`` over one Google spreadsheet; see the module docstring."""

    def __init__(
        self,
        config: SheetsConfig,
        *,
        session: requests.Session | None = None,
        base_dir: str = ".",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
    ) -> None:
        self.key = spreadsheet_key(config.spreadsheet)
        # auth=None: the session carries the credentials (or none, for a stand-in).
        no_auth: Any = None
        http = session or build_session(config, base_dir)
        self.client = gspread.Client(auth=no_auth, session=http)
        self.client.http_client.set_timeout(timeout)
        self.retrier = Retrier(
            deadline=config.retry_deadline_seconds,
            cap=config.retry_cap_seconds,
            sleep=sleep,
            clock=clock,
            rng=rng or random.Random(),
        )
        self._cycle: _Cycle | None = None
        self._restore: dict[str, dict[str, str]] = {}  # victims of a misdirected write

    # -- transport -----------------------------------------------------------
    def _get(self, fields: str, grid: bool) -> Any:
        params: dict[str, Any] = {"includeGridData": "true" if grid else "false", "fields": fields}
        http = self.client.http_client
        return self.retrier.call(
            lambda: http.spreadsheets_get(self.key, params=params), what="read", idempotent=True
        )

    def _batch(self, requests_: list[dict[str, Any]], what: str) -> Any:
        http = self.client.http_client
        body = {"requests": requests_}
        return self.retrier.call(
            lambda: http.batch_update(self.key, body), what=what, idempotent=False
        )

    def _values_by_filter(self, body: dict[str, Any]) -> Any:
        url = SPREADSHEET_URL % self.key + "/values:batchUpdateByDataFilter"
        http = self.client.http_client
        return self.retrier.call(
            lambda: http.request("post", url, json=body).json(), what="update", idempotent=True
        )

    # -- CaseStore -----------------------------------------------------------
    def load(self) -> Snapshot:
        """One read: every tab's values and the row anchors, cross-checked."""
        tabs = sheets_wire.parse_book(self._get(sheets_wire.READ_FIELDS, grid=True))
        cases = tabs.get(casetab.CASES_TAB)
        if cases is None:
            raise StoreSchemaError(
                f"the spreadsheet has no {casetab.CASES_TAB!r} tab (run `sheetdesk init`)"
            )
        header = casetab.read_header(cases.grid[0] if cases.grid else [])
        table = casetab.parse_cases(header, cases.grid)
        plan = plan_anchors(table, cases.anchors)
        values = {c.case_id: dict(c.values) for c in table.cases}
        self._cycle = _Cycle(
            tabs=tabs, table=table, plan=plan, values=values, verified=dict(plan.verified)
        )
        others = {
            t: tuple(tuple(r) for r in d.grid) for t, d in tabs.items() if t != casetab.CASES_TAB
        }
        note = header.missing_problem()
        extra = (note,) if note else ()
        return Snapshot(
            cases=table.cases, tabs=others, problems=table.problems + plan.problems + extra
        )

    def apply(self, changes: ChangeSet) -> ApplyResult:
        """At most two writes; see the module docstring for the guarantees."""
        check_changes(changes)
        if changes.empty and not self._restore and not self._needs_repair():
            return ApplyResult()
        if self._cycle is None:
            self.load()
        assert self._cycle is not None
        cycle = self._cycle
        header = cycle.table.header
        updates = {u.case_id: dict(u.values) for u in changes.updates}
        creates = self._fresh_creates(cycle, changes.creates, updates)
        ids = sheets_init.SheetIds(cycle.tabs)
        batch = self._repairs(cycle) + self._create_requests(cycle, creates)
        batch += sheets_init.log_requests(cycle.tabs, changes.appends, ids)
        batch += sheets_init.replace_requests(cycle.tabs, changes.replace_tabs, ids)
        reply = self._batch(batch, what="create") if batch else None
        created = tuple(dict.fromkeys(n.case_id for n in changes.creates))
        cycle.created.update(n.case_id for n in creates)
        for case in creates:  # what a misdirected write would have to restore
            cycle.values[case.case_id] = {**case.values, columns.CASE_ID: case.case_id}
        cycle.repaired = True
        if reply is not None:
            self._absorb(cycle, reply, creates, changes)
        result = self._write_updates(cycle, header, updates)
        return ApplyResult(
            created=created, updated=result[0], missing=result[1], problems=result[2]
        )

    def initialize(self, specs: Sequence[TabSpec]) -> list[str]:
        """Create missing tabs (and the Cases tab) in one batchUpdate; see ``sheets_init``."""
        existing = self._get(sheets_init.LIST_FIELDS, grid=False)
        requests_, created = sheets_init.init_requests(existing, specs)
        if casetab.CASES_TAB not in created:
            http = self.client.http_client
            got = self.retrier.call(
                lambda: http.values_get(self.key, f"'{casetab.CASES_TAB}'!1:1"),
                what="read",
                idempotent=True,
            )
            rows = got.get("values") or [[]]
            more, added = sheets_init.upgrade_requests(existing, rows[0])
            requests_ += more
            created += [f"{casetab.CASES_TAB} column {name!r}" for name in added]
        if requests_:
            self._batch(requests_, what="init")
        self._cycle = None
        return created

    # -- pieces of apply -----------------------------------------------------
    def _absorb(
        self, cycle: _Cycle, reply: Any, creates: Sequence[NewCase], changes: ChangeSet
    ) -> None:
        """Bring this cycle's view up to date from write 1's reply, so the second
        apply of the cycle needs no second read (the budget is one read).

        The anchors of rows created in that same atomic batch are exact (the
        batch inserted, filled and tagged them together), so their server-given
        metadata ids become verified anchors; repaired anchors stay unverified
        until a read confirms them.  Sheets the batch added are remembered, and
        row counts grow, so a later batch in the cycle addresses them right.
        """
        new_ids = {n.case_id for n in creates}
        for item in (reply or {}).get("replies") or []:
            meta = ((item or {}).get("createDeveloperMetadata") or {}).get("developerMetadata")
            if (
                isinstance(meta, dict)
                and meta.get("metadataKey") == sheets_wire.ANCHOR_KEY
                and meta.get("metadataValue") in new_ids
                and "metadataId" in meta
            ):
                cycle.verified[str(meta["metadataValue"])] = int(meta["metadataId"])
            props = ((item or {}).get("addSheet") or {}).get("properties")
            if isinstance(props, dict) and props.get("title") not in cycle.tabs:
                grid = props.get("gridProperties") or {}
                cycle.tabs[str(props["title"])] = sheets_wire.TabData(
                    sheet_id=int(props.get("sheetId") or 0),
                    title=str(props["title"]),
                    row_count=int(grid.get("rowCount") or 0),
                    col_count=int(grid.get("columnCount") or 0),
                )
        cases = cycle.tabs.get(casetab.CASES_TAB)
        if cases is not None:
            cases.row_count += len(creates)
        for title, grid in changes.replace_tabs.items():
            tab = cycle.tabs.get(title)
            if tab is not None:
                tab.row_count = max(tab.row_count, len(grid))
                tab.col_count = max(tab.col_count, max((len(r) for r in grid), default=0))

    def _needs_repair(self) -> bool:
        cycle = self._cycle
        return bool(cycle and not cycle.repaired and (cycle.plan.deletes or cycle.plan.creates))

    def _fresh_creates(
        self, cycle: _Cycle, new: Sequence[NewCase], updates: dict[str, dict[str, str]]
    ) -> list[NewCase]:
        """Creates not yet in the sheet, with same-cycle updates folded in."""
        out: list[NewCase] = []
        seen: set[str] = set()
        for case in new:
            if case.case_id in cycle.table.rows_of or case.case_id in cycle.created:
                continue
            if case.case_id in seen:
                continue
            seen.add(case.case_id)
            extra = updates.pop(case.case_id, {})
            out.append(NewCase(case.case_id, {**case.values, **extra}))
        return out

    def _repairs(self, cycle: _Cycle) -> list[dict[str, Any]]:
        if cycle.repaired:
            return []
        sheet_id = cycle.tabs[casetab.CASES_TAB].sheet_id
        out = [sheets_wire.delete_anchor(m) for m in cycle.plan.deletes]
        out += [sheets_wire.create_anchor(sheet_id, row, cid) for row, cid in cycle.plan.creates]
        return out

    def _create_requests(self, cycle: _Cycle, creates: Sequence[NewCase]) -> list[dict[str, Any]]:
        if not creates:
            return []
        tab = cycle.tabs[casetab.CASES_TAB]
        header = cycle.table.header
        rows = [casetab.create_cells(header, n.case_id, n.values) for n in creates]
        out = [sheets_wire.insert_rows(tab.sheet_id, 1, len(rows), tab.row_count <= 1)]
        width = max(len(r) for r in rows)
        if width > tab.col_count:
            out += sheets_wire.grow(tab.sheet_id, 0, width - tab.col_count)
        out.append(sheets_wire.write_rows(tab.sheet_id, 1, rows))
        out += [
            sheets_wire.create_anchor(tab.sheet_id, 1 + i, n.case_id) for i, n in enumerate(creates)
        ]
        return out

    def _write_updates(
        self, cycle: _Cycle, header: casetab.Header, updates: dict[str, dict[str, str]]
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Write 2: every update through its verified anchor, then check the echo."""
        id_col = header.position(columns.CASE_ID)
        missing: list[str] = []
        problems: list[str] = []
        planned: dict[int, tuple[str, dict[str, str]]] = {}
        for case_id, values in {**self._pending_restores(cycle), **updates}.items():
            merged = {**self._restore.get(case_id, {}), **values}
            anchor = cycle.verified.get(case_id)
            if anchor is not None:
                planned[anchor] = (case_id, merged)
            elif case_id in cycle.table.rows_of:
                problems.append(f"update for {case_id} deferred: its row tag is being repaired")
            elif case_id in updates:
                missing.append(case_id)
        if not planned:
            return (), tuple(missing), tuple(problems)
        data = []
        for anchor, (case_id, values) in planned.items():
            cells = casetab.update_cells(header, case_id, values)
            cells += [None] * (id_col + 1 - len(cells))  # echo the Case ID cell back
            data.append(sheets_wire.by_anchor(anchor, cells))
        data.append(sheets_wire.header_probe(casetab.CASES_TAB, header.width))
        echoed, header_now = sheets_wire.responses_by_anchor(
            self._values_by_filter(sheets_wire.update_body(data))
        )
        updated: list[str] = []
        for anchor, (case_id, values) in planned.items():
            rows = echoed.get(anchor)
            if rows is None:
                cycle.verified.pop(case_id, None)
                if case_id in updates:
                    missing.append(case_id)
                continue
            landed = {r[id_col].strip() if id_col < len(r) else "" for r in rows}
            if landed != {case_id}:
                problems.append(self._misdirected(cycle, case_id, values, landed))
                continue
            self._restore.pop(case_id, None)
            if case_id in updates:
                updated.append(case_id)
        if header_now and casetab.pad(header_now[0], header.width)[: header.width] != list(
            casetab.pad(header.cells, header.width)
        ):
            problems.append(
                f"columns of {casetab.CASES_TAB} moved while sheetdesk was writing; this "
                "cycle's updates may sit in the wrong columns (next read maps them afresh)"
            )
        return tuple(updated), tuple(missing), tuple(problems)

    def _pending_restores(self, cycle: _Cycle) -> dict[str, dict[str, str]]:
        return {cid: {} for cid in self._restore if cid in cycle.verified}

    def _misdirected(
        self, cycle: _Cycle, case_id: str, values: dict[str, str], landed: set[str]
    ) -> str:
        victims = sorted(v for v in landed if v and v != case_id)
        for victim in victims:
            before = cycle.values.get(victim, {})
            restore = self._restore.setdefault(victim, {})
            for name in values:
                if name != columns.CASE_ID and name in before:
                    restore.setdefault(name, before[name])
        cycle.verified.pop(case_id, None)
        return (
            f"update for {case_id} landed on the row of {', '.join(victims) or 'a blank row'} "
            "(rows were re-sorted between read and write and the tag did not follow); "
            f"{case_id} is resent next cycle and the clobbered poller cells are restored"
        )
