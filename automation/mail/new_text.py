"""The sender's own new text: quoted history, signatures and disclaimers removed.

``split_new_text(body)`` returns the part of ``body`` the sender wrote for
this message.  The rules, in the order a line is looked at:

* ``>``-quoted lines are history.  An attribution line ("On ... wrote:",
  "Am ... schrieb ...:") directly followed by quoted lines belongs to them, so
  text *after* a quote (bottom-posting, inline answers) is kept.
* These end the new text (everything from them on is dropped): an attribution
  line followed by unquoted history (HTML mail converted to text); an Outlook
  "-----Original Message-----" separator; an Outlook-style header block
  ("From:/Sent:/To:/Subject:" and translations, at least three such lines close
  together, or flattened into one line); a forwarded-message marker; the
  ``-- `` signature delimiter; a "Sent from my iPhone" line and its
  translations; a legal-disclaimer paragraph.
* A disclaimer or "external sender" banner as the *first* paragraph is removed
  without ending the text (some gateways put it on top).

Sign-offs ("Thanks,\\nAnna") are deliberately kept: telling a sign-off from a
last sentence is guesswork, and a trigger phrase in a name line is rare.
``forwarded_text`` returns what follows a forward marker, for callers that act
on forwarded content.  Both functions are pure and never raise.
"""

from __future__ import annotations

import re

from automation.mail import reply_markers as rm

_MAX_LINE = 2_000  # longer lines are matched on their start only
_BLANKS = re.compile(r"\n{3,}")


def _clean(line: str) -> str:
    return line.strip()[:_MAX_LINE]


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _next_content(lines: list[str], start: int) -> int | None:
    """Index of the first non-blank line at or after ``start``."""
    for i in range(start, min(len(lines), start + 4)):
        if lines[i].strip():
            return i
    return None


def _attribution_span(lines: list[str], i: int) -> int:
    """Lines (1-3) an attribution starting at ``i`` spans, or 0 if none.

    A wrapped attribution never crosses a blank line, and a span only counts
    when the match does not also start on a later line (the first line was
    then the sender's own sentence, not the start of the attribution).
    """
    joined = ""
    for span in range(1, 4):
        if i + span > len(lines) or not lines[i + span - 1].strip():
            break
        joined = (joined + " " + _clean(lines[i + span - 1])).strip()
        if any(p.match(joined) for p in rm.ATTRIBUTION):
            if span > 1 and _attribution_span(lines[: i + span], i + 1):
                return 0
            return span
    return 0


def _header_block(lines: list[str], i: int) -> bool:
    """An Outlook-style header block starts at line ``i``."""
    first = _clean(lines[i])
    if rm.HEADER_ONE_LINE.match(first):
        return True
    if not rm.HEADER_FROM.match(first):
        return False
    others = 0
    for line in lines[i + 1 : i + 8]:
        if rm.HEADER_OTHER.match(_clean(line)):
            others += 1
    return others >= 2


def _paragraph(lines: list[str], i: int) -> str:
    """The paragraph starting at ``i``, lines joined, first 400 characters."""
    parts: list[str] = []
    for line in lines[i : i + 8]:
        if not line.strip():
            break
        parts.append(_clean(line))
    return " ".join(parts)[:400]


def _disclaimer(lines: list[str], i: int) -> bool:
    if i > 0 and lines[i - 1].strip():
        return False  # only a paragraph's first line can start a disclaimer
    text = _paragraph(lines, i)
    if rm.DISCLAIMER[0].match(text):
        return bool(rm.LEGAL_WORDS.search(text))
    return any(p.match(text) for p in rm.DISCLAIMER[1:])


def _end_marker(lines: list[str], i: int) -> bool:
    """Line ``i`` (not quoted) ends the sender's new text."""
    line = _clean(lines[i])
    if line == "--" or lines[i].rstrip("\r\n") == "-- ":
        return True
    if rm.SEPARATOR.match(line) or rm.MOBILE.match(line):
        return True
    if any(p.match(line) for p in rm.FORWARD):
        return True
    if rm.RULE_LINE.match(line):
        nxt = _next_content(lines, i + 1)
        return nxt is not None and _header_block(lines, nxt)
    return _header_block(lines, i) or _disclaimer(lines, i)


def _split(body: str) -> tuple[list[str], int]:
    """(kept lines, index where the new text ended or len(lines))."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    seen_text = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _quoted(line):
            i += 1
            continue
        span = _attribution_span(lines, i)
        weak = not span and rm.WEAK_ATTRIBUTION.match(_clean(line))
        if span or weak:
            nxt = _next_content(lines, i + max(span, 1))
            if nxt is not None and _quoted(lines[nxt]):
                i += max(span, 1)  # the quote's own heading: drop it with the quote
                continue
            if span:
                return kept, i
        if (
            line.strip()
            and not seen_text
            and (rm.BANNER.match(_clean(line)) or _disclaimer(lines, i))
        ):
            while i < len(lines) and lines[i].strip():  # drop the top banner only
                i += 1
            continue
        if line.strip() and _end_marker(lines, i):
            return kept, i
        seen_text = seen_text or bool(line.strip())
        kept.append(line)
        i += 1
    return kept, len(lines)


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return _BLANKS.sub("\n\n", text).strip()


def split_new_text(body: str) -> str:
    """The sender's new text of ``body`` (may be empty, e.g. a bare forward)."""
    kept, _end = _split(body)
    return _tidy(kept)


def forwarded_text(body: str) -> str:
    """The forwarded message after the first forward marker, or ``""``.

    The forwarded part is returned with its header block and then its own
    quoted history and signature removed.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        if not _quoted(line) and any(p.match(_clean(line)) for p in rm.FORWARD):
            rest = lines[i + 1 :]
            j = 0
            while j < len(rest) and (
                not rest[j].strip()
                or rm.HEADER_OTHER.match(_clean(rest[j]))
                or rm.HEADER_FROM.match(_clean(rest[j]))
            ):
                j += 1
            return split_new_text("\n".join(rest[j:]))
    return ""
