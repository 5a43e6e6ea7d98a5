"""What a poll cycle is given (the ports) and what it gives back (the report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from automation.config import Config
from automation.cycle.decisions import DecisionSource
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.ports import CaseStore, Inbox, Lease, Outbox, StateDir


@dataclass
class Runtime:
    """Everything a cycle needs, built once per process."""

    config: Config
    inbox: Inbox
    outbox: Outbox
    store: CaseStore
    templates: TemplateSet
    decisions: DecisionSource
    ledger: Ledger
    # The local caches: last outcome and tables (the ledger and the IMAP
    # checkpoint live there too).  Wiring gives the real directory.
    state: StateDir
    # One runner per mailbox (issue 11); None where a test drives the cycle alone.
    lease: Lease | None = None


@dataclass
class CycleReport:
    """What one cycle did: counts, problems (sentences), the cases it created."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    completed: bool = True  # False when a transient failure cut the cycle short

    @property
    def exit_code(self) -> int:
        if not self.completed:
            return 75
        if self.counts["quarantined"] or self.counts["email refused"]:
            return 4
        return 0

    def summary(self) -> str:
        parts = [counted(v, k) for k, v in sorted(self.counts.items()) if v]
        return ", ".join(parts) or "nothing to do"


# The counters' nouns and their plurals; a key not listed reads the same for any
# number ("3 escalated", "1 reopened").
_PLURALS = {
    "case": "cases",
    "reply": "replies",
    "email": "emails",
    "warning": "warnings",
    "duplicate": "duplicates",
    "ack": "acks",
    "non-case": "non-cases",
    "reminder": "reminders",
    "message": "messages",
    "problem": "problems",
}


def counted(n: int, key: str) -> str:
    """``3 cases created``, ``1 case created``, ``2 update reminders``: the noun
    in a counter's name agrees with its number."""
    if n == 1:
        return f"{n} {key}"
    words = key.split(" ")
    for i, word in enumerate(words):
        if word in _PLURALS:
            words[i] = _PLURALS[word]
            break
    return f"{n} {' '.join(words)}"
