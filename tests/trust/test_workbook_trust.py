"""Issue 11, findings 2, 4 and 12 on the owner's workbook.

Each hostile input is built the way another program would leave it: a text box
drawn into the file's package, a corrupt file, a LibreOffice lock file with a
host name, a stranger's subject full of control characters.
"""

from __future__ import annotations

import os
import socket
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from automation.adapters.workbook_files import read_lock, unkept_objects
from automation.adapters.workbook_store import WorkbookStore
from automation.errors import StoreBusyError, WorkbookUnusableError
from automation.ports import ChangeSet, NewCase, TabRows
from automation.sheet import layout as columns
from automation.sheet.storable import storable

POISON = "Refund\x00 now\x01\x1b[31m\x0c\x7f \ud83d end"  # NUL, SOH, ESC, FF, DEL, lone surrogate


def new(case_id: str, subject: str = "hello") -> NewCase:
    return NewCase(case_id, {"Subject": subject, columns.STATUS: "New", "Messages": "1"})


@pytest.fixture()
def book(tmp_path: Path) -> WorkbookStore:
    store = WorkbookStore(tmp_path / "sheetdesk.xlsx")
    store.initialize([])
    return store


def test_storable_makes_control_characters_visible_and_keeps_text() -> None:
    assert storable(POISON) == "Refund\u2400 now\u2401\u241b[31m\u240c\u2421 \ufffd end"
    assert storable("tab\there\nline\r\nok — ü 日本") == "tab\there\nline\r\nok — ü 日本"
    storable(POISON).encode("utf-8")  # every store can encode it


def test_poison_characters_in_every_cell_are_written_not_fatal(book: WorkbookStore) -> None:
    result = book.apply(
        ChangeSet(
            creates=(new("C-1", POISON), new("C-2", "fine")),
            appends=(TabRows("Quarantine", ("When", "Reason"), (("now", POISON),)),),
            replace_tabs={"Health": (("Last error", POISON),)},
        )
    )
    assert result.created == ("C-1", "C-2")
    snap = book.load()
    assert snap.by_id()["C-1"].get("Subject") == storable(POISON)
    assert snap.tabs["Quarantine"][1][1] == storable(POISON)
    assert snap.tabs["Health"][0][1] == storable(POISON)


def _with_text_box(path: Path) -> None:
    """Add a drawing holding one text box to the first sheet, as Excel saves it."""
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff>"
        "<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col>"
        "<xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/>'
        '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r>'
        "<a:t>Owner: call Sam before refunds</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
        "<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>'
    )
    src = zipfile.ZipFile(path)
    parts = {i.filename: src.read(i) for i in src.infolist()}
    src.close()
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b"</worksheet>",
        b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        b' r:id="rId9"/></worksheet>',
    )
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = rels.encode()
    parts["xl/drawings/drawing1.xml"] = drawing.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_text_box_is_never_destroyed(book: WorkbookStore) -> None:
    _with_text_box(book.path)
    openpyxl.load_workbook(book.path).close()  # still a workbook every program opens
    before = book.path.read_bytes()
    assert unkept_objects(book.path) == ["1 text box(es) or shape(s) (xl/drawings/drawing1.xml)"]
    with pytest.raises(WorkbookUnusableError, match="would remove 1 text box") as caught:
        book.apply(ChangeSet(creates=(new("C-1"),)))
    assert str(book.path) in str(caught.value)
    assert book.path.read_bytes() == before  # not a byte changed
    assert book.load().cases == ()  # reading still works


def test_team_formulas_and_highlights_stay_on_their_case(book: WorkbookStore) -> None:
    book.apply(ChangeSet(creates=(new("C-1"), new("C-2"))))
    wb = openpyxl.load_workbook(book.path)
    ws = wb["Cases"]
    mine = ws.max_column + 1
    ws.cell(row=1, column=mine, value="Mine")
    for row in (2, 3):
        ws.cell(row=row, column=mine, value=f"=A{row}")
    highlight = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    ws.cell(row=2, column=1).fill = highlight
    wb.save(book.path)
    book.apply(ChangeSet(creates=(new("C-3"), new("C-4"))))
    ws = openpyxl.load_workbook(book.path)["Cases"]
    for row in range(2, 6):
        case_id = ws.cell(row=row, column=1).value
        formula = ws.cell(row=row, column=mine).value
        assert formula in (f"=A{row}", None), (row, case_id, formula)
    assert ws.cell(row=2, column=1).value == "C-1"  # still the highlighted case
    assert ws.cell(row=2, column=1).fill.fgColor.rgb.endswith("FFFF00")
    assert {ws.cell(row=r, column=1).value for r in (4, 5)} == {"C-3", "C-4"}


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04 truncated", b"not a zip at all", b"<html>saved as web</html>"]
)
def test_a_corrupt_workbook_is_a_clear_message_naming_it(
    book: WorkbookStore, content: bytes
) -> None:
    book.path.write_bytes(content)
    for action in (book.load, lambda: book.apply(ChangeSet(creates=(new("C-1"),)))):
        with pytest.raises(WorkbookUnusableError) as caught:
            action()
        assert str(book.path) in str(caught.value) and "not a readable .xlsx" in str(caught.value)
    assert book.path.read_bytes() == content  # never overwritten


def _lo_lock(book: WorkbookStore, host: str, age_hours: float) -> Path:
    lock = book.path.parent / f".~lock.{book.path.name}#"
    lock.write_text(f"Sam Okoye,sam,{host},08.12.2026 01:00,file:///srv/{book.path.name};")
    then = time.time() - age_hours * 3600
    os.utime(lock, (then, then))
    return lock


def test_a_stale_libreoffice_lock_from_this_host_does_not_block_forever(
    book: WorkbookStore,
) -> None:
    lock = _lo_lock(book, socket.gethostname(), age_hours=5)
    info = read_lock(lock)
    assert info.stale and info.holder == f"sam@{socket.gethostname()}"
    assert "stale lock (5.0 h old" in info.sentence()
    assert book.apply(ChangeSet(creates=(new("C-1"),))).created == ("C-1",)
    assert lock.exists()  # someone else's file: reported, never deleted


def test_a_lock_from_another_host_is_respected_and_described(book: WorkbookStore) -> None:
    _lo_lock(book, "laptop-of-sam", age_hours=2)
    with pytest.raises(StoreBusyError, match=r"open by sam@laptop-of-sam for 2\.0 h"):
        book.apply(ChangeSet(creates=(new("C-1"),)))


def test_check_reports_a_lock_and_a_text_box(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from automation import cli
    from tests.cli.test_check_cli import _setup

    path = _setup(tmp_path)
    store = WorkbookStore(tmp_path / "sheetdesk.xlsx")
    capsys.readouterr()
    _lo_lock(store, "laptop-of-sam", age_hours=30)
    assert cli.main(["check", "--config", str(path)]) != 0
    out = capsys.readouterr().out
    assert "PROBLEM  store file (workbook):" in out and "sam@laptop-of-sam for 30.0 h" in out
    (tmp_path / f".~lock.{store.path.name}#").unlink()
    _with_text_box(store.path)
    cli.main(["check", "--config", str(path)])
    assert "would remove 1 text box" in capsys.readouterr().out
