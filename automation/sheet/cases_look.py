"""How the Cases tab looks, as data both stores turn into their own formatting.

Pure: no I/O.  The Sheets store turns this into ``batchUpdate`` requests
(``adapters/sheets/cases_format.py``), the workbook store into openpyxl styles
(``adapters/workbook_style.py``), so the two look the same.

Columns fall in three groups: the team's (green header: theirs to edit), the
poller's readable ones (blue header: what sheetdesk tells them), and the
machine's bookkeeping (grey header, grouped and hidden at the right: nobody
needs to read them, but they must stay).  Conditional rules are written as
spreadsheet formulas relative to the first data row (row 2); the first rule
that matches a cell wins, so the order below is the order of importance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from automation.sheet import layout as columns
from automation.sheet.a1 import column_letter

# Readable without ever opening a cell: the bookkeeping stays, out of the way.
MACHINE_COLUMNS: tuple[str, ...] = (
    columns.CUSTOMER_TZ,
    columns.THREAD_IDS,
    columns.SENT_LOG,
    columns.SEEN,
)
TIME_COLUMNS: tuple[str, ...] = (
    columns.OPENED,
    columns.FIRST_RESPONSE_DUE,
    columns.NEXT_UPDATE_DUE,
    columns.RESOLUTION_DUE,
    columns.LAST_CUSTOMER_MESSAGE,
    columns.MESSAGE_SENT,
)
COUNT_COLUMNS: tuple[str, ...] = (columns.MESSAGES,)
DUE_COLUMNS: tuple[str, ...] = (
    columns.FIRST_RESPONSE_DUE,
    columns.NEXT_UPDATE_DUE,
    columns.RESOLUTION_DUE,
)

# Widths in pixels (Sheets' unit; the workbook divides by 7 for characters).
WIDTHS: dict[str, int] = {
    columns.CASE_ID: 70,
    columns.SUBJECT: 240,
    columns.CUSTOMER: 150,
    columns.STATUS: 130,
    columns.PRIORITY: 80,
    columns.ASSIGNEE: 130,
    columns.MESSAGE_TO_CUSTOMER: 240,
    columns.RESOLUTION: 200,
    columns.NOTES: 200,
    columns.CASE_STATE: 220,
    columns.ESCALATION: 220,
    columns.TRIGGERS_FOUND: 200,
    columns.PRIORITY_AUTO: 80,
    columns.ROLE: 90,
    columns.ROUTED_TO: 130,
    columns.BACKUP: 130,
    columns.WHY: 320,
    columns.LATEST_TEXT: 320,
    columns.CUSTOMER_EMAIL: 200,
    columns.MESSAGES: 80,
    columns.LANGUAGE: 80,
    columns.REGION: 90,
    columns.POLLER_NOTE: 220,
}
TIME_WIDTH = 130
DEFAULT_WIDTH = 120
# Long free text is clipped (a click shows it all) so one long email doesn't make a
# row a page tall; everything a person scans wraps, so nothing they need is cut off.
CLIPPED: frozenset[str] = frozenset({columns.WHY, columns.LATEST_TEXT, *MACHINE_COLUMNS})

# Colours as RRGGBB.
HEADER_TEAM = "D9EAD3"
HEADER_POLLER = "CFE2F3"
HEADER_MACHINE = "EFEFEF"
HEADER_TEXT = "000000"
MACHINE_TEXT = "808080"
CRITICAL_FILL = "F4CCCC"
HIGH_FILL = "FFF2CC"
OVERDUE_FILL = "E06666"
OVERDUE_TEXT = "FFFFFF"
SETTLED_TEXT = "999999"

PRIORITY_CHOICES: tuple[str, ...] = ("Low", "High", "Critical")
ASSIGNEE_SOURCE = (columns.TEAM, "Name")  # the dropdown lists this tab's column


@dataclass(frozen=True)
class Rule:
    """A conditional format: ``formula`` (no leading ``=``, relative to row 2) over
    ``cols`` (every column when empty), filling and/or colouring the text."""

    formula: str
    cols: tuple[str, ...] = ()
    fill: str | None = None
    text: str | None = None
    bold: bool = False


def header_fill(name: str) -> str:
    if name in MACHINE_COLUMNS:
        return HEADER_MACHINE
    return HEADER_TEAM if name in columns.TEAM_COLUMNS else HEADER_POLLER


def width(name: str) -> int:
    if name in TIME_COLUMNS:
        return TIME_WIDTH
    return WIDTHS.get(name, DEFAULT_WIDTH)


def wraps(name: str) -> bool:
    return name not in CLIPPED


def machine_runs(header: Sequence[str]) -> list[tuple[int, int]]:
    """Runs ``[start, end)`` of adjacent machine columns, to group and hide."""
    runs: list[tuple[int, int]] = []
    for col, name in enumerate(header):
        if name not in MACHINE_COLUMNS:
            continue
        if runs and runs[-1][1] == col:
            runs[-1] = (runs[-1][0], col + 1)
        else:
            runs.append((col, col + 1))
    return runs


def rules(header: Sequence[str]) -> list[Rule]:
    """The conditional rules for this header, most important first: settled cases
    greyed, a due time already past in red, then the row coloured by its
    effective priority (the team's Priority, else the poller's)."""
    pos = {name: f"${column_letter(i)}2" for i, name in enumerate(header)}
    status = pos.get(columns.STATUS)
    mine, auto = pos.get(columns.PRIORITY), pos.get(columns.PRIORITY_AUTO)
    out: list[Rule] = []
    open_case = "TRUE"
    if status:
        out.append(Rule(f'OR({status}="Resolved",{status}="Closed")', text=SETTLED_TEXT))
        open_case = f'AND({status}<>"Resolved",{status}<>"Closed")'
    for due in DUE_COLUMNS:
        if due not in pos:
            continue
        cell = pos[due]
        extra = ""
        if due == columns.FIRST_RESPONSE_DUE and columns.MESSAGE_SENT in pos:
            extra = f',{pos[columns.MESSAGE_SENT]}=""'
        out.append(
            Rule(
                f"AND(ISNUMBER({cell}),{cell}<NOW(),{open_case}{extra})",
                cols=(due,),
                fill=OVERDUE_FILL,
                text=OVERDUE_TEXT,
                bold=True,
            )
        )
    for level, fill in (("Critical", CRITICAL_FILL), ("High", HIGH_FILL)):
        if mine and auto:
            formula = f'OR({mine}="{level}",AND({mine}="",{auto}="{level}"))'
        elif mine or auto:
            formula = f'{mine or auto}="{level}"'
        else:
            continue
        out.append(Rule(formula, fill=fill))
    return out
