"""Bounding a raw message's top-level header block before any parser sees it.

Python's RFC 2047 decoder slows down sharply on very long headers made of
encoded words (a 1 MB subject takes minutes), and a hostile header block can
hold hundreds of thousands of fields.  ``cap_header_block`` rewrites the raw
bytes so that each field's raw value stays under a per-field limit (cut on a
space, so no encoded word is split), the number of fields stays under
``MAX_FIELDS`` and the whole block under ``MAX_BLOCK_BYTES``.  Bodies are
passed through untouched.  It also turns bare-CR line endings into CRLF, so
old Mac mail (and this scanner) see real lines, drops a leading byte-order
mark, and rewrites obsolete ``Name :`` field syntax to ``Name:``.
"""

from __future__ import annotations

import re

SUBJECT_LIMIT = 2_000
ADDRESS_LIMIT = 16_000
DEFAULT_LIMIT = 8_000
ID_LIMIT = 32_000  # References of a long thread are legitimately long
MAX_FIELDS = 1_000
MAX_BLOCK_BYTES = 1_000_000

_LIMITS = {
    b"subject": SUBJECT_LIMIT,
    b"thread-topic": SUBJECT_LIMIT,
    b"from": ADDRESS_LIMIT,
    b"to": ADDRESS_LIMIT,
    b"cc": ADDRESS_LIMIT,
    b"bcc": ADDRESS_LIMIT,
    b"reply-to": ADDRESS_LIMIT,
    b"references": ID_LIMIT,
    b"in-reply-to": ID_LIMIT,
}

_FIELD_START = re.compile(rb"[!-9;-~]+[ \t]*:")
_BLANK_LINE = re.compile(rb"(\r\n|\n)(\r\n|\n)")
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\n|\r)?")


def _truncate(field: bytes, name: bytes, limit: int) -> bytes:
    """The field cut to about ``limit`` bytes of value, on a whitespace boundary."""
    colon = field.index(b":")
    value = field[colon + 1 :]
    cut = value[:limit]
    space = max(cut.rfind(b" "), cut.rfind(b"\t"))
    if space > limit // 2:
        cut = cut[:space]
    # Leave no half encoded word behind: drop an opening "=?" with no closing "?=".
    opening = cut.rfind(b"=?")
    if opening != -1 and cut.find(b"?=", opening + 2) == -1:
        cut = cut[:opening]
    return name + b":" + cut.rstrip(b"\r\n") + b"\r\n"


def cap_header_block(raw: bytes) -> tuple[bytes, list[str], frozenset[str]]:
    """``raw`` with its header block bounded; notes, and the names truncated.

    The returned names (lower-case) let the caller mark the decoded value.
    """
    notes: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append("byte-order mark removed")
    if b"\n" not in raw[:MAX_BLOCK_BYTES] and b"\r" in raw:
        raw = raw.replace(b"\r", b"\r\n")
        notes.append("bare CR line endings converted")
    fields, end_of_block, overflow = _scan_fields(raw)
    kept, truncated, rewritten, dropped = _bound_fields(fields, notes)
    if overflow or dropped:
        notes.append(
            f"header block over {MAX_FIELDS} fields or {MAX_BLOCK_BYTES} bytes; the rest dropped"
        )
    if not (truncated or overflow or dropped or rewritten):
        return raw, notes, frozenset()
    rebuilt = b"".join(f if f.endswith((b"\n", b"\r")) else f + b"\r\n" for f in kept)
    return rebuilt + raw[end_of_block:], notes, frozenset(truncated)


def _scan_fields(raw: bytes) -> tuple[list[bytes], int, bool]:
    """The header fields (folded lines joined), where the block ends, and
    whether scanning stopped at ``MAX_BLOCK_BYTES``."""
    fields: list[bytes] = []
    end_of_block = len(raw)
    for match in _LINE.finditer(raw):
        line = match.group()
        if not line:
            break
        if not line.rstrip(b"\r\n"):  # the blank line that ends the header block
            return fields, match.start(), False
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif _FIELD_START.match(line) or (not fields and line.startswith(b"From ")):
            fields.append(line)
        else:  # a body line with no blank line before it
            return fields, match.start(), False
        pos = match.end()
        if pos > MAX_BLOCK_BYTES:
            # Stop scanning; whatever header lines remain are dropped by the caller.
            blank = _BLANK_LINE.search(raw, max(pos - 2, 0))
            end_of_block = blank.start() + len(blank.group(1)) if blank else len(raw)
            return fields, end_of_block, True
    return fields, end_of_block, False


def _bound_fields(
    fields: list[bytes], notes: list[str]
) -> tuple[list[bytes], set[str], bool, bool]:
    """The fields kept (each within its limit), the names truncated, whether an
    obsolete ``Name :`` was rewritten, and whether fields were dropped."""
    truncated: set[str] = set()
    rewritten = False
    kept: list[bytes] = []
    total = 0
    for field in fields:
        if len(kept) >= MAX_FIELDS or total >= MAX_BLOCK_BYTES:
            return kept, truncated, rewritten, True
        if b":" in field and not field.startswith(b"From "):
            name = field[: field.index(b":")].strip()
            if field[len(name) : len(name) + 1] != b":":
                # Obsolete syntax (RFC 5322 4.5) "Subject : x": Python's parser
                # would take it for body text.
                field = name + field[field.index(b":") :]
                rewritten = True
            limit = _LIMITS.get(name.lower(), DEFAULT_LIMIT)
            if len(field) > limit + len(name) + 3:
                label = name.decode("ascii", "replace")
                notes.append(f"header {label} truncated from {len(field)} to about {limit} bytes")
                truncated.add(label.lower())
                field = _truncate(field, name, limit)
        kept.append(field)
        total += len(field)
    return kept, truncated, rewritten, False
