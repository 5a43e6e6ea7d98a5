"""Walking a parsed MIME tree: the best text body and the attachment list.

The tree comes from ``BytesParser(policy=compat32)``: its part accessors
(``get_content_type``, ``get_param``, ``get_payload(decode=True)``) work on the
raw header strings, cost linear time and cannot raise on the odd content types
that make ``policy.default``'s content manager fail (``multipart/parallel``,
quoted types, missing parameters).  Every part is still handled inside its own
``try``: a part that fails becomes a defect, never an exception.

Bounds: the walk stops ``MAX_DEPTH`` levels down and after ``MAX_PARTS`` parts;
decoded text is capped at ``MAX_TEXT_CHARS``.  Attachment bodies are decoded
only to measure them (never kept, never decompressed: a zip bomb is a small
``application/zip`` with a size).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message as MimePart

from automation.mail.charsets import decode_text
from automation.mail.html_text import html_to_text
from automation.model import Attachment

MAX_DEPTH = 20
MAX_PARTS = 500
MAX_TEXT_CHARS = 500_000

# Machine-readable halves of reports: evidence for classification, not files.
_REPORT_PARTS = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "message/disposition-notification",
        "message/global-disposition-notification",
        "message/feedback-report",
    }
)


@dataclass
class Extracted:
    """What the walk found: body text, attachments and problems met."""

    body_text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    report_types: list[str] = field(default_factory=list)  # delivery-status, ...
    part_types: list[str] = field(default_factory=list)


def decode_words(value: str) -> str:
    """RFC 2047 encoded words in ``value`` decoded, charset-tolerantly."""
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except Exception:
        return value
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_text(chunk, charset or "utf-8")[0])
        else:
            out.append(chunk)
    return "".join(out)


def _walk(root: MimePart, defects: list[str]) -> Iterator[MimePart]:
    """Each part in document order, depth- and count-bounded.

    Iterative, so a deep tree cannot exhaust the Python stack here.  Attached
    messages (``message/*``) are leaves: their insides are not ours.
    """
    stack: list[tuple[MimePart, int]] = [(root, 0)]
    seen = 0
    depth_noted = False
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            defects.append(f"more than {MAX_PARTS} MIME parts; the rest were ignored")
            return
        yield part
        if part.get_content_maintype() != "multipart":
            continue
        if depth >= MAX_DEPTH:
            if not depth_noted:
                defects.append(f"MIME nesting deeper than {MAX_DEPTH}; inner parts ignored")
                depth_noted = True
            continue
        children = part.get_payload()
        if not isinstance(children, list):
            continue
        for child in reversed(children):
            if isinstance(child, MimePart):
                stack.append((child, depth + 1))


def _filename(part: MimePart) -> str:
    name = part.get_filename() or part.get_param("name") or ""
    if isinstance(name, tuple):  # an RFC 2231 value email.utils could not collapse
        name = name[2]
    return decode_words(str(name)).strip()[:255]


def _is_attachment(part: MimePart, ctype: str, filename: str) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if ctype == "message/rfc822":
        return True
    if ctype.startswith("multipart/") or ctype in _REPORT_PARTS:
        return False
    if disposition == "attachment":
        return True
    if ctype.startswith("text/") and not filename:
        return False
    if ctype.startswith("image/") and not filename:
        return False  # inline images without a name are layout, not attachments
    return bool(filename) or not ctype.startswith("text/")


def _size(part: MimePart, ctype: str) -> int:
    if part.get_content_maintype() == "message" or part.is_multipart():
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        return len(inner.as_bytes()) if isinstance(inner, MimePart) else 0
    data = part.get_payload(decode=True)
    return len(data) if isinstance(data, bytes) else 0


def _text_of(part: MimePart, defects: list[str]) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text, note = decode_text(data, part.get_content_charset())
    if note:
        defects.append(note)
    return text


def extract(root: MimePart) -> Extracted:
    """Walk ``root`` once; choose the body and describe the attachments.

    Body choice: the inline ``text/plain`` parts (joined when a client split
    them around attachments); without those, the inline ``text/html`` parts
    converted to text.  An attached ``message/rfc822`` is listed as an
    attachment and never becomes our body.
    """
    result = Extracted()
    plain: list[str] = []
    html: list[str] = []
    for index, part in enumerate(_walk(root, result.defects)):
        try:
            ctype = part.get_content_type()
            result.part_types.append(ctype)
            if ctype == "multipart/report":
                result.report_types.append(str(part.get_param("report-type") or "").lower())
            if ctype.startswith("multipart/"):
                if not part.is_multipart():  # no usable boundary: read it as text
                    result.defects.append(f"{ctype} part without parts, read as text")
                    plain.append(_text_of(part, result.defects))
                continue
            filename = _filename(part)
            if _is_attachment(part, ctype, filename):
                result.attachments.append(Attachment(filename, ctype, _size(part, ctype)))
            elif ctype == "text/plain":
                plain.append(_text_of(part, result.defects))
            elif ctype == "text/html":
                html.append(_text_of(part, result.defects))
        except Exception as exc:
            result.defects.append(f"part {index}: {type(exc).__name__}: {exc}"[:200])
    if any(p.strip() for p in plain):
        body = "\n\n".join(p.strip("\n") for p in plain if p.strip())
    else:
        converted: list[str] = []
        for markup in html:
            text, note = html_to_text(markup)
            if note:
                result.defects.append(note)
            converted.append(text)
        body = "\n\n".join(t for t in converted if t.strip())
    if len(body) > MAX_TEXT_CHARS:
        result.defects.append(f"body text over {MAX_TEXT_CHARS} characters, truncated")
        body = body[:MAX_TEXT_CHARS]
    result.body_text = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return result
