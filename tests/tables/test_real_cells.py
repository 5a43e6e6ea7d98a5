"""Owner tabs accept real time and date cells, the way Excel and LibreOffice save
what an owner types ("9:00" becomes a time cell, "24/12/2026" a date cell)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from automation.adapters.workbook_store import WorkbookStore
from automation.sheet import layout as columns
from automation.tables import cell_values as v
from automation.tables.parse_tabs import parse_tables
from tests.support.decide_builders import TEAM_HEADER, TEAM_ROWS, base_tabs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9", time(9, 0)),
        ("09:00:00", time(9, 0)),  # a time cell as openpyxl and Sheets return it
        ("1899-12-30 08:30:00", time(8, 30)),  # a time cell saved as a date-time
        ("5:30 PM", time(17, 30)),
        ("12:00 a.m.", time(0, 0)),
        ("24:00", time(0, 0)),
    ],
)
def test_times_typed_or_stored_as_time_cells(text: str, expected: time) -> None:
    assert v.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "9:75", "nine", "09:00 tomorrow"])
def test_not_times(text: str) -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        v.parse_time(text)


def test_dates_typed_or_stored_as_date_cells() -> None:
    for text in ("2026-12-24", "24/12/2026", "2026-12-24 00:00:00", "2026-12-24T00:00:00"):
        assert v.parse_date(text) == date(2026, 12, 24), text
    with pytest.raises(ValueError, match="year-month-day"):
        v.parse_date("2026-12-24 13:45:00")  # a moment, not a day


def test_workbook_with_real_time_and_date_cells_parses(tmp_path: Path) -> None:
    path = tmp_path / "desk.xlsx"
    tabs = base_tabs()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.create_sheet("Cases").append(list(columns.DEFAULT_ORDER))
    for title, grid in tabs.items():
        ws = wb.create_sheet(title)
        for row in grid:
            ws.append(list(row))
    team = wb["Team"]
    start = TEAM_HEADER.index("Start") + 1
    team.cell(row=2, column=start).value = time(8, 30)  # what a spreadsheet program saves
    team.cell(row=2, column=start).number_format = "hh:mm"
    coverage = wb["Coverage"] if "Coverage" in wb.sheetnames else wb.create_sheet("Coverage")
    if coverage.max_row <= 1 and coverage["A1"].value is None:
        coverage.append(["Person", "From", "To", "Note"])
    name = TEAM_ROWS[0][0]
    coverage.append([name, datetime(2030, 12, 24), datetime(2030, 12, 26), "holiday"])
    wb.save(path)
    snapshot = WorkbookStore(path).load()
    tables, problems = parse_tables(snapshot.tabs)
    assert problems == []
    member = tables.member(name)
    assert member is not None and member.start == time(8, 30)
    assert any(a.first == date(2030, 12, 24) for a in tables.absences), tables.absences
