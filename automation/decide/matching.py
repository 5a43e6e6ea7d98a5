"""Phrase matching: case-insensitive, word-boundary aware, typography-tolerant.

A phrase "api" must not fire inside "rapid", "can't" must match "can’t", and
"fed up" must match across a line break.  A phrase preceded closely by a
negation ("not urgent", "no rush") does not count: the guide's triggers are
about what the customer means, not which words appear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from automation.tables.owner_tables import Phrase

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_SUBJECT_PREFIX = re.compile(
    r"^\s*((re|fwd?|aw|wg|sv|vs|antw|rif|r|i|tr|enc|res|odp|doorst)\s*(\[\d+\])?\s*:\s*)+",
    re.IGNORECASE,
)
_CASE_TAG = re.compile(r"\[\s*[A-Z][A-Z0-9]{0,9}-\d{2,}\s*\]")
_NEGATIONS = re.compile(
    r"(?:\b(?:not|no|never|nothing|isn't|isnt|wasn't|aren't|don't|doesn't|without|"
    r"nicht|kein|keine|niet|geen|non|nem|não|nao|sin|pas|ohne)\b)"
    r"(?:\W+\w+){0,2}\W*$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """NFC, straight apostrophes and quotes, collapsed whitespace."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return " ".join(text.split())


def clean_subject(subject: str) -> str:
    """The subject without inherited ``Re:``/``Fwd:`` prefixes and case tags."""
    subject = _CASE_TAG.sub(" ", subject)
    return _SUBJECT_PREFIX.sub("", subject).strip()


def is_reply_subject(subject: str) -> bool:
    return bool(_SUBJECT_PREFIX.match(subject))


def compile_phrase(text: str) -> re.Pattern[str]:
    """A regex for an owner's phrase: words separated by any whitespace, with
    word boundaries only where the phrase begins or ends with a letter/digit."""
    words = normalise(text).split(" ")
    body = r"\s+".join(re.escape(word) for word in words)
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    # A trailing plural ("invoice" -> "invoices") is the same word to an owner.
    end = r"(?:e?s)?(?!\w)" if re.search(r"[^\W\d_]$", words[-1]) else ""
    if not end and re.search(r"\w$", words[-1]):
        end = r"(?!\w)"
    return re.compile(start + body + end, re.IGNORECASE)


def phrase_probe(text: str) -> str:
    """The longest word of a phrase, lower-cased: any text the phrase matches
    contains it (whitespace between words may vary, words may not)."""
    words = normalise(text).lower().split(" ")
    return max(words, key=len)


@dataclass(frozen=True)
class Hit:
    """A phrase that fired, and the text it matched."""

    phrase: Phrase
    matched: str
    negated: bool = False
    start: int = 0  # where the match is in the searched text
    end: int = 0


def find_hits(text: str, phrases: Iterable[Phrase], language: str | None) -> list[Hit]:
    """Every phrase (for ``language`` or for any language) found in ``text``.

    ``text`` must already be ``normalise``d.  The first occurrence of each phrase
    that is not negated counts; if every occurrence is negated the hit is kept
    with ``negated=True`` so the why can say it was ignored.
    """
    hits: list[Hit] = []
    lowered = text.lower()
    for phrase in phrases:
        if phrase.probe and phrase.probe not in lowered:
            continue
        if phrase.language and language and phrase.language != language:
            continue
        negated_hit: Hit | None = None
        for match in phrase.regex.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if not phrase.is_pattern and _NEGATIONS.search(before):
                negated_hit = negated_hit or Hit(
                    phrase, match.group(0), True, match.start(), match.end()
                )
                continue
            hits.append(Hit(phrase, match.group(0), False, match.start(), match.end()))
            break
        else:
            if negated_hit is not None:
                hits.append(negated_hit)
    return hits
