"""``batchUpdate`` requests that make a new Cases tab readable (pure).

Turns ``sheet/cases_look.py`` into Sheets requests: a bold, filled header with
the first column frozen too; per-column widths, wrapping and number formats
(times as date-times, counts as numbers); the machine columns grouped and
hidden; conditional rules (settled cases grey, past due times red, rows by
effective priority); the Assignee dropdown (the Team tab's names, read live, so
a new person appears without a re-init); a filter on the header.  Notes and the
Status and Priority dropdowns come from the tab's ``TabSpec`` like every tab's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from automation.sheet import cases_look as look
from automation.sheet import layout as columns
from automation.sheet.a1 import column_letter

JsonObj = dict[str, Any]
TIME_PATTERN = "yyyy-mm-dd hh:mm"


def rgb(hex6: str) -> JsonObj:
    """A Sheets ``Color`` from ``RRGGBB``."""
    return {k: int(hex6[i : i + 2], 16) / 255 for k, i in (("red", 0), ("green", 2), ("blue", 4))}


def _cols(sheet_id: int, col: int, rows: tuple[int, int] | None = None) -> JsonObj:
    rng: JsonObj = {"sheetId": sheet_id, "startColumnIndex": col, "endColumnIndex": col + 1}
    if rows is not None:
        rng.update(startRowIndex=rows[0], endRowIndex=rows[1])
    return rng


def _header(sheet_id: int, col: int, name: str) -> JsonObj:
    text = look.MACHINE_TEXT if name in look.MACHINE_COLUMNS else look.HEADER_TEXT
    fmt = {
        "backgroundColor": rgb(look.header_fill(name)),
        "textFormat": {"bold": True, "foregroundColor": rgb(text)},
        "wrapStrategy": "WRAP",
        "verticalAlignment": "MIDDLE",
    }
    return {
        "repeatCell": {
            "range": _cols(sheet_id, col, (0, 1)),
            "cell": {"userEnteredFormat": fmt},
            "fields": "userEnteredFormat(backgroundColor,textFormat,wrapStrategy,"
            "verticalAlignment)",
        }
    }


def _body(sheet_id: int, col: int, name: str, height: int) -> JsonObj:
    fmt: JsonObj = {
        "wrapStrategy": "WRAP" if look.wraps(name) else "CLIP",
        "verticalAlignment": "TOP",
    }
    if name in look.TIME_COLUMNS:
        fmt["numberFormat"] = {"type": "DATE_TIME", "pattern": TIME_PATTERN}
    elif name in look.COUNT_COLUMNS:
        fmt["numberFormat"] = {"type": "NUMBER", "pattern": "0"}
    fields = "userEnteredFormat(wrapStrategy,verticalAlignment" + (
        ",numberFormat)" if "numberFormat" in fmt else ")"
    )
    return {
        "repeatCell": {
            "range": _cols(sheet_id, col, (1, height)),
            "cell": {"userEnteredFormat": fmt},
            "fields": fields,
        }
    }


def _width(sheet_id: int, col: int, name: str) -> JsonObj:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "COLUMNS",
                "startIndex": col,
                "endIndex": col + 1,
            },
            "properties": {"pixelSize": look.width(name)},
            "fields": "pixelSize",
        }
    }


def _machine_group(sheet_id: int, start: int, end: int) -> list[JsonObj]:
    span = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": start, "endIndex": end}
    return [
        {"addDimensionGroup": {"range": span}},
        {
            "updateDimensionProperties": {
                "range": span,
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        },
    ]


def _rule(
    sheet_id: int, header: Sequence[str], rule: look.Rule, height: int, index: int
) -> JsonObj:
    if rule.cols:
        ranges = [_cols(sheet_id, header.index(c), (1, height)) for c in rule.cols]
    else:
        ranges = [{"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": height}]
    fmt: JsonObj = {}
    if rule.fill:
        fmt["backgroundColor"] = rgb(rule.fill)
    if rule.text or rule.bold:
        fmt["textFormat"] = {"bold": rule.bold} | (
            {"foregroundColor": rgb(rule.text)} if rule.text else {}
        )
    condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=" + rule.formula}]}
    return {
        "addConditionalFormatRule": {
            "rule": {"ranges": ranges, "booleanRule": {"condition": condition, "format": fmt}},
            "index": index,
        }
    }


def _list_rule(sheet_id: int, col: int, height: int, condition: JsonObj, strict: bool) -> JsonObj:
    return {
        "setDataValidation": {
            "range": _cols(sheet_id, col, (1, height)),
            "rule": {"condition": condition, "showCustomUi": True, "strict": strict},
        }
    }


def _dropdowns(sheet_id: int, header: Sequence[str], height: int, team_col: int) -> list[JsonObj]:
    out = []
    if columns.ASSIGNEE in header:
        # Not strict: a name typed before it is added to Team is warned about, not refused.
        letter = column_letter(team_col)
        source = f"='{look.ASSIGNEE_SOURCE[0]}'!${letter}$2:${letter}"
        condition = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": source}]}
        out.append(_list_rule(sheet_id, header.index(columns.ASSIGNEE), height, condition, False))
    return out


def cases_format_requests(
    sheet_id: int, header: Sequence[str], height: int, team_col: int = 0
) -> list[JsonObj]:
    """Everything that styles a freshly laid-out Cases tab of ``height`` rows;
    ``team_col`` is the Team tab's Name column (0-based)."""
    out: list[JsonObj] = [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "gridProperties": {"frozenColumnCount": 1}},
                "fields": "gridProperties.frozenColumnCount",
            }
        }
    ]
    for col, name in enumerate(header):
        out += [_header(sheet_id, col, name), _body(sheet_id, col, name, height)]
        out.append(_width(sheet_id, col, name))
    for start, end in look.machine_runs(header):
        out += _machine_group(sheet_id, start, end)
    for index, rule in enumerate(look.rules(header)):
        out.append(_rule(sheet_id, header, rule, height, index))
    out += _dropdowns(sheet_id, header, height, team_col)
    span = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": height}
    out.append({"setBasicFilter": {"filter": {"range": span}}})
    return out
