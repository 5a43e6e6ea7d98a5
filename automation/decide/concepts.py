"""Concept detectors: the guide's situations found by meaning, not by one phrase.

A concept combines general language knowledge (``concept_words``: a halt, a
deadline, a leak, a charge that disagrees) with what the owner told us (the
Settings row "What our customers can't work without").  Each detector reads the
sender's own new text only (the caller passes ``analysed_text``: no quoted
history, signature or inherited subject) and, where the meaning needs two
parts, wants both in one sentence ("can't" + "pay the staff").  A part preceded
by a negation ("no dispute") does not count.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from automation.decide import concept_words as w

_STOP = re.compile(r"[.!?;](?:\s|$)|[。！？]|\s-\s")
_REACH = 300  # a sentence is looked for this far either side of a word
_TRIES = 40  # occurrences of a first word examined (a body of one word repeated stays linear)
_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|nothing|without|isn't|aren't|don't|doesn't|pas|kein|keine|sin)\b)"
    r"(?:\W+\w+){0,1}\W*$",
    re.IGNORECASE,
)
_PATTERNS = {
    name: w.compile_words(getattr(w, name), w.UNSPACED.get(name, ""))
    for name in (
        "HALT",
        "CORE",
        "IMMINENT",
        "NEAR_DEADLINE",
        "SECURITY",
        "BILLING",
        "COSTLY",
        "RECURRING",
        "STATUTORY",
        "DATED",
        "RELATIONSHIP",
        "DISPUTE",
        "PROSPECT",
        "SIZE",
        "CALM",
        "COST_OF_TIME",
        "LEAVING",
        "FRUSTRATION",
    )
}


@dataclass(frozen=True)
class Concept:
    """A concept that fired: the finding it raises, its name, the words."""

    signal: str
    name: str
    words: tuple[str, ...]

    @property
    def evidence(self) -> str:
        quoted = " + ".join(f'"{word}"' for word in self.words)
        return f"concept {self.name}: {quoted}"


def _find(name: str, text: str) -> str | None:
    """The first match of the word group ``name`` in ``text`` that is not negated."""
    for match in _PATTERNS[name].finditer(text):
        if not _NEGATED.search(text[max(0, match.start() - 30) : match.start()]):
            return match.group(0)
    return None


def _owner_core(core: Sequence[str]) -> re.Pattern[str] | None:
    words = [re.escape(c.strip()) for c in core if c.strip()]
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end`` (at most ``_REACH`` either side)."""
    low = max(0, start - _REACH)
    before = [m.end() for m in _STOP.finditer(text, low, start)]
    after = _STOP.search(text, end, end + _REACH)
    return text[before[-1] if before else low : after.start() + 1 if after else end + _REACH]


def _pair(
    text: str, first: str, second: str, extra: re.Pattern[str] | None = None
) -> tuple[str, str] | None:
    """Words of groups ``first`` and ``second`` (or ``extra``) in one sentence.

    One scan for ``first`` over the whole text, then only the sentences it is in."""
    for tries, match in enumerate(_PATTERNS[first].finditer(text)):
        if tries >= _TRIES:
            break
        if _NEGATED.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        a = match.group(0)
        sentence = _sentence_at(text, match.start(), match.end())
        b = _find(second, sentence)
        if b is None and extra is not None:
            found = extra.search(sentence)
            b = found.group(0) if found else None
        if b is not None:
            return a, b
    return None


def operations_stopped(text: str, core: Sequence[str]) -> Concept | None:
    """A halt applied to a core activity, with the work due now or stopped for all."""
    pair = _pair(text, "HALT", "CORE", _owner_core(core))
    if pair is None:
        return None
    soon = _find("IMMINENT", text)
    if soon is None:
        return None
    return Concept("operations stopped", "operations stopped", (*pair, soon))


def calm(text: str) -> Concept | None:
    """The sender takes the pressure off ("no rush", "not urgent at all")."""
    found = _PATTERNS["CALM"].search(text)
    return Concept("calm", "no time pressure stated", (found.group(0),)) if found else None


def find_concepts(text: str, core: Sequence[str], key_account: bool) -> list[Concept]:
    """Every concept in ``text`` (normalised own text).  ``key_account``: the
    sender's domain is on the Accounts tab."""
    found: list[Concept] = []
    stopped = operations_stopped(text, core)
    if stopped:
        found.append(stopped)
    single = (
        ("SECURITY", "security concern", "security concern"),
        ("BILLING", "billing discrepancy", "billing discrepancy"),
        ("NEAR_DEADLINE", "urgency", "deadline within days"),
        ("COST_OF_TIME", "costly workaround", "costly workaround"),
        ("LEAVING", "leaving", "relationship in question"),
        ("FRUSTRATION", "emotion", "frustration"),
    )
    for group, signal, name in single:
        word = _find(group, text)
        if word:
            found.append(Concept(signal, name, (word,)))
    pairs = (
        ("COSTLY", "RECURRING", "costly workaround", "costly workaround"),
        ("STATUTORY", "DATED", "statutory deadline", "statutory deadline"),
        ("PROSPECT", "SIZE", "qualified prospect", "qualified prospect"),
    )
    for first, second, signal, name in pairs:
        pair = _pair(text, first, second)
        if pair and not (signal == "qualified prospect" and key_account):
            found.append(Concept(signal, name, pair))
    dispute = _find("DISPUTE", text)
    if dispute:
        found.append(Concept("legal threat", "contract dispute", (dispute,)))
    threat = _find("RELATIONSHIP", text) if key_account else None
    if threat:
        found.append(Concept("relationship threat", "relationship threat", (threat,)))
    quiet = calm(text)
    if quiet:
        found.append(quiet)
    return found
