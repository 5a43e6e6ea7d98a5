"""Working hours, away days and due-time arithmetic.

A ``Calendar`` is a weekly shift in an IANA time zone (start inclusive, end
exclusive; ``end <= start`` runs past midnight) minus closed dates.  Shifts are
built in local time and converted to UTC, so a DST change moves the shift with
the wall clock and a business hour is always sixty real minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from automation.tables.owner_tables import Member, Settings, Tables

_MAX_DAYS = 3700  # ten years: a calendar with no working time at all stops here


@dataclass(frozen=True)
class Calendar:
    zone: ZoneInfo
    days: frozenset[int]
    start: time
    end: time
    closed: frozenset[date] = frozenset()

    def shifts(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """UTC (start, end) of each shift that ends after ``since``, in order."""
        day = since.astimezone(self.zone).date() - timedelta(days=1)
        for _ in range(_MAX_DAYS):
            if day.weekday() in self.days and day not in self.closed:
                begin = datetime.combine(day, self.start, self.zone)
                end_day = day + timedelta(days=1) if self.end <= self.start else day
                end = datetime.combine(end_day, self.end, self.zone)
                begin_utc, end_utc = begin.astimezone(UTC), end.astimezone(UTC)
                if end_utc > since and end_utc > begin_utc:
                    yield begin_utc, end_utc
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        for begin, end in self.shifts(at):
            return begin <= at < end
        return False


def absent_dates(tables: Tables, person: str | None) -> frozenset[date]:
    """Dates ``person`` is away (their own rows plus rows for Everyone)."""
    dates: set[date] = set()
    for absence in tables.absences:
        if absence.person is None or (
            person is not None and absence.person.casefold() == person.casefold()
        ):
            day = absence.first
            while day <= absence.last:
                dates.add(day)
                day += timedelta(days=1)
    return frozenset(dates)


def member_calendar(member: Member, tables: Tables) -> Calendar:
    return Calendar(
        member.time_zone, member.days, member.start, member.end, absent_dates(tables, member.name)
    )


def business_calendar(settings: Settings, tables: Tables) -> Calendar:
    return Calendar(
        settings.business_zone,
        settings.business_days,
        settings.business_start,
        settings.business_end,
        absent_dates(tables, None),
    )


def is_away(member: Member, tables: Tables, at: datetime) -> bool:
    """Away (holiday, leave, company closure) on ``at``'s date in their zone."""
    return at.astimezone(member.time_zone).date() in absent_dates(tables, member.name)


def on_shift(member: Member, tables: Tables, at: datetime) -> bool:
    return member_calendar(member, tables).is_open(at)


def add_business_time(start: datetime, duration: timedelta, calendar: Calendar) -> datetime:
    """``start`` plus ``duration`` of working time in ``calendar``.

    Time outside shifts does not count.  A calendar with no shifts at all
    (every day closed) falls back to the clock, so a due time always exists."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    left = duration
    cursor = start.astimezone(UTC)
    for begin, end in calendar.shifts(cursor):
        cursor = max(cursor, begin)
        if cursor + left <= end:
            return cursor + left
        left -= end - cursor
    return add_clock_time(start, duration)


def add_clock_time(start: datetime, duration: timedelta) -> datetime:
    """Around the clock: real elapsed time."""
    return start.astimezone(UTC) + duration
