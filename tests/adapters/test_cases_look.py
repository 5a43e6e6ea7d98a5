"""The Cases tab's look, in both stores: what ``init`` asks Google Sheets for
(read back from the stand-in after gspread's real HTTP path), and the styles
the workbook store saves (read back from the file with openpyxl)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from gspread.urls import SPREADSHEET_URL

from automation.adapters.sheets.cases_format import rgb
from automation.adapters.sheets.store import SheetsStore
from automation.adapters.workbook_store import WorkbookStore
from automation.config import SheetsConfig
from automation.ports import ChangeSet, NewCase
from automation.sheet import cases_look as look
from automation.sheet import layout as columns
from automation.sheet.tab_specs import CASES_NOTES, all_tab_specs
from tests.support.standin import SheetsStandIn

HEADER = list(columns.DEFAULT_ORDER)


def _sheets_cases() -> dict[str, Any]:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support", sheets=("Sheet1",))
    store = SheetsStore(SheetsConfig(spreadsheet=sid), session=api.session(), rng=random.Random(0))
    created = store.initialize(all_tab_specs())
    assert "Cases" in created and "Team" in created
    reply = api.session().get(SPREADSHEET_URL % sid, params={"includeGridData": "true"})
    assert reply.status_code == 200, reply.text
    sheets = {s["properties"]["title"]: s for s in reply.json()["sheets"]}
    return sheets["Cases"]


def _rules_text(rules: list[dict[str, Any]]) -> list[str]:
    return [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules]


def test_sheets_init_lays_out_a_readable_cases_tab() -> None:
    cases = _sheets_cases()
    grid = cases["properties"]["gridProperties"]
    assert grid["frozenRowCount"] == 1 and grid["frozenColumnCount"] == 1
    data = cases["data"][0]
    header = data["rowData"][0]["values"]
    assert [c["formattedValue"] for c in header] == HEADER
    for name, cell in zip(HEADER, header, strict=True):
        fmt = cell["userEnteredFormat"]
        assert fmt["textFormat"]["bold"] is True, name
        assert cell["note"] == CASES_NOTES[name], name  # a note on every header
        expected = rgb(look.header_fill(name))
        assert fmt["backgroundColor"] == pytest.approx(expected, abs=1e-6), name
    widths = {n: m["pixelSize"] for n, m in zip(HEADER, data["columnMetadata"], strict=False)}
    assert widths["Subject"] == look.width("Subject") > widths["Messages"]
    for name in look.MACHINE_COLUMNS:
        assert data["columnMetadata"][HEADER.index(name)].get("hiddenByUser") is True, name
    for name in ("Subject", "Customer", "Case ID"):
        assert data["columnMetadata"][HEADER.index(name)].get("hiddenByUser") is not True
    start = min(HEADER.index(n) for n in look.MACHINE_COLUMNS)
    assert cases["columnGroups"][0]["range"]["startIndex"] == start
    assert start > max(HEADER.index(n) for n in columns.TEAM_COLUMNS)  # grouped at the right
    body = data["rowData"][1]["values"]
    opened = body[HEADER.index("Opened")]["userEnteredFormat"]["numberFormat"]
    assert opened["type"] == "DATE_TIME"
    assert body[HEADER.index("Subject")]["userEnteredFormat"]["wrapStrategy"] == "WRAP"
    assert body[HEADER.index("Why")]["userEnteredFormat"]["wrapStrategy"] == "CLIP"
    rules = _rules_text(cases["conditionalFormats"])
    letter = {n: chr(ord("A") + i) for i, n in enumerate(HEADER[:26])}
    assert any(f'${letter["Priority"]}2="Critical"' in r for r in rules)  # effective priority
    for due in look.DUE_COLUMNS:
        assert any(f"ISNUMBER(${letter[due]}2)" in r and "NOW()" in r for r in rules), due
    rules_assignee = body[HEADER.index("Assignee")]["dataValidation"]["condition"]
    assert rules_assignee["type"] == "ONE_OF_RANGE"
    assert rules_assignee["values"][0]["userEnteredValue"] == "='Team'!$A$2:$A"
    priority = body[HEADER.index("Priority")]["dataValidation"]["condition"]
    assert [v["userEnteredValue"] for v in priority["values"]] == ["Low", "High", "Critical"]
    status = body[HEADER.index("Status")]["dataValidation"]["condition"]
    assert [v["userEnteredValue"] for v in status["values"]] == list(columns.STATUSES)
    protected = {
        c
        for p in cases["protectedRanges"]
        if p["warningOnly"]
        for c in range(p["range"]["startColumnIndex"], p["range"]["endColumnIndex"])
    }
    assert {HEADER[c] for c in protected} == set(columns.POLLER_COLUMNS)
    assert "basicFilter" in cases


def test_workbook_init_styles_the_cases_tab_and_new_rows(tmp_path: Path) -> None:
    path = tmp_path / "desk.xlsx"
    store = WorkbookStore(path)
    store.initialize(all_tab_specs())
    subject = "A subject long enough to need two lines in a column of its width, at least"
    store.apply(ChangeSet(creates=(NewCase("C-1", {"Subject": subject, "Priority": "High"}),)))
    ws = openpyxl.load_workbook(path)["Cases"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "B2"
    for col, name in enumerate(HEADER, start=1):
        cell = ws.cell(row=1, column=col)
        assert cell.font.bold, name
        assert cell.fill.fgColor.rgb.endswith(look.header_fill(name)), name
        assert cell.comment is not None and cell.comment.text == CASES_NOTES[name], name
    letter = {n: openpyxl.utils.get_column_letter(i + 1) for i, n in enumerate(HEADER)}
    assert ws.column_dimensions[letter["Subject"]].width == round(look.width("Subject") / 7, 1)
    assert ws.column_dimensions[letter[look.MACHINE_COLUMNS[0]]].hidden
    assert not ws.column_dimensions[letter["Subject"]].hidden
    ranked = sorted(
        (r.priority, r.formula[0]) for cf in ws.conditional_formatting for r in cf.rules
    )
    assert [f for _, f in ranked] == [r.formula for r in look.rules(HEADER)]  # first match wins
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "'Team'!$A$2:$A$500" in lists and '"Low,High,Critical"' in lists
    row = ws[2]
    assert row[HEADER.index("Subject")].value == subject
    assert row[HEADER.index("Subject")].alignment.wrap_text  # the inserted row got the look
    assert not row[HEADER.index("Why")].alignment.wrap_text
    assert 2 * 15 <= ws.row_dimensions[2].height <= 4 * 15  # shows the wrapped subject
