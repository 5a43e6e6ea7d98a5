"""Escalation triggers and signals, judged on what the sender wrote now.

Looked at: ``message.new_text`` (own text, no quoted history or signature) and
the subject, but only when the subject is the sender's own: an inherited
``Re:``/``Fwd:`` subject repeats words the customer did not write this time.
Phrase lists come from the Triggers tab; built-in signals (shouting, writing
again, importance headers, key-account sender, a breached commitment) need no
list.  Every finding carries the evidence the why quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from automation.decide.concepts import Concept, find_concepts
from automation.decide.matching import Hit, clean_subject, find_hits, is_reply_subject, normalise
from automation.decide.senses import other_sense
from automation.model import CaseRow, Message
from automation.sheet import layout as col
from automation.sheet.cells import cell_int, cell_time
from automation.tables.owner_tables import IMPLIES, SIGNALS, TRIGGERS, Account, Tables

# "third time I write", "I have emailed four times", "still waiting for a reply":
# the customer says they are repeating themselves.
_REPEAT = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|\d+(?:nd|rd|th))\s+time\s+(?:i|we)\b"
    r"|(?:emailed|written|wrote|called|contacted|asked)\s+(?:you\s+)?"
    r"(?:three|four|five|several|multiple|many|\d+)\s+times"
    r"|(?:already|have)\s+(?:emailed|written|contacted)\s+(?:you\s+)?(?:twice|again)"
    r"|zum\s+(?:dritten|vierten)\s+mal|(?:tercera|cuarta)\s+vez|(?:terza|quarta)\s+volta"
    r"|(?:derde|vierde)\s+keer|(?:terceira|quarta)\s+vez)",
    re.IGNORECASE,
)
# "we've been with you four years": said alongside frustration, the relationship
# itself is in question (the guide's long-term dissatisfaction -> retention).
_LOYAL = re.compile(
    r"\b(?:been\s+(?:with\s+you|a\s+(?:loyal\s+)?customer|(?:loyal\s+)?customers|"
    r"ordering\s+from\s+you|buying\s+from\s+you)\s+(?:for\s+)?(?:over\s+|almost\s+|nearly\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|many|several)\s+years)",
    re.IGNORECASE,
)
# Right after an emotion word: aimed at the writer, or praise ("frustrated with
# myself", "ridiculous, in the best way") -- not a complaint about us.
_NOT_AT_US = re.compile(
    r"^[\s,]*(?:with\s+(?:myself|ourselves)\b|at\s+(?:myself|ourselves)\b"
    r"|in\s+(?:the|a)\s+(?:best|good|nicest)\s+(?:way|sense)\b)",
    re.IGNORECASE,
)
# Signals a denial does not switch off: "not a scam?" or "no lawyer yet" still
# name the risk, and the guide's default when unsure is to escalate.
_KEPT_WHEN_NEGATED = frozenset({"security concern", "legal threat"})
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['-][^\W\d_]+)*", re.UNICODE)
_OPEN_STATUSES_UNANSWERED = ("", "new", "assigned")
_CLOSED = ("resolved", "closed")


@dataclass(frozen=True)
class Findings:
    """What the trigger pass found: trigger names, signal names, evidence."""

    triggers: tuple[str, ...]
    signals: frozenset[str]
    evidence: tuple[str, ...]
    ignored: tuple[str, ...]
    account: Account | None
    text: str  # the normalised text that was searched

    def has(self, name: str) -> bool:
        return name in self.signals or name in self.triggers


def own_text(message: Message, forwarded: bool) -> str:
    """The sender's own new text; for a staff forward, the whole body, since the
    forwarded customer's words are what the team is asked to act on."""
    return (message.body_text if forwarded else message.new_text) or ""


def analysed_text(message: Message, forwarded: bool = False) -> tuple[str, str]:
    """(text searched for triggers, text searched for topics).

    Topics may use an inherited subject (it still names the subject matter);
    triggers may not."""
    subject = clean_subject(message.subject)
    own_subject = "" if is_reply_subject(message.subject) and not forwarded else subject
    body = own_text(message, forwarded)
    return normalise(f"{own_subject}\n{body}"), normalise(f"{subject}\n{body}")


def shouting_run(text: str, acronyms: frozenset[str], needed: int) -> str | None:
    """The first run of ``needed`` consecutive all-capital words, if any.

    Words under two letters and listed acronyms neither count nor break a run."""
    if sum(1 for word in text.split() if len(word) > 1 and word.isupper()) < needed:
        return None  # too few capital words for any run (cheap string methods only)
    run: list[str] = []
    for word in _WORD.findall(text):
        letters = [c for c in word if c.isalpha()]
        if len(letters) < 2 or word.upper() in acronyms:
            continue
        if all(c.isupper() for c in letters):
            run.append(word)
            if len(run) >= needed:
                return " ".join(run)
        else:
            run = []
    return None


def _marked_important(message: Message) -> str | None:
    importance = (message.header("importance") or "").strip().casefold()
    if importance == "high":
        return "Importance: high"
    x_priority = (message.header("x-priority") or "").strip()
    if x_priority[:1] in ("1", "2"):
        return f"X-Priority: {x_priority}"
    if (message.header("priority") or "").strip().casefold() == "urgent":
        return "Priority: urgent"
    return None


def breached(case: CaseRow, now: datetime) -> str | None:
    """Why an open case is already past its commitment, or None."""
    status = case.get(col.STATUS).strip().casefold()
    if status in _CLOSED:
        return None
    first = cell_time(case.get(col.FIRST_RESPONSE_DUE))
    if first and now > first and status in _OPEN_STATUSES_UNANSWERED:
        return f"first response was due {first:%Y-%m-%d %H:%M} UTC and no one has answered"
    resolution = cell_time(case.get(col.RESOLUTION_DUE))
    if resolution and now > resolution and status != "waiting on customer":
        return f"resolution was due {resolution:%Y-%m-%d %H:%M} UTC"
    return None


def _covering_signal(hit: Hit, hits: Sequence[Hit]) -> Hit | None:
    """A longer signal hit of another category whose text contains ``hit``'s:
    "breach" (security) inside "breach of our agreement" (legal).  The more
    specific reading wins; triggers are never dropped this way."""
    if hit.phrase.category not in SIGNALS:
        return None
    for other in hits:
        if (
            other is not hit
            and not other.negated
            and other.phrase.category in SIGNALS
            and other.phrase.category != hit.phrase.category
            and other.start <= hit.start
            and hit.end <= other.end
            and other.end - other.start > hit.end - hit.start
        ):
            return other
    return None


_PROBLEM = re.compile(
    r"\b(?:again|error\w*|mistakes?|wrong|problems?|issues?|complain\w*|unacceptable|"
    r"short|late|fail\w*|months?|third|second)\b",
    re.IGNORECASE,
)


def _add_concepts(
    concepts: list[Concept], text: str, found: dict[str, list[str]], ignored: list[str]
) -> None:
    """Concept findings into ``found``.  A stated calm ("no rush") switches off the
    urgency the words alone would give, unless the work has stopped or security is
    at stake: the sender knows their deadline, and the guide's safe default only
    applies when we are unsure."""
    signals = {c.signal for c in concepts}
    serious = bool(signals & {"operations stopped", "security concern"})
    for concept in concepts:
        if concept.signal == "calm":
            continue
        if concept.signal == "urgency" and "calm" in signals and not serious:
            continue
        if concept.signal == "relationship threat":
            # A key account putting the relationship in question over a problem.
            problem = _PROBLEM.search(text)
            if "emotion" in found or problem:
                why = f' over a problem ("{problem.group(0)}")' if problem else ""
                found.setdefault("major client complaint", []).append(concept.evidence + why)
            continue
        found.setdefault(concept.signal, []).append(concept.evidence)
    if "calm" in signals and not serious and "urgency" in found:
        quiet = next(c for c in concepts if c.signal == "calm")
        words = ", ".join(found.pop("urgency"))
        ignored.append(f'urgency {words} (the sender says "{quiet.words[0]}")')


def find_triggers(
    message: Message,
    case: CaseRow | None,
    tables: Tables,
    language: str,
    domain: str,
    now: datetime,
    forwarded: bool = False,
) -> Findings:
    """Triggers and signals for ``message`` (``case`` is its case row, if any).

    ``domain`` is the customer's mail domain (for a staff forward: the forwarded
    customer's)."""
    text, _ = analysed_text(message, forwarded)
    found: dict[str, list[str]] = {}
    ignored: list[str] = []

    def add(name: str, evidence: str) -> None:
        found.setdefault(name, []).append(evidence)

    hits: Sequence[Hit] = find_hits(text, tables.phrases, language)
    for hit in hits:
        category = hit.phrase.category
        wider = _covering_signal(hit, hits)
        if wider is not None:
            ignored.append(
                f'"{hit.matched}" ({category}, part of {wider.phrase.category} "{wider.matched}")'
            )
        elif hit.negated and category in _KEPT_WHEN_NEGATED:
            add(category, f'"{hit.matched}" (kept although negated: when unsure, escalate)')
        elif hit.negated:
            ignored.append(f'"{hit.matched}" ({category}, negated)')
        elif category == "emotion" and _NOT_AT_US.match(text[hit.end : hit.end + 40]):
            ignored.append(f'"{hit.matched}" (emotion, not aimed at us)')
        elif (sense := other_sense(hit, text)) is not None:
            ignored.append(f'"{hit.matched}" ({category}, {sense})')
        else:
            add(category, f'"{hit.matched}"')
    sizes = [e for e in found.get("value", []) if e not in found.get("pre-sales", [])]
    account = tables.account_for(domain) if domain else None
    if "pre-sales" in found and sizes and account is None:
        add(
            "qualified prospect",
            f"buying enquiry ({found['pre-sales'][0]}) that names its size ({sizes[0]})",
        )
    settings = tables.settings
    concepts = find_concepts(text, settings.core_activities, account is not None)
    _add_concepts(concepts, text, found, ignored)
    caps = shouting_run(own_text(message, forwarded), settings.acronyms, settings.shouting_words)
    if caps:
        add("shouting", f'capitals "{caps[:40]}"')
    repeat = _REPEAT.search(text)
    if repeat:
        add("repeated contact", f'"{repeat.group(0)}"')
        add("emotion", f'writes again ("{repeat.group(0)}")')
    if case is not None:
        earlier = cell_int(case.get(col.MESSAGES))
        if earlier >= settings.repeated_contact_after:
            add("repeated contact", f"{earlier} earlier customer messages on the case")
        late = breached(case, now)
        if late:
            add("commitment breached", late)
    important = _marked_important(message)
    if important:
        add("marked important", important)
    if account and (account.contract_value or 0) >= settings.value_contract_from:
        add("key account", f"{domain} is key account {account.company}")
    for signal, trigger in IMPLIES.items():
        if signal in found and trigger not in found:
            add(trigger, f"implied by {signal}")
    loyal = _LOYAL.search(text)
    if loyal and "emotion" in found and "leaving" not in found:
        add("leaving", f'long-term dissatisfaction ("{loyal.group(0)}", and unhappy)')
    if account and "emotion" in found:
        add("major client complaint", f"unhappy key account {account.company}")
    triggers = tuple(sorted(name for name in TRIGGERS if name in found))
    evidence = tuple(f"{name}: {', '.join(dict.fromkeys(items))}" for name, items in found.items())
    return Findings(
        triggers=triggers,
        signals=frozenset(found),
        evidence=evidence,
        ignored=tuple(ignored),
        account=account,
        text=text,
    )
