"""openpyxl styles that make the workbook's Cases tab readable.

The same look as the Google Sheet (``sheet/cases_look.py``): a bold, filled,
frozen header; widths; wrapping; the machine columns grouped and hidden;
conditional rules (settled cases grey, past due times red, rows by effective
priority); a Priority dropdown from the spec and an Assignee dropdown that
reads the Team tab's names live; a filter on the header.

``style_cases`` runs once when ``init`` creates the tab (``style_owner_tab``
for the owners' tabs: a filled header and widths that fit the starter rows).  ``style_rows`` runs
after every write: openpyxl creates new cells unstyled, and a cell's own style
hides the column's, so the rows the poller inserted get the column's
alignment and number format here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from automation.ports import ChangeSet
from automation.sheet import cases_look as look
from automation.sheet import layout as columns
from automation.sheet.a1 import column_letter
from automation.sheet.case_table import CASES_TAB

LAST_ROW = 1000  # the rules' reach, as in the Sheet (rows added later stay inside)
TIME_FORMAT = "yyyy-mm-dd hh:mm"
LINE_POINTS = 15  # one line of the default 11-point font
MAX_LINES = 4  # taller rows stop being a list; the cell still holds everything
OWNER_MAX_CHARS = 45
OWNER_MIN_CHARS = 12  # room for a name typed after init


def _fill(hex6: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=hex6, end_color=hex6)


def _alignment(name: str) -> Alignment:
    return Alignment(wrap_text=look.wraps(name), vertical="top")


def _header(ws: Any, header: Sequence[str]) -> None:
    for col, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=col)
        text = look.MACHINE_TEXT if name in look.MACHINE_COLUMNS else look.HEADER_TEXT
        cell.font = Font(bold=True, color=text)
        cell.fill = _fill(look.header_fill(name))
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dim = ws.column_dimensions[column_letter(col - 1)]
        dim.width = round(look.width(name) / 7, 1)


def _rules(ws: Any, header: Sequence[str]) -> None:
    last = column_letter(len(header) - 1)
    for rule in look.rules(header):
        if rule.cols:
            spans = [column_letter(header.index(c)) for c in rule.cols]
            where = " ".join(f"{c}2:{c}{LAST_ROW}" for c in spans)
        else:
            where = f"A2:{last}{LAST_ROW}"
        font = Font(bold=rule.bold, color=rule.text) if rule.text or rule.bold else None
        fill = _fill(rule.fill) if rule.fill else None
        ws.conditional_formatting.add(
            where, FormulaRule(formula=[rule.formula], font=font, fill=fill, stopIfTrue=True)
        )


def _assignee_dropdown(ws: Any, header: Sequence[str], team_col: int) -> None:
    if columns.ASSIGNEE not in header:
        return
    tab, letter = look.ASSIGNEE_SOURCE[0], column_letter(team_col)
    rule = DataValidation(
        type="list", formula1=f"'{tab}'!${letter}$2:${letter}$500", allow_blank=True
    )
    rule.showErrorMessage = False  # a name not yet on Team is allowed, as in the Sheet
    target = column_letter(header.index(columns.ASSIGNEE))
    rule.add(f"{target}2:{target}1048576")
    ws.add_data_validation(rule)


def style_cases(ws: Any, header: Sequence[str], team_col: int = 0) -> None:
    """Style a freshly created Cases sheet whose row 1 is ``header``."""
    _header(ws, header)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{column_letter(len(header) - 1)}1"
    for start, end in look.machine_runs(header):
        ws.column_dimensions.group(
            column_letter(start), column_letter(end - 1), hidden=True, outline_level=1
        )
    _rules(ws, header)
    _assignee_dropdown(ws, header, team_col)
    style_rows(ws)


def style_owner_tab(ws: Any) -> None:
    """An owner's tab: bold filled header, and each column as wide as its
    longest value (capped; longer values wrap)."""
    widest: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(len(line) for line in str(cell.value).split("\n"))
                widest[cell.column] = max(widest.get(cell.column, 0), longest)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _fill(look.HEADER_TEAM)
    for col, chars in widest.items():
        fit = min(max(chars, OWNER_MIN_CHARS), OWNER_MAX_CHARS) + 2
        ws.column_dimensions[column_letter(col - 1)].width = fit
        if chars > OWNER_MAX_CHARS:
            for (cell,) in ws.iter_rows(min_col=col, max_col=col):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def restyle(wb: Any, changes: ChangeSet) -> None:
    """After a write: the Cases rows get their look, and the tabs the poller
    rewrites or appends to (Health, Metrics, Non-cases, ...) widths that fit.
    Owners' own tabs are left as they shaped them."""
    if CASES_TAB in wb.sheetnames:
        style_rows(wb[CASES_TAB])
    for tab in {*changes.replace_tabs, *(log.tab for log in changes.appends)}:
        if tab in wb.sheetnames and tab != CASES_TAB:
            style_owner_tab(wb[tab])


def style_rows(ws: Any) -> None:
    """Give every data cell of the Cases sheet its column's alignment and format,
    and each row a height that shows its wrapped text (spreadsheet programs keep
    the stored height when they open a file, so it is computed here)."""
    header = [str(c.value or "") for c in ws[1]]
    aligns = [_alignment(name) for name in header]
    numbers = [_number_format(name) for name in header]
    for row in ws.iter_rows(min_row=2, max_col=len(header)):
        lines = 1
        for col, cell in enumerate(row):
            if cell.alignment != aligns[col]:
                cell.alignment = aligns[col]
            if numbers[col] and cell.number_format != numbers[col]:
                cell.number_format = numbers[col]
            if cell.value is not None and look.wraps(header[col]):
                lines = max(lines, _lines(str(cell.value), look.width(header[col])))
        ws.row_dimensions[row[0].row].height = LINE_POINTS * min(lines, MAX_LINES)


def _number_format(name: str) -> str | None:
    if name in look.TIME_COLUMNS:
        return TIME_FORMAT
    return "0" if name in look.COUNT_COLUMNS else None


def _lines(text: str, pixels: int) -> int:
    """Lines ``text`` takes when wrapped in a column ``pixels`` wide (a plain
    estimate at 7 pixels a character, the default font's average)."""
    per_line = max(1, pixels // 7 - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
