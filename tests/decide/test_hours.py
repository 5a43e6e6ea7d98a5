"""Business hours and due-time arithmetic: weekends, DST, holidays, night shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from automation.decide.hours import Calendar, add_business_time, add_clock_time

WEEKDAYS = frozenset(range(5))
LONDON = Calendar(ZoneInfo("Europe/London"), WEEKDAYS, time(9), time(17))
NEW_YORK = Calendar(ZoneInfo("America/New_York"), WEEKDAYS, time(9), time(17))
SYDNEY = Calendar(ZoneInfo("Australia/Sydney"), WEEKDAYS, time(9), time(17))
NIGHTS = Calendar(ZoneInfo("Europe/London"), WEEKDAYS, time(22), time(6))
LONDON_HOLIDAY = Calendar(
    ZoneInfo("Europe/London"), WEEKDAYS, time(9), time(17), frozenset({date(2025, 3, 10)})
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (situation, calendar, start, duration, expected due in UTC)
DUE = [
    ("inside one shift", LONDON, utc(2025, 3, 4, 10), timedelta(hours=2), utc(2025, 3, 4, 12)),
    (
        "before the shift starts",
        LONDON,
        utc(2025, 3, 4, 7),
        timedelta(hours=1),
        utc(2025, 3, 4, 10),
    ),
    ("over the weekend", LONDON, utc(2025, 3, 7, 16), timedelta(hours=2), utc(2025, 3, 10, 10)),
    ("started on Saturday", LONDON, utc(2025, 3, 8, 12), timedelta(hours=1), utc(2025, 3, 10, 10)),
    (
        "US spring forward weekend",
        NEW_YORK,
        utc(2025, 3, 7, 21),
        timedelta(hours=2),
        utc(2025, 3, 10, 14),
    ),
    (
        "UK spring forward weekend",
        LONDON,
        utc(2025, 3, 28, 16),
        timedelta(hours=2),
        utc(2025, 3, 31, 9),
    ),
    ("Sydney DST ends", SYDNEY, utc(2025, 4, 4, 5), timedelta(hours=2), utc(2025, 4, 7, 0)),
    (
        "holiday skipped",
        LONDON_HOLIDAY,
        utc(2025, 3, 7, 16),
        timedelta(hours=2),
        utc(2025, 3, 11, 10),
    ),
    (
        "night shift past midnight",
        NIGHTS,
        utc(2025, 3, 4, 23),
        timedelta(hours=2),
        utc(2025, 3, 5, 1),
    ),
    (
        "a full 8h day rolls to the next",
        LONDON,
        utc(2025, 3, 4, 9),
        timedelta(hours=8),
        utc(2025, 3, 4, 17),
    ),
    (
        "40 business hours is a week",
        LONDON,
        utc(2025, 3, 4, 9),
        timedelta(hours=40),
        utc(2025, 3, 10, 17),
    ),
]


@pytest.mark.parametrize(
    ("situation", "calendar", "start", "duration", "due"), DUE, ids=[d[0] for d in DUE]
)
def test_add_business_time(
    situation: str, calendar: Calendar, start: datetime, duration: timedelta, due: datetime
) -> None:
    assert add_business_time(start, duration, calendar) == due, situation


# (situation, calendar, moment, open?)
OPEN = [
    ("start is inclusive", LONDON, utc(2025, 3, 4, 9), True),
    ("end is exclusive", LONDON, utc(2025, 3, 4, 17), False),
    ("one minute before end", LONDON, utc(2025, 3, 4, 16, 59), True),
    ("Saturday", LONDON, utc(2025, 3, 8, 12), False),
    ("09:00 BST is 08:00 UTC after the change", LONDON, utc(2025, 3, 31, 8), True),
    ("08:00 UTC before the change is 08:00 GMT", LONDON, utc(2025, 3, 28, 8), False),
    ("New York 09:00 EDT", NEW_YORK, utc(2025, 3, 10, 13), True),
    ("night shift after midnight", NIGHTS, utc(2025, 3, 5, 3), True),
    ("holiday", LONDON_HOLIDAY, utc(2025, 3, 10, 12), False),
]


@pytest.mark.parametrize(
    ("situation", "calendar", "moment", "expected"), OPEN, ids=[o[0] for o in OPEN]
)
def test_is_open(situation: str, calendar: Calendar, moment: datetime, expected: bool) -> None:
    assert calendar.is_open(moment) is expected, situation


def test_around_the_clock_counts_nights_and_weekends() -> None:
    assert add_clock_time(utc(2025, 3, 7, 23), timedelta(hours=2)) == utc(2025, 3, 8, 1)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(datetime(2025, 3, 4, 9), timedelta(hours=1), LONDON)
