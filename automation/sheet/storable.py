"""Text a spreadsheet cell can hold: what a store cannot keep is made visible, not fatal.

Why: one stranger's subject with a NUL, ESC or form feed made openpyxl raise
``IllegalCharacterError`` on every save, and a Message-ID with invalid UTF-8
(kept by Python as a lone surrogate) cannot be encoded for either store, so
intake stopped for everyone behind that one message.

``storable`` is pure and total.  XML 1.0 (the .xlsx format) and the Sheets API
(UTF-8 JSON) cannot hold C0 control characters other than tab, line feed and
carriage return, lone surrogates, or the non-characters U+FFFE/U+FFFF.  Control
characters become their visible Unicode "control pictures" (U+2400 block:
``\\x01`` -> ``␁``), so a person can still see that something odd was there and
which character it was; surrogates and non-characters become U+FFFD.  The
message itself stays untouched in the mailbox, so the original is never lost.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_PICTURE_BASE = 0x2400
_DELETE_PICTURE = "\u2421"
_REPLACEMENT = "\ufffd"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(_PICTURE_BASE + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return _REPLACEMENT


def storable(text: str) -> str:
    """``text`` with every character a cell cannot hold replaced visibly."""
    return _UNSTORABLE.sub(_visible, text)


def is_storable(text: str) -> bool:
    """True when ``storable(text) == text`` (cheap check for the common case)."""
    return _UNSTORABLE.search(text) is None
