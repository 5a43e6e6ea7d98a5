"""Response clocks: targets per priority, counted time, pauses, due instants.

Contract: pure; every instant is timezone-aware.  A clock counts either the
business calendar's working time (``automation.decide.hours.Calendar``: time
zone, working days, company-wide closed dates from the Coverage tab) or real
time ("around the clock"), as the Response times tab says per priority.
Paused time (Waiting on customer) is measured in the same counted time and
pushes every due instant later by exactly that much.

``add_business_time`` comes from the decision core; the inverse,
``counted_between``, is here because the core has no need for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from automation.decide.hours import Calendar, add_business_time, business_calendar
from automation.model import Priority
from automation.tables.owner_tables import Tables

# The update cadence is not a column the decision core parses; owners may add
# an "Update every" column to the Response times tab (read in ``cadences``).
# Until then: over-communicate on urgent cases, don't nag on routine ones.
DEFAULT_CADENCE: Mapping[Priority, timedelta] = {
    Priority.CRITICAL: timedelta(hours=2),
    Priority.HIGH: timedelta(hours=8),
    Priority.LOW: timedelta(hours=24),
}
# The guide's starting values, used when the Response times tab has no row.
DEFAULT_TARGETS: Mapping[Priority, tuple[timedelta, timedelta, bool]] = {
    Priority.CRITICAL: (timedelta(hours=1), timedelta(hours=8), True),
    Priority.HIGH: (timedelta(hours=4), timedelta(hours=16), False),
    Priority.LOW: (timedelta(hours=24), timedelta(hours=40), False),
}


@dataclass(frozen=True)
class Clock:
    """How one priority's commitments are counted."""

    priority: Priority
    first_response: timedelta
    update_every: timedelta
    resolution: timedelta
    around_the_clock: bool
    calendar: Calendar
    managers: tuple[str, ...] = ()

    def counted_between(self, start: datetime, end: datetime) -> timedelta:
        """Counted time from ``start`` to ``end`` (zero if ``end`` is earlier)."""
        if end <= start:
            return timedelta(0)
        if self.around_the_clock:
            return end - start
        total = timedelta(0)
        for begin, finish in self.calendar.shifts(start):
            if begin >= end:
                break
            total += min(finish, end) - max(begin, start)
        return total

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of counted time after ``start`` has passed."""
        if self.around_the_clock:
            return start.astimezone(UTC) + amount
        return add_business_time(start, amount, self.calendar)


def clock_for(
    priority: Priority, tables: Tables, cadences: Mapping[Priority, timedelta] | None = None
) -> Clock:
    """The clock of ``priority`` from the Response times tab (guide defaults if absent)."""
    calendar = business_calendar(tables.settings, tables)
    cadence = (cadences or {}).get(priority, DEFAULT_CADENCE[priority])
    promise = tables.commitment(priority)
    if promise is None:
        first, resolve, always = DEFAULT_TARGETS[priority]
        return Clock(priority, first, cadence, resolve, always, calendar)
    return Clock(
        priority,
        promise.first_response,
        cadence,
        promise.resolution,
        promise.around_the_clock,
        calendar,
        promise.managers,
    )


def cadences(tabs: Mapping[str, tuple[tuple[str, ...], ...]]) -> dict[Priority, timedelta]:
    """Optional "Update every" column of the Response times tab; bad cells are skipped
    (the decision core validates the rest of that tab)."""
    from automation.tables.cell_values import parse_duration
    from automation.tables.schema import RESPONSE

    grid = tabs.get(RESPONSE, ())
    if not grid:
        return {}
    header = [" ".join(h.split()).casefold() for h in grid[0]]
    if "update every" not in header or "priority" not in header:
        return {}
    p_col, u_col = header.index("priority"), header.index("update every")
    found: dict[Priority, timedelta] = {}
    for row in grid[1:]:
        if len(row) <= max(p_col, u_col) or not row[u_col].strip():
            continue
        try:
            found[Priority.parse(row[p_col])] = parse_duration(row[u_col])
        except ValueError:
            continue
    return found


def due(clock: Clock, start: datetime, target: timedelta, paused: timedelta) -> datetime:
    """When ``target`` of counted time has run since ``start``, pauses excluded."""
    return clock.add(start, target + paused)


def share_point(
    clock: Clock, start: datetime, target: timedelta, paused: timedelta, share: float
) -> datetime:
    """When ``share`` (0..1) of ``target`` has been used: the warning instant."""
    return clock.add(start, target * share + paused)
