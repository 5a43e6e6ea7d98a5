"""Reading back the cells the poller wrote: one parser per kind of value.

A person may have typed in any cell, so these never raise: a value that
doesn't parse reads as absent (``None`` or 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from automation.model import Priority
from automation.sheet import layout as columns


def cell_time(text: str) -> datetime | None:
    """A time cell as written by the poller (ISO 8601; a naive value means UTC)."""
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace(" UTC", "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def cell_int(text: str) -> int:
    """A count cell ("3", "3.0"); anything else is 0."""
    try:
        return int(float(text))
    except ValueError:
        return 0


def effective_priority(values: Mapping[str, str]) -> Priority:
    """The team's Priority cell if it holds a priority, else the poller's
    "Priority (auto)", else High (the guide's default when unsure)."""
    for column in (columns.PRIORITY, columns.PRIORITY_AUTO):
        try:
            return Priority.parse(values.get(column, ""))
        except ValueError:
            continue
    return Priority.HIGH


def effective_assignee(values: Mapping[str, str]) -> str:
    """The team's Assignee if someone typed one, else whom the poller routed to."""
    return values.get(columns.ASSIGNEE, "").strip() or values.get(columns.ROUTED_TO, "").strip()
