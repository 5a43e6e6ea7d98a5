"""The Health tab: what owners (and monitors) look at to know the poller works.

Rewritten in full by every cycle, in the same write that creates cases, so it
costs no extra request.  Because that write comes before the emails are sent,
the outcome of the rest of a cycle (outbox reachable, second write landed) is
kept in the state directory by the cycle and shown by the next cycle as
"Previous cycle" (``previous``).  Pure: no I/O.
``sheetdesk check`` reads the tab back and exits non-zero when the last cycle
is too old or had problems.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from automation.ports import Grid, Snapshot
from automation.sheet import layout as columns

TAB = columns.HEALTH_TAB


@dataclass(frozen=True)
class CycleFacts:
    """What this cycle knows when it writes the tab (before sending)."""

    problems: Sequence[str]
    fetched: int
    fetch_limit: int
    new_cases: int
    new_quarantined: int
    owed_emails: int


def _previous_value(snapshot: Snapshot, key: str) -> str:
    for row in snapshot.tabs.get(TAB, ())[1:]:
        if len(row) >= 2 and row[0] == key:
            return row[1]
    return ""


def grid(
    now: datetime,
    fmt: Callable[[datetime], str],
    facts: CycleFacts,
    snapshot: Snapshot,
    previous: str = "",
) -> Grid:
    quarantine = (
        max(len(snapshot.tabs.get(columns.QUARANTINE_TAB, ())) - 1, 0) + facts.new_quarantined
    )
    ok = not facts.problems
    last_ok = fmt(now) if ok else _previous_value(snapshot, "Last successful cycle")
    more = "yes: the rest comes next cycle" if facts.fetched >= facts.fetch_limit else "no"
    rows: list[tuple[str, str]] = [
        ("Last cycle", fmt(now)),
        ("Last cycle result", "ok" if ok else f"{len(facts.problems)} problem(s), see below"),
        ("Last successful cycle", last_ok or "never"),
        ("Messages fetched this cycle", str(facts.fetched)),
        ("More mail waiting in the inbox", more),
        ("Open cases", str(len(snapshot.cases) + facts.new_cases)),
        ("Quarantined messages (total)", str(quarantine)),
        ("Emails waiting to be sent", str(facts.owed_emails)),
        ("Previous cycle", previous or "-"),
        ("Last error", facts.problems[-1][:500] if facts.problems else ""),
    ]
    rows.extend(("Problem", p[:500]) for p in facts.problems[:-1][:20])
    return (("What", "Value"), *rows)
