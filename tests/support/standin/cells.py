"""Typed cell values: what RAW and USER_ENTERED store, and how each render option shows it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from tests.support.standin.errors import ApiError, bad_request

CELL_CHAR_LIMIT = 50_000
Kind = Literal["string", "number", "bool", "formula"]
Scalar = str | float | bool

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_PERCENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EPOCH = date(1899, 12, 30)
_CURRENCY = re.compile(r"^-?\$(\d{1,3}(,\d{3})*|\d+)(\.\d+)?$")
STRICT_TRIGGERS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class CellValue:
    """A stored value.  ``display`` is set when the input chose its own format
    (``1,000``, ``50%``); ``result`` is the plausible value of a formula."""

    kind: Kind
    value: Scalar
    display: str | None = None
    result: CellValue | None = None
    is_date: bool = False


def format_number(number: float) -> str:
    """Sheets' automatic format: integers plainly, fractions to 10 significant places."""
    if math.isfinite(number) and number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def json_number(number: float) -> int | float:
    if math.isfinite(number) and number == int(number) and abs(number) < 2**53:
        return int(number)
    return number


def formatted(cell: CellValue | None) -> str:
    if cell is None:
        return ""
    if cell.kind == "formula":
        return formatted(cell.result) if cell.result is not None else ""
    if cell.display is not None:
        return cell.display
    if cell.kind == "number":
        assert isinstance(cell.value, float | int)
        return format_number(float(cell.value))
    if cell.kind == "bool":
        return "TRUE" if cell.value else "FALSE"
    return str(cell.value)


def unformatted(cell: CellValue | None) -> Any:
    if cell is None:
        return ""
    if cell.kind == "formula":
        return unformatted(cell.result) if cell.result is not None else ""
    if cell.kind == "number":
        assert isinstance(cell.value, float | int)
        return json_number(float(cell.value))
    return cell.value


def render(cell: CellValue | None, option: str, dt_option: str | None = None) -> Any:
    """One cell for ``valueRenderOption``/``dateTimeRenderOption``."""
    if option == "FORMATTED_VALUE":
        return formatted(cell)
    if option == "FORMULA" and cell is not None and cell.kind == "formula":
        return cell.value
    if cell is not None and cell.is_date and dt_option == "FORMATTED_STRING":
        return formatted(cell)
    return unformatted(cell)


def is_blank(cell: CellValue | None) -> bool:
    return cell is None


def _check_length(text: str) -> None:
    if len(text) > CELL_CHAR_LIMIT:
        raise bad_request(
            f"Your input contains more than the maximum of {CELL_CHAR_LIMIT} "
            "characters in a single cell."
        )


def from_input(raw: Any, option: str, strict: bool) -> CellValue | None:
    """Convert one non-null JSON cell of a values write.  ``""`` clears (None)."""
    if isinstance(raw, bool):
        return CellValue("bool", raw)
    if isinstance(raw, int | float):
        return CellValue("number", float(raw))
    if not isinstance(raw, str):
        raise bad_request(f"Invalid values: unsupported cell {raw!r}")
    _check_length(raw)
    if raw == "":
        return None
    if option == "RAW":
        return CellValue("string", raw)
    if strict and raw.startswith(STRICT_TRIGGERS):
        raise ApiError(
            400,
            f"Stand-in strict mode: USER_ENTERED value starting with {raw[0]!r} refused "
            "(possible formula injection); write customer text with RAW.",
        )
    return parse_user_entered(raw)


def parse_user_entered(text: str) -> CellValue:
    """Parse like the UI: formulas, numbers, booleans, a leading ``'`` forces text."""
    if text.startswith("'"):
        return CellValue("string", text[1:])
    if text.startswith("=") and len(text) > 1:
        from tests.support.standin.formulas import evaluate

        return CellValue("formula", text, result=evaluate(text))
    stripped = text.strip()
    if _NUMBER.match(stripped):
        return CellValue("number", float(stripped))
    if _GROUPED.match(stripped):
        return CellValue("number", float(stripped.replace(",", "")), display=stripped)
    if _PERCENT.match(stripped):
        return CellValue("number", float(stripped[:-1]) / 100, display=stripped)
    if _CURRENCY.match(stripped):
        number = float(stripped.replace("$", "").replace(",", ""))
        return CellValue("number", number, display=stripped)
    serial = _date_serial(stripped)
    if serial is not None:
        return CellValue("number", float(serial), display=stripped, is_date=True)
    if stripped.upper() in ("TRUE", "FALSE"):
        return CellValue("bool", stripped.upper() == "TRUE")
    return CellValue("string", text)


def _date_serial(text: str) -> int | None:
    """Days since 1899-12-30 for ``2020-01-01`` or (en_US) ``1/2/2020``; else None."""
    iso, us = _ISO_DATE.match(text), _US_DATE.match(text)
    try:
        if iso:
            day = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif us:
            day = date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        else:
            return None
    except ValueError:
        return None
    return (day - _EPOCH).days


def from_extended(value: Any) -> CellValue | None:
    """An ExtendedValue from ``updateCells``/``appendCells`` (never parsed)."""
    if not isinstance(value, dict) or not value:
        return None
    if "stringValue" in value:
        text = str(value["stringValue"])
        _check_length(text)
        return CellValue("string", text) if text else None
    if "numberValue" in value:
        return CellValue("number", float(value["numberValue"]))
    if "boolValue" in value:
        return CellValue("bool", bool(value["boolValue"]))
    if "formulaValue" in value:
        from tests.support.standin.formulas import evaluate

        text = str(value["formulaValue"])
        _check_length(text)
        return CellValue("formula", text, result=evaluate(text))
    if "errorValue" in value:
        return CellValue("string", "#ERROR!")
    raise bad_request(f"Invalid ExtendedValue: {sorted(value)}")


def to_extended(cell: CellValue | None) -> dict[str, Any] | None:
    """The ExtendedValue a GET with grid data reports."""
    if cell is None:
        return None
    if cell.kind == "string":
        return {"stringValue": cell.value}
    if cell.kind == "number":
        assert isinstance(cell.value, float | int)
        return {"numberValue": json_number(float(cell.value))}
    if cell.kind == "bool":
        return {"boolValue": cell.value}
    return {"formulaValue": cell.value}
