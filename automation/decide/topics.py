"""Which topic (and so which role) a case is about.

A topic whose "Also when" signal fired wins at once, first row first (so an
owner puts security above legal above leaving).  Otherwise the topic with the
most distinct keywords found wins, ties going to the higher row.  Nothing found:
the default role.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from automation.decide.matching import find_hits, normalise
from automation.decide.triggers import Findings
from automation.model import CaseRow, Message
from automation.sheet import layout as columns
from automation.tables.owner_tables import Tables, Topic


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip("s")


_WEIGHTS: dict[int, tuple[object, dict[str, float]]] = {}


def keyword_weights(tables: Tables) -> dict[str, float]:
    """How telling each keyword is: longer phrases say more, and a word that
    several roles list (like "order") says less about which role it is.
    Computed once per Topics table (the tables are frozen for a cycle)."""
    cached = _WEIGHTS.get(id(tables.topics))
    if cached is not None and cached[0] is tables.topics:
        return cached[1]
    if len(_WEIGHTS) > 16:
        _WEIGHTS.clear()
    weights = _weights(tables)
    _WEIGHTS[id(tables.topics)] = (tables.topics, weights)
    return weights


def _weights(tables: Tables) -> dict[str, float]:
    roles: dict[str, set[str]] = {}
    for topic in tables.topics:
        for phrase in topic.keywords:
            roles.setdefault(_key(phrase.text), set()).add(topic.role)
    return {key: len(key.split()) / len(owners) for key, owners in roles.items()}


@dataclass(frozen=True)
class TopicChoice:
    topic: Topic | None
    role: str
    why: str


def _all_spans(text: str, topic: Topic, language: str) -> dict[str, list[tuple[int, int]]]:
    """Every place each of ``topic``'s keywords (not negated) occurs in ``text``."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for hit in find_hits(text, topic.keywords, language):
        if not hit.negated:
            spans[hit.matched.casefold()] = [m.span() for m in hit.phrase.regex.finditer(text)]
    return spans


class _Cover:
    """Answers "is this span inside a longer one of ``spans``?" in O(log n) per
    question after an O(n log n) build, so topic matching stays linear-ish on a
    body of one keyword repeated half a million times (it was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        widest: dict[int, int] = {}
        for a, b in spans:
            widest[a] = max(b, widest.get(a, b))
        self.starts = sorted(widest)
        self.widest = widest
        self.reach: list[int] = []  # furthest end of any span starting at or before starts[i]
        furthest = -1
        for a in self.starts:
            furthest = max(furthest, widest[a])
            self.reach.append(furthest)

    def covers(self, span: tuple[int, int]) -> bool:
        start, end = span
        if self.widest.get(start, -1) > end:
            return True  # same start, reaches further
        before = bisect_left(self.starts, start)  # spans starting strictly earlier
        return before > 0 and self.reach[before - 1] >= end


def topic_scores(
    text: str, tables: Tables, language: str, subject: str = ""
) -> list[tuple[Topic, float, list[str]]]:
    """(topic, score, keywords that counted) for every topic with a keyword in ``text``.

    A keyword counts once, weighted by ``keyword_weights``.  Only the longest
    match counts where keywords overlap: "portal" inside "trade portal" says
    nothing more.  A keyword that is also in the subject counts double, since
    the subject names what the mail is about.  ``text`` must be normalised and
    begin with ``subject``."""
    weights = keyword_weights(tables)
    found = [(topic, _all_spans(text, topic, language)) for topic in tables.topics]
    cover = _Cover([span for _, spans in found for places in spans.values() for span in places])
    subject_end = len(subject)
    scores: list[tuple[Topic, float, list[str]]] = []
    for topic, spans in found:
        score = 0.0
        words: list[str] = []
        for word, places in spans.items():
            own = [p for p in places if not cover.covers(p)]
            if not own:
                continue
            in_subject = subject_end > 0 and any(p[1] <= subject_end for p in own)
            score += weights.get(_key(word), 1.0) * (2.0 if in_subject else 1.0)
            words.append(word)
        if score > 0:
            scores.append((topic, score, words))
    return scores


def choose_topic(
    findings: Findings, topic_text: str, tables: Tables, language: str, subject: str = ""
) -> TopicChoice:
    """The topic for a message; ``topic_text`` is the normalised subject + own text
    (``subject``, normalised, is its start: subject keywords count double)."""
    for topic in tables.topics:
        if topic.when_signal and topic.when_signal in findings.signals:
            return TopicChoice(
                topic, topic.role, f"role {topic.role}: topic {topic.name} ({topic.when_signal})"
            )
    best: Topic | None = None
    best_score = 0.0
    best_words: list[str] = []
    for topic, score, words in topic_scores(topic_text, tables, language, subject):
        if score > best_score:
            best, best_score, best_words = topic, score, words
    if best is not None:
        quoted = ", ".join(f'"{w}"' for w in best_words[:4])
        return TopicChoice(best, best.role, f"role {best.role}: topic {best.name} ({quoted})")
    role = tables.settings.default_role
    return TopicChoice(None, role, f"role {role}: no topic keyword found (default role)")


def keep_case_topic(
    fresh: TopicChoice,
    case: CaseRow,
    findings: Findings,
    message: Message,
    tables: Tables,
    language: str,
) -> TopicChoice:
    """On a reply, the case's role stands unless the new text itself moves it:
    a signal topic fired (security, legal, leaving), or the new text alone names
    another topic with two or more keywords and none of the case's role.  A
    "thanks, that worked" must not re-route a case."""
    old = case.get(columns.ROLE).strip().casefold()
    if not old or fresh.role == old:
        return fresh
    if fresh.topic is not None and fresh.topic.when_signal in findings.signals:
        return TopicChoice(fresh.topic, fresh.role, fresh.why + f"; was {old}")
    text = normalise(message.new_text or "")
    weights = keyword_weights(tables)
    counts: dict[str, float] = {}
    for topic in tables.topics:
        hits = {
            h.matched.casefold() for h in find_hits(text, topic.keywords, language) if not h.negated
        }
        score = sum(weights.get(_key(w), 1.0) for w in hits)
        counts[topic.role] = max(counts.get(topic.role, 0.0), score)
    if counts.get(fresh.role, 0.0) >= 2 and counts.get(old, 0.0) == 0:
        return TopicChoice(fresh.topic, fresh.role, fresh.why + f"; moved from {old}")
    return TopicChoice(None, old, f"role {old}: kept from the case (the reply does not change it)")
