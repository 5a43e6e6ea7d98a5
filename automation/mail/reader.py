"""Raw RFC 5322 bytes to a ``Message``: pure, bounded, and forgiving.

``parse_message`` raises ``ParseError`` only when there is nothing to work
with: the message is over the size limit, empty, or not mail at all (no header
field we can read).  Everything else parses, degraded if need be, and what was
odd is listed in ``Message.defects``.

How it stays bounded on hostile input: the size is checked first; the
top-level header block is capped (``automation.mail.header_block``) before Python's
decoders see it; the MIME walk is depth- and count-capped
(``automation.mail.mime``); a tree so deep that Python's own parser recurses out is
re-read headers-only.  Header values are decoded with ``policy.default``'s
header classes (the best RFC 2047/5322 handling in the standard library), with
``email.header`` and then the raw text as fallbacks; the body structure is read
through ``compat32`` (see ``automation.mail.mime`` for why).
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import HeaderRegistry
from email.message import Message as MimePart
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from automation.errors import ParseError
from automation.mail.charsets import decode_text
from automation.mail.header_block import cap_header_block
from automation.mail.mime import decode_words, extract
from automation.mail.new_text import split_new_text
from automation.model import Address, Message
from automation.sheet.storable import storable

MB = 1024 * 1024
_ADDRESS_FIELDS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from"})
_RAW_FIELDS = frozenset({"message-id", "in-reply-to", "references", "return-path"})
_ID = re.compile(r"<([^<>\s]+)>")
_BARE_ADDRESS = re.compile(r"[^\s<>\"',;:()\[\]@]+@[^\s<>\"',;:()\[\]@]+")
_SPACES = re.compile(r"\s+")
_SYNTHETIC_DOMAIN = "sheetdesk.invalid"
_DATE_MARGIN = timedelta(days=3660)  # room for due times and clocks computed from a Date


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def _unescape(value: str) -> str:
    """Header text unfolded, with raw 8-bit bytes (kept as surrogates) decoded."""
    value = _LINE_BREAKS.sub("", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        data = value.encode("ascii", "surrogateescape")
        return decode_text(data, None)[0]
    return value


# Headers policy.default parses with a structured class; all others are plain text.
_STRUCTURED = frozenset(HeaderRegistry().registry) - {"subject"}
_PLAIN_TEXT = re.compile(r"[\x20-\x7e\t\r\n]*")


def _decode(name: str, raw: str) -> str:
    """One header value as text: encoded words decoded, folding removed.

    Cost: ``policy.default``'s header classes are the slow part of a parse
    (most headers are Received, DKIM and the like, which nothing decides on).
    A header they would hand back unchanged (printable ASCII, no encoded word,
    an unstructured field) skips them; ``_decode_slow`` is the full path."""
    if name not in _STRUCTURED and "=?" not in raw and _PLAIN_TEXT.fullmatch(raw):
        return _SPACES.sub(" ", _LINE_BREAKS.sub("", raw)).strip()
    return _decode_slow(name, raw)


@functools.lru_cache(maxsize=4096)  # pure; To, MIME-Version, Content-Type, From repeat a lot
def _decode_slow(name: str, raw: str) -> str:
    raw = _unescape(raw)
    if name in _RAW_FIELDS:
        return _SPACES.sub(" ", raw).strip()
    try:
        value = str(policy.default.header_factory(name, raw))
    except Exception:  # the header classes have known crash bugs
        value = decode_words(raw)
    return _SPACES.sub(" ", value).strip()


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_SHIELDED = re.compile(r"SDEW(\d+)X(?:\s+SDEW\d+X)*")


def _shield(raw: str) -> tuple[str, list[str]]:
    """``raw`` with every encoded word replaced by a quoted placeholder.

    An address's structure must come from the header's own syntax, never from
    text inside an encoded word: ``=?utf-8?q?Eve=0D=0ABcc:_x@evil?= <eve@c>``
    decodes to something that looks like a group and a second address.
    """
    words: list[str] = []

    def hide(match: re.Match[str]) -> str:
        words.append(match.group())
        return f'"SDEW{len(words) - 1}X"'

    return _ENCODED_WORD.sub(hide, raw), words


def _unshield(name: str, words: list[str]) -> str:
    def show(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"SDEW(\d+)X", match.group())]
        # Adjacent encoded words join without the space between them (RFC 2047).
        return decode_words(" ".join(words[n] for n in numbers if n < len(words)))

    text = _SHIELDED.sub(show, name) if words else name
    return _SPACES.sub(" ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()


def _plausible(email: str) -> bool:
    return "@" in email and not any(ch.isspace() for ch in email)


@functools.lru_cache(maxsize=4096)  # pure, and customers write more than once
def _addresses(raw: str) -> tuple[Address, ...]:
    """Mailboxes in an address header; garbage yields what can be salvaged."""
    raw, words = _shield(_unescape(raw))
    found: list[Address] = []
    try:
        header = policy.default.header_factory("to", raw)
        for addr in getattr(header, "addresses", ()):
            email = (addr.addr_spec or "").strip().lower()
            if email and email != "<>":
                found.append(Address(_unshield(addr.display_name or "", words), email))
    except Exception:  # fall through to the lenient parser
        found = []
    # Undecodable bytes in a display name can make the parsers return the name
    # as if it were the address; an "address" without "@" is never kept.
    found = [a for a in found if _plausible(a.email)]
    if not found:
        for name, email in getaddresses([raw]):
            if _plausible(email.strip()):
                found.append(Address(_unshield(name, words), email.strip().lower()))
    if not found:  # last resort: anything shaped like an address
        found = [Address("", m.group().lower()) for m in _BARE_ADDRESS.finditer(raw)]
    unique = {a.email: a for a in reversed(found) if " " not in a.email}
    return tuple(reversed(unique.values()))


def _ids(raw: str) -> tuple[str, ...]:
    ids = _ID.findall(raw)
    if not ids:  # some mailers omit the angle brackets
        ids = [t.strip("<>,;") for t in raw.split() if "@" in t]
    # An id is compared with the Thread IDs the store kept, so it is made storable
    # here once: a NUL or invalid UTF-8 in a Message-ID must still match next time.
    return tuple(dict.fromkeys(storable(i) for i in ids if i))


def _date(raw: str | None, defects: list[str]) -> datetime | None:
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append(f"unreadable Date header {raw[:60]!r}")
        return None
    if value.tzinfo is None:  # "-0000": the time is UTC, the zone unknown (RFC 5322)
        value = value.replace(tzinfo=UTC)
    try:  # year 9999 in a far zone: later arithmetic would overflow, so drop it here
        (value.astimezone(UTC) + _DATE_MARGIN) - _DATE_MARGIN
        (value.astimezone(UTC) - _DATE_MARGIN) + _DATE_MARGIN
    except OverflowError:
        defects.append(f"Date header out of range {raw[:60]!r}")
        return None
    return value


def _read_tree(raw: bytes, defects: list[str]) -> MimePart:
    parser = BytesParser(policy=policy.compat32)
    try:
        return parser.parsebytes(raw)
    except RecursionError:
        defects.append("MIME structure too deeply nested for the parser; body not read")
    except Exception as exc:  # the feed parser is defensive; be more so
        defects.append(f"MIME structure unreadable ({type(exc).__name__}); body not read")
    return parser.parsebytes(raw, headersonly=True)


def parse_message(raw: bytes, key: str, *, max_bytes: int = 26_214_400) -> Message:
    """Parse ``raw`` (the message exactly as fetched) into a ``Message``.

    ``key`` is the inbox's key, passed through.  Raises ``ParseError`` with a
    sentence a person can act on when the message cannot be handled.
    """
    if len(raw) > max_bytes:
        raise ParseError(
            f"message is {len(raw) / MB:.1f} MB, over the {max_bytes / MB:.0f} MB limit"
        )
    if not raw.strip():
        raise ParseError("message is empty")
    capped, defects, truncated = cap_header_block(raw)
    tree = _read_tree(capped, defects)
    headers: list[tuple[str, str]] = []
    raw_first: dict[str, str] = {}
    for name, value in tree.raw_items():
        lname = name.strip().lower()
        raw_value = str(value)
        raw_first.setdefault(lname, raw_value)
        decoded = _decode(lname, raw_value)
        if lname in truncated:
            decoded += " …"
        headers.append((lname, decoded))
    if not headers:
        first_line = raw.lstrip()[:40].split(b"\n")[0].decode("ascii", "replace")
        printable = "".join(c if c.isprintable() else "?" for c in first_line)
        raise ParseError(f"not an email: no header fields could be read (starts {printable!r})")
    defects.extend(type(d).__name__ for d in tree.defects)

    extracted = extract(tree)
    defects.extend(extracted.defects)
    body = extracted.body_text

    senders = _addresses(raw_first.get("from", "")) or _addresses(raw_first.get("sender", ""))
    message_ids = _ids(raw_first.get("message-id", ""))
    synthetic = not message_ids
    message_id = (
        f"sha256-{hashlib.sha256(raw).hexdigest()}@{_SYNTHETIC_DOMAIN}"
        if synthetic
        else message_ids[0]
    )
    return_path = None
    if "return-path" in raw_first:
        rp = _ids(raw_first["return-path"])
        return_path = rp[0].lower() if rp else ""  # "" is the null sender "<>"
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name, value)
    subject = first.get("subject", "")
    return Message(
        key=key,
        message_id=message_id,
        sender=senders[0] if senders else None,
        reply_to=_addresses(raw_first.get("reply-to", "")),
        to=_addresses(raw_first.get("to", "")),
        cc=_addresses(raw_first.get("cc", "")),
        subject=subject,
        date=_date(raw_first.get("date"), defects),
        in_reply_to=_ids(raw_first.get("in-reply-to", "")),
        references=_ids(raw_first.get("references", "")),
        headers=tuple(headers),
        body_text=body,
        new_text=split_new_text(body),
        attachments=tuple(extracted.attachments),
        content_type=tree.get_content_type(),
        defects=tuple(dict.fromkeys(defects)),
        size=len(raw),
        synthetic_id=synthetic,
        return_path=return_path,
    )
