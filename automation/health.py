"""The Health tab: what owners (and monitors) look at to know the poller works.

Rewritten in full by every cycle, in the same write that creates cases.
``sheetdesk check`` reads it back and exits non-zero when the last successful
cycle is too old or the last cycle had errors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from automation.ports import Grid, Snapshot

TAB = "Health"


class _Report(Protocol):
    @property
    def problems(self) -> list[str]: ...

    @property
    def counts(self) -> object: ...


def grid(now: datetime, fmt: Callable[[datetime], str], report: _Report, snapshot: Snapshot,
         owed_emails: int) -> Grid:
    quarantine = snapshot.tabs.get("Quarantine", ())
    rows: list[tuple[str, str]] = [
        ("Last cycle", fmt(now)),
        ("Last cycle result", "problems: see below" if report.problems else "ok"),
        ("Open cases", str(len(snapshot.cases))),
        ("Quarantined messages (total)", str(max(len(quarantine) - 1, 0))),
        ("Emails waiting to be sent", str(owed_emails)),
        ("Last error", report.problems[-1][:500] if report.problems else ""),
    ]
    return (("What", "Value"), *rows)
