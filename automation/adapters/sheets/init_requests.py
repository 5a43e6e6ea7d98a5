"""batchUpdate requests for tabs: ``initialize``, log-tab appends, tab replacement (pure).

``init_requests`` lays out every missing tab in one batch: header row, starter
rows, frozen header, header notes, ONE_OF_LIST dropdowns on whole columns below
the header.  The Cases tab also gets its look (``cases_format``) and a *warning-only*
protected range over each run of poller-owned columns, so a person editing one
is warned that sheetdesk overwrites it (never blocked: editors cannot be set on
a warning-only range).  Tabs that exist are never touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from automation.adapters.sheets import wire as sheets_wire
from automation.adapters.sheets.cases_format import cases_format_requests
from automation.ports import Grid, TabRows, TabSpec
from automation.sheet import case_table as casetab
from automation.sheet import layout as columns
from automation.sheet.tab_specs import cases_spec, team_name_col

JsonObj = dict[str, Any]
LIST_FIELDS = "sheets(properties(sheetId,title,gridProperties(columnCount)))"
MIN_ROWS, MIN_COLS = 1000, 26


class SheetIds:
    """Fresh sheetIds for tabs added in one batch (chosen by us so that later
    requests in the same batch can refer to them)."""

    def __init__(self, tabs: Mapping[str, sheets_wire.TabData] | Sequence[int]) -> None:
        taken = [t.sheet_id for t in tabs.values()] if isinstance(tabs, Mapping) else list(tabs)
        self.next = max(taken, default=0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _capped(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[columns.cap_cell(str(c)) for c in row] for row in rows]


def log_requests(
    tabs: Mapping[str, sheets_wire.TabData], appends: Sequence[TabRows], ids: SheetIds
) -> list[JsonObj]:
    """``appendCells`` per log tab, skipping rows already present (re-applying is
    harmless); a missing tab is added with its header first."""
    out: list[JsonObj] = []
    added: dict[str, int] = {}
    have: dict[str, set[tuple[str, ...]]] = {}
    for log in appends:
        tab = tabs.get(log.tab)
        width = len(log.header)
        if log.tab not in have:
            grid = tab.grid if tab else []
            have[log.tab] = {tuple(casetab.pad(r, width)) for r in grid}
        if tab is not None:
            sheet_id = tab.sheet_id
        elif log.tab in added:
            sheet_id = added[log.tab]
        else:
            sheet_id = added[log.tab] = ids.take()
            out.append(sheets_wire.add_sheet(sheet_id, log.tab, MIN_ROWS, max(width, MIN_COLS), 1))
            out.append(sheets_wire.write_rows(sheet_id, 0, [list(log.header)]))
        fresh = []
        for row in _capped(log.rows):
            key = tuple(casetab.pad(row, width))
            if key not in have[log.tab]:
                have[log.tab].add(key)
                fresh.append(row)
        if fresh:
            out.append(sheets_wire.append_cells(sheet_id, fresh))
    return out


def replace_requests(
    tabs: Mapping[str, sheets_wire.TabData], replace: Mapping[str, Grid], ids: SheetIds
) -> list[JsonObj]:
    """Each tab's values replaced wholesale (Health, Metrics); grown first if needed."""
    out: list[JsonObj] = []
    for title, grid in replace.items():
        rows = _capped(grid)
        height, width = len(rows), max((len(r) for r in rows), default=0)
        tab = tabs.get(title)
        if tab is None:
            sheet_id = ids.take()
            out.append(
                sheets_wire.add_sheet(sheet_id, title, max(height, 100), max(width, MIN_COLS))
            )
        else:
            sheet_id = tab.sheet_id
            out += sheets_wire.grow(sheet_id, height - tab.row_count, width - tab.col_count)
        out.append(sheets_wire.replace_values(sheet_id, rows))
    return out


def _runs(header: Sequence[str], wanted: set[str]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for col, name in enumerate(header):
        if name in wanted:
            if runs and runs[-1][1] == col:
                runs[-1] = (runs[-1][0], col + 1)
            else:
                runs.append((col, col + 1))
    return runs


def _spec_requests(sheet_id: int, spec: TabSpec) -> list[JsonObj]:
    width = (
        max(len(spec.header), *(len(r) for r in spec.rows), 1) if spec.rows else len(spec.header)
    )
    height = max(MIN_ROWS, len(spec.rows) + 1)
    out = [sheets_wire.add_sheet(sheet_id, spec.title, height, max(width, MIN_COLS), 1)]
    out.append(sheets_wire.write_rows(sheet_id, 0, [list(spec.header), *_capped(spec.rows)]))
    out.append(
        {
            "repeatCell": {
                "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        }
    )
    for col, name in enumerate(spec.header):
        if name in spec.notes:
            out.append(
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": col},
                        "rows": [{"values": [{"note": spec.notes[name]}]}],
                        "fields": "note",
                    }
                }
            )
        if spec.choices.get(name):
            out.append(
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": 1,
                            "endRowIndex": height,
                            "startColumnIndex": col,
                            "endColumnIndex": col + 1,
                        },
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": v} for v in spec.choices[name]],
                            },
                            "showCustomUi": True,
                            "strict": True,
                        },
                    }
                }
            )
    return out


def init_requests(existing: Any, specs: Sequence[TabSpec]) -> tuple[list[JsonObj], list[str]]:
    """Requests creating the Cases tab and every spec'd tab that is missing."""
    sheets = (existing or {}).get("sheets") or []
    titles = {str((s.get("properties") or {}).get("title")) for s in sheets}
    ids = SheetIds([int((s.get("properties") or {}).get("sheetId") or 0) for s in sheets])
    out: list[JsonObj] = []
    created: list[str] = []
    for spec in (cases_spec(), *specs):
        if spec.title in titles or spec.title in created:
            continue
        sheet_id = ids.take()
        out += _spec_requests(sheet_id, spec)
        if spec.title == casetab.CASES_TAB:
            height = max(MIN_ROWS, len(spec.rows) + 1)
            out += cases_format_requests(sheet_id, spec.header, height, team_name_col(specs))
            for start, end in _runs(spec.header, set(columns.POLLER_COLUMNS)):
                out.append(
                    {
                        "addProtectedRange": {
                            "protectedRange": {
                                "range": {
                                    "sheetId": sheet_id,
                                    "startRowIndex": 0,
                                    "startColumnIndex": start,
                                    "endColumnIndex": end,
                                },
                                "description": "sheetdesk writes these columns; "
                                "your edits here are overwritten",
                                "warningOnly": True,
                            }
                        }
                    }
                )
        created.append(spec.title)
    return out, created


def upgrade_requests(existing: Any, header_row: Sequence[str]) -> tuple[list[JsonObj], list[str]]:
    """Requests adding the known columns an existing Cases tab lacks, at its right
    end (a sheet laid out by an older sheetdesk); returns them and the names."""
    header = [str(c) for c in header_row]
    while header and not header[-1].strip():
        header.pop()
    have = {" ".join(h.split()).casefold() for h in header}
    missing = [n for n in columns.DEFAULT_ORDER if n.casefold() not in have]
    props = next(
        (
            s.get("properties") or {}
            for s in (existing or {}).get("sheets") or []
            if (s.get("properties") or {}).get("title") == casetab.CASES_TAB
        ),
        None,
    )
    if not missing or props is None:
        return [], []
    sheet_id = int(props.get("sheetId") or 0)
    count = int((props.get("gridProperties") or {}).get("columnCount") or 0)
    out: list[JsonObj] = []
    short = len(header) + len(missing) - count
    if short > 0:
        out.append(
            {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": short}}
        )
    out.append(
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": len(header)},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": n}} for n in missing]}],
                "fields": "userEnteredValue",
            }
        }
    )
    return out, missing
