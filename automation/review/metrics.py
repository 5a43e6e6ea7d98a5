"""Review figures from the Cases tab alone: pure, ``now`` passed in.

Contract: ``figures(rows, now)`` reads only what the sheet records (Opened,
Priority, Triggers, Role, Assignee, Status, the Sent log and the "Seen" cell),
so the Metrics tab, the weekly email and ``sheetdesk report`` agree, and a
fresh machine computes the same numbers.

Definitions (stated in the Metrics tab too):

* first response = the first email a *person* wrote (update, handoff,
  resolution) went out; the automatic acknowledgement does not count;
* resolution time = Opened -> first resolution email sent;
* times are clock hours (what the customer felt), not business hours;
* a commitment is *met* when it was fulfilled without a breach being recorded
  and *missed* when a breach was recorded; cases still inside their target
  count in neither; share met = met / (met + missed) over both commitments;
* p90 uses the nearest-rank method; median is the usual middle value;
* reopen rate = cases reopened at least once / cases ever resolved.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from automation.lifecycle import events as ev
from automation.lifecycle.seen import Seen, parse
from automation.sheet import layout as col
from automation.sheet import sent_log as sentlog
from automation.sheet.cells import cell_time, effective_assignee, effective_priority

CLOSED = ("resolved", "closed")


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    opened: datetime | None
    priority: str
    triggers: tuple[str, ...]
    role: str
    assignee: str
    is_open: bool
    first_response: datetime | None
    resolved: datetime | None
    first_met: bool | None  # None = neither met nor missed yet
    resolution_met: bool | None
    escalations: int
    reopened: bool
    ever_resolved: bool


def facts(values: Mapping[str, str]) -> CaseFacts:
    seen: Seen = parse(values.get(col.SEEN, ""))
    entries = [e for e in sentlog.parse(values.get(col.SENT_LOG, "")) if e.state == sentlog.SENT]
    human = sorted(e.at for e in entries if e.at and ev.split(e.event)[0] in ev.HUMAN)
    resolved = sorted(e.at for e in entries if e.at and e.event == "resolution")
    status = values.get(col.STATUS, "").strip().casefold()
    is_open = status not in CLOSED and seen.closed_at is None and seen.resolved_at is None
    first_at = human[0] if human else None
    res_at = resolved[0] if resolved else None
    return CaseFacts(
        case_id=values.get(col.CASE_ID, ""),
        opened=cell_time(values.get(col.OPENED, "")),
        priority=effective_priority(values).label,
        triggers=tuple(
            t.strip() for t in values.get(col.TRIGGERS_FOUND, "").split(",") if t.strip()
        ),
        role=values.get(col.ROLE, "").strip() or "general",
        assignee=effective_assignee(values) or "(unassigned)",
        is_open=is_open,
        first_response=first_at,
        resolved=res_at,
        first_met=False if seen.has("breach-first") else (True if first_at else None),
        resolution_met=False if seen.has("breach-resolution") else (True if res_at else None),
        escalations=seen.escalations,
        reopened=seen.reopens > 0,
        ever_resolved=seen.resolutions > 0 or res_at is not None,
    )


def p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0) / 3600


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    volume: int
    met: int
    missed: int

    @property
    def share(self) -> float | None:
        return self.met / (self.met + self.missed) if self.met + self.missed else None


@dataclass(frozen=True)
class Figures:
    total: int
    by_priority: Mapping[str, int]
    by_trigger: Mapping[str, int]
    by_role: Mapping[str, int]
    first_median: float | None
    first_p90: float | None
    resolution_median: float | None
    resolution_p90: float | None
    met: int
    missed: int
    open_load: Mapping[str, int]
    oldest_open: tuple[tuple[str, float, str, str], ...]  # id, age in hours, who, priority
    escalations: int
    reopened: int
    ever_resolved: int
    weeks: tuple[Week, ...]
    breached: tuple[str, ...]  # case IDs with a missed commitment

    @property
    def share_met(self) -> float | None:
        return self.met / (self.met + self.missed) if self.met + self.missed else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.ever_resolved if self.ever_resolved else None


def _counted(met: Iterable[bool | None]) -> tuple[int, int]:
    flags = list(met)
    return sum(1 for m in flags if m is True), sum(1 for m in flags if m is False)


def figures(rows: Iterable[Mapping[str, str]], now: datetime, weeks: int = 8) -> Figures:
    cases = [facts(v) for v in rows]
    triggers: Counter[str] = Counter(t for c in cases for t in c.triggers)
    first = [h for c in cases if (h := _hours(c.opened, c.first_response)) is not None]
    resolve = [h for c in cases if (h := _hours(c.opened, c.resolved)) is not None]
    met, missed = _counted([c.first_met for c in cases] + [c.resolution_met for c in cases])
    open_cases = [c for c in cases if c.is_open]
    oldest = sorted((c for c in open_cases if c.opened), key=lambda c: (c.opened, c.case_id))
    monday = now.date() - timedelta(days=now.weekday())
    series = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        inside = [
            c for c in cases if c.opened and start <= c.opened.date() < start + timedelta(weeks=1)
        ]
        m, x = _counted([c.first_met for c in inside] + [c.resolution_met for c in inside])
        series.append(Week(start, len(inside), m, x))
    return Figures(
        total=len(cases),
        by_priority=dict(Counter(c.priority for c in cases)),
        by_trigger=dict(triggers) or {"none": 0},
        by_role=dict(Counter(c.role for c in cases)),
        first_median=median(first),
        first_p90=p90(first),
        resolution_median=median(resolve),
        resolution_p90=p90(resolve),
        met=met,
        missed=missed,
        open_load=dict(Counter(c.assignee for c in open_cases)),
        oldest_open=tuple(
            (c.case_id, _hours(c.opened, now) or 0.0, c.assignee, c.priority) for c in oldest[:5]
        ),
        escalations=sum(c.escalations for c in cases),
        reopened=sum(1 for c in cases if c.reopened),
        ever_resolved=sum(1 for c in cases if c.ever_resolved),
        weeks=tuple(series),
        breached=tuple(c.case_id for c in cases if False in (c.first_met, c.resolution_met)),
    )
