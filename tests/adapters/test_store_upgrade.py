"""A sheet laid out by an older sheetdesk keeps working, and `init` adds what it lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.adapters.memory_store import MemoryStore
from automation.adapters.sheets.store import SheetsStore
from automation.adapters.workbook_store import WorkbookStore
from automation.config import SheetsConfig
from automation.errors import StoreSchemaError
from automation.model import frozen_map
from automation.ports import CaseUpdate, ChangeSet, NewCase
from automation.sheet import layout as columns
from tests.support.standin import SheetsStandIn

OLD = [c for c in columns.DEFAULT_ORDER if c not in ("Escalation", "Next update due", "Region")]


def _values(case_id: str) -> dict[str, str]:
    return {
        columns.CASE_ID: case_id,
        "Subject": "old layout",
        "Region": "Europe",
        columns.STATUS: "New",
    }


def _exercise(store: MemoryStore | WorkbookStore | SheetsStore) -> None:
    snapshot = store.load()
    assert any("'Escalation'" in p and "sheetdesk init" in p for p in snapshot.problems)
    store.apply(ChangeSet(creates=(NewCase("C-1", frozen_map(_values("C-1"))),)))
    store.load()
    store.apply(
        ChangeSet(
            updates=(CaseUpdate("C-1", frozen_map({"Region": "Americas", "Subject": "still ok"})),)
        )
    )
    case = store.load().by_id()["C-1"]
    assert case.get("Subject") == "still ok" and case.get("Region") == ""  # not in the sheet
    added = store.initialize([])
    assert "Cases column 'Escalation'" in added
    assert not [p for p in store.load().problems if "missing" in p]
    store.apply(ChangeSet(updates=(CaseUpdate("C-1", frozen_map({"Region": "Americas"})),)))
    assert store.load().by_id()["C-1"].get("Region") == "Americas"


def test_memory_store_upgrades() -> None:
    _exercise(MemoryStore({"Cases": [list(OLD)]}))


def test_workbook_upgrades(tmp_path: Path) -> None:
    store = WorkbookStore(tmp_path / "q.xlsx")
    store.initialize([])
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "q.xlsx")
    ws = wb["Cases"]
    ws.delete_rows(1)
    ws.append(OLD)
    wb.save(tmp_path / "q.xlsx")
    _exercise(store)


def test_sheets_store_upgrades() -> None:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="old", sheets=("Cases",))
    api.seed(sid, "Cases", [OLD])
    _exercise(
        SheetsStore(SheetsConfig(spreadsheet=sid), session=api.session(), sleep=lambda s: None)
    )


def test_an_essential_column_missing_is_still_an_error() -> None:
    store = MemoryStore({"Cases": [[c for c in columns.DEFAULT_ORDER if c != "Sent log"]]})
    with pytest.raises(StoreSchemaError, match="Sent log"):
        store.load()
