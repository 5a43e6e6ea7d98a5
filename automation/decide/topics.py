"""Which topic (and so which role) a case is about.

A topic whose "Also when" signal fired wins at once, first row first (so an
owner puts security above legal above leaving).  Otherwise the topic with the
most distinct keywords found wins, ties going to the higher row.  Nothing found:
the default role.
"""

from __future__ import annotations

from dataclasses import dataclass

from automation.decide.matching import find_hits
from automation.decide.tables import Tables, Topic
from automation.decide.triggers import Findings


@dataclass(frozen=True)
class TopicChoice:
    topic: Topic | None
    role: str
    why: str


def choose_topic(findings: Findings, topic_text: str, tables: Tables, language: str) -> TopicChoice:
    """The topic for a message; ``topic_text`` is the normalised subject + own text."""
    for topic in tables.topics:
        if topic.when_signal and topic.when_signal in findings.signals:
            return TopicChoice(
                topic, topic.role, f"role {topic.role}: topic {topic.name} ({topic.when_signal})"
            )
    best: Topic | None = None
    best_words: list[str] = []
    for topic in tables.topics:
        words = [hit.matched for hit in find_hits(topic_text, topic.keywords, language)
                 if not hit.negated]  # fmt: skip
        distinct = list(dict.fromkeys(w.casefold() for w in words))
        if len(distinct) > len(best_words):
            best, best_words = topic, distinct
    if best is not None:
        quoted = ", ".join(f'"{w}"' for w in best_words[:4])
        return TopicChoice(best, best.role, f"role {best.role}: topic {best.name} ({quoted})")
    role = tables.settings.default_role
    return TopicChoice(None, role, f"role {role}: no topic keyword found (default role)")
