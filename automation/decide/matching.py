"""Phrase matching: case-insensitive, word-boundary aware, typography-tolerant.

A phrase "api" must not fire inside "rapid", "can't" must match "can’t", and
"fed up" must match across a line break.  Japanese, Chinese and Korean have no
spaces between words, so a phrase in those scripts matches wherever it occurs.
A phrase preceded closely by a negation ("not urgent", "no rush") does not
count: the guide's triggers are about what the customer means, not which words
appear.

All phrases of a list are found in one pass: an Aho-Corasick automaton over
their probes (a literal each match must contain) says which phrases can match
at all, and only those run their regex.  The cost is linear in the text plus
the matches, whatever the number of phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick_rs

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


# Scripts written without spaces between words: Han, kana, Hangul.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uff66-\uff9f]"
)


def unspaced(char: str) -> bool:
    """True for a character of a script written without spaces (CJK)."""
    return bool(_UNSPACED.match(char))


def compile_phrase(text: str) -> re.Pattern[str]:
    """A regex for an owner's phrase: words separated by any whitespace, with
    word boundaries only where the phrase begins or ends with a letter/digit
    of a spaced script (a Japanese phrase has no word boundary to look for)."""
    words = normalise(text).split(" ")
    body = r"\s+".join(re.escape(word) for word in words)
    first, last = words[0][:1], words[-1][-1:]
    start = r"(?<!\w)" if re.match(r"\w", first) and not unspaced(first) else ""
    end = ""
    if unspaced(last):
        end = ""
    elif re.match(r"[^\W\d_]", last):
        # A trailing plural ("invoice" -> "invoices") is the same word to an owner.
        end = r"(?:e?s)?(?!\w)"
    elif re.match(r"\w", last):
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


@dataclass(frozen=True)
class _Index:
    phrases: Sequence[Phrase]
    automaton: ahocorasick_rs.AhoCorasick | None
    probes: tuple[str, ...]  # distinct probes, in automaton order
    by_probe: tuple[tuple[int, ...], ...]  # probe number -> phrase numbers
    always: tuple[int, ...]  # phrases without a probe (patterns)
    word_start: tuple[bool, ...]  # probe number -> must begin a word


_INDEXES: dict[int, _Index] = {}


def _index(phrases: Sequence[Phrase]) -> _Index:
    """The automaton for a phrase list, built once per list (tables are frozen and
    live for a cycle, so the list object itself is the key)."""
    found = _INDEXES.get(id(phrases))
    if found is not None and found.phrases is phrases:
        return found
    probes: dict[str, list[int]] = {}
    always: list[int] = []
    # A probe that starts a word (of a spaced script) only counts at a word start:
    # "app" inside "disappointed" wakes no phrase.
    for number, phrase in enumerate(phrases):
        if phrase.probe:
            probes.setdefault(phrase.probe, []).append(number)
        else:
            always.append(number)
    keys = tuple(probes)
    automaton = ahocorasick_rs.AhoCorasick(list(keys)) if keys else None
    starts = tuple(bool(re.match(r"\w", k)) and not unspaced(k[0]) for k in keys)
    built = _Index(
        phrases, automaton, keys, tuple(tuple(probes[k]) for k in keys), tuple(always), starts
    )
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(phrases)] = built
    return built


def candidates(text: str, phrases: Sequence[Phrase]) -> list[Phrase]:
    """The phrases whose probe occurs in ``text`` (one pass), in list order."""
    index = _index(phrases)
    numbers = set(index.always)
    if index.automaton is not None:
        lowered = text.lower()
        woken = {
            probe
            for probe, start, _ in index.automaton.find_matches_as_indexes(
                lowered, overlapping=True
            )
            if not (index.word_start[probe] and start and lowered[start - 1].isalnum())
        }
        for probe in woken:
            numbers.update(index.by_probe[probe])
    return [phrases[n] for n in sorted(numbers)]


def find_hits(text: str, phrases: Sequence[Phrase], language: str | None) -> list[Hit]:
    """Every phrase (for ``language`` or for any language) found in ``text``.

    ``text`` must already be ``normalise``d.  The first occurrence of each phrase
    that is not negated counts; if every occurrence is negated the hit is kept
    with ``negated=True`` so the why can say it was ignored.
    """
    hits: list[Hit] = []
    for phrase in candidates(text, phrases):
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
