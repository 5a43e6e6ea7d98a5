"""A1 notation: parsing ranges like ``'It''s'!A1:B2`` and printing them back.

Indexes are 0-based and half-open, like a GridRange.  ``None`` as an end means
"to the end of the grid"; ``None`` as a start means "from the first row/column".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.support.standin.errors import ApiError, bad_request

_CELL = re.compile(r"^(\$?([A-Za-z]{1,3}))?(\$?([0-9]+))?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1_LIKE = re.compile(r"^[Rr][0-9]*[Cc][0-9]*$")


@dataclass(frozen=True)
class CellSpan:
    """Bounds of a range inside one sheet."""

    r0: int | None = None
    r1: int | None = None
    c0: int | None = None
    c1: int | None = None


@dataclass(frozen=True)
class ParsedRange:
    title: str | None  # None: the first visible sheet (or a named range, see ``bare``)
    span: CellSpan | None  # None: the whole sheet
    bare: str | None = None  # an unquoted string without "!": a title or a named range


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def quote_title(title: str) -> str:
    """Quote a sheet title the way the API echoes it in ranges."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title) and not _R1C1_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_span(r0: int, r1: int, c0: int, c1: int) -> str:
    """Bounded span (half-open) as ``A1`` or ``A1:B2``."""
    start = f"{col_letters(c0)}{r0 + 1}"
    if r1 - r0 == 1 and c1 - c0 == 1:
        return start
    return f"{start}:{col_letters(c1 - 1)}{r1}"


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    return f"{quote_title(title)}!{format_span(r0, r1, c0, c1)}"


def _endpoint(text: str, original: str) -> tuple[int | None, int | None]:
    m = _CELL.match(text)
    if not m or not (m.group(2) or m.group(4)):
        raise unparsable(original)
    col = col_index(m.group(2)) if m.group(2) else None
    row = int(m.group(4)) - 1 if m.group(4) else None
    if row is not None and row < 0:
        raise unparsable(original)
    return col, row


def unparsable(original: str) -> ApiError:
    return bad_request(f"Unable to parse range: {original}")


def parse_span(text: str, original: str) -> CellSpan:
    """``A1``, ``A1:B2``, ``A:A``, ``1:2``, ``A5:A``; reversed corners are normalised."""
    parts = text.split(":")
    if len(parts) > 2 or not parts[0]:
        raise unparsable(original)
    c_a, r_a = _endpoint(parts[0], original)
    if len(parts) == 1:
        if c_a is None or r_a is None:
            raise unparsable(original)
        return CellSpan(r_a, r_a + 1, c_a, c_a + 1)
    c_b, r_b = _endpoint(parts[1], original)
    if (c_a is None) != (c_b is None) and r_a is None and r_b is None:
        raise unparsable(original)
    r0, r1 = _order(r_a, r_b)
    c0, c1 = _order(c_a, c_b)
    return CellSpan(r0, r1, c0, c1)


def _order(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    if a is not None and b is not None:
        lo, hi = min(a, b), max(a, b)
        return lo, hi + 1
    if a is None and b is None:
        return None, None
    known = a if a is not None else b
    assert known is not None
    if a is None:  # ":B5" style: from the start to the known end
        return None, known + 1
    return known, None


def is_cell_ref(text: str) -> bool:
    try:
        parse_span(text, text)
    except ApiError:
        return False
    return True


def parse_a1(text: str) -> ParsedRange:
    """Split ``text`` into an (unresolved) sheet title and a span."""
    original = text
    text = text.strip()
    if not text:
        raise unparsable(original)
    if text.startswith("'"):
        title, rest = _quoted(text, original)
        if not rest:
            return ParsedRange(title, None)
        if not rest.startswith("!"):
            raise unparsable(original)
        return ParsedRange(title, parse_span(rest[1:], original))
    if "!" in text:
        title, _, cells = text.rpartition("!")
        if not title:
            raise unparsable(original)
        return ParsedRange(title, parse_span(cells, original) if cells else None)
    if is_cell_ref(text) and _looks_like_cells(text):
        return ParsedRange(None, parse_span(text, original))
    return ParsedRange(None, None, bare=text)


def _looks_like_cells(text: str) -> bool:
    return all(re.match(r"^\$?[A-Za-z]{0,3}\$?[0-9]*$", p) for p in text.split(":"))


def _quoted(text: str, original: str) -> tuple[str, str]:
    out = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), text[i + 1 :]
        out.append(ch)
        i += 1
    raise unparsable(original)
