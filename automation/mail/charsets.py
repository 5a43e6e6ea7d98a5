"""Turning body bytes into text whatever the declared charset says.

``decode_text`` never raises.  It tries, in order:

1. the declared charset, after mapping common mislabels and aliases to the codec
   real mailers meant (``iso-8859-1`` is nearly always cp1252 in practice,
   ``gb2312`` is really GBK, ``ks_c_5601-1987`` is cp949, ...);
2. UTF-8, strictly (mail labelled ``us-ascii`` or ``x-unknown`` is often UTF-8);
3. cp1252, then the declared codec with replacement characters, then UTF-8 with
   replacement characters.

The returned note names any fallback taken, for ``Message.defects``.
"""

from __future__ import annotations

import codecs

# Labels seen in the wild mapped to the codec that decodes what the sender wrote.
# Supersets are used on purpose: a mailer declaring the subset nearly always
# emitted the superset's extra characters too.
_ALIASES: dict[str, str] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gbk",
    "gb_2312-80": "gbk",
    "x-gbk": "gbk",
    "euc-cn": "gbk",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "utf-8;": "utf-8",
    "x-unicode20utf8": "utf-8",
}

# Labels that say "I don't know": go straight to the guessing steps.
_UNKNOWN = frozenset(
    {"", "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "none", "8bit"}
)


def normalise_label(label: str | None) -> str:
    """The charset label lower-cased, unquoted and trimmed (``""`` when absent)."""
    if not label:
        return ""
    return label.strip().strip("\"'").strip().lower()


def _codec(label: str) -> str | None:
    """The Python text codec for ``label``, or None if there is no such codec.

    ``codecs.lookup`` also knows bytes-to-bytes codecs (zlib, base64, rot13);
    those are refused so a hostile charset name cannot make us decompress.
    """
    name = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode ``data``; return the text and a note when a fallback was needed."""
    label = normalise_label(declared)
    codec = None if label in _UNKNOWN else _codec(label)
    if codec == "cp1252" and not data.isascii():
        # Mail labelled ascii/latin-1 is often really UTF-8; valid multi-byte
        # UTF-8 sequences almost never occur by chance in cp1252 text.
        try:
            return data.decode("utf-8"), f"charset {label!r} was really utf-8"
        except UnicodeDecodeError:
            pass
    if codec is not None:
        try:
            return data.decode(codec), None
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec is None and label not in _UNKNOWN:
            return text, f"unknown charset {label!r}, decoded as utf-8"
        if codec is not None:
            return text, f"charset {label!r} did not fit, decoded as utf-8"
        return text, None
    if codec is None or codec == "cp1252":
        # Western European text is the commonest unlabelled 8-bit mail; the five
        # bytes cp1252 leaves undefined become replacement characters.
        text = data.decode("cp1252", errors="replace")
        return text, f"charset {label or 'missing'!r} guessed as cp1252"
    return data.decode(codec, errors="replace"), f"charset {label!r}: undecodable bytes replaced"
