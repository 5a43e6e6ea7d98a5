"""Cell value parsers.  Each returns the value or raises ``ValueError`` whose
text finishes the sentence ``Tab!Cell: ...`` in words an owner understands."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from automation.model import Priority
from automation.tables.owner_tables import WEEKDAYS

_DAY_ALIASES = {name.casefold(): i for i, name in enumerate(WEEKDAYS)}
_DAY_ALIASES.update(
    {
        name.casefold(): i
        for i, name in enumerate(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        )
    }
)


def parse_zone(text: str) -> ZoneInfo:
    try:
        if not text or text.startswith(("/", ".")) or ".." in text:
            raise ZoneInfoNotFoundError(text)
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"time zone {text!r} is unknown (use a name like Europe/London or America/Denver)"
        ) from exc


# A time or date typed into a spreadsheet is stored as a real time or date cell and
# comes back formatted by the program: "09:00:00", "9:00 AM", a date-time on the
# spreadsheet epoch ("1899-12-30 09:00:00"), or a date with a midnight time.
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?")
_EPOCH_PREFIX = re.compile(r"1899-12-(?:30|31)[ T]")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00(?:\.0+)?)?$")


def parse_time(text: str) -> time:
    """A time of day as an owner types it (09:00, 9, 17:30) or as a spreadsheet
    program returns a time cell (09:00:00, 9:00 AM, 1899-12-30 09:00:00)."""
    match = _CLOCK.fullmatch(_EPOCH_PREFIX.sub("", text.strip(), count=1))
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        half = (match[3] or "").lower().replace(".", "")
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
        elif half:
            hour = 99  # "13:00 PM" is no time
        if hour == 24 and minute == 0:
            return time(0, 0)  # "24:00" means midnight, the end of the day
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"time {text!r} is not a time of day like 09:00 or 17:30")


def parse_days(text: str) -> frozenset[int]:
    """ "Mon-Fri", "Mon, Wed, Fri", "weekdays", "every day"."""
    low = text.strip().casefold()
    if low in ("weekdays", "mon-fri"):
        return frozenset(range(5))
    if low in ("every day", "daily", "all", "mon-sun"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in re.split(r"[,;/ ]+", low.replace("–", "-")):
        if not part:
            continue
        ends = part.split("-")
        try:
            numbers = [_DAY_ALIASES[end.strip()] for end in ends if end.strip()]
        except KeyError as exc:
            raise ValueError(
                f"working days {text!r} are not understood (write e.g. Mon-Fri or Mon, Wed)"
            ) from exc
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2:
            first, last = numbers
            span = (last - first) % 7
            days.update((first + step) % 7 for step in range(span + 1))
        else:
            raise ValueError(f"working days {text!r} are not understood (write e.g. Mon-Fri)")
    if not days:
        raise ValueError("working days are empty")
    return frozenset(days)


_UNITS = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
}


def parse_duration(text: str) -> timedelta:
    """ "4h", "30m", "1h 30m", "2 days", "90 minutes"; a bare number is hours."""
    low = text.strip().casefold()
    if re.fullmatch(r"\d+(\.\d+)?", low):
        return timedelta(hours=float(low))
    total = 0.0
    pos = 0
    for match in re.finditer(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", low):
        if match.start() != pos or match[2] not in _UNITS:
            break
        total += float(match[1]) * _UNITS[match[2]]
        pos = match.end()
    else:
        if pos == len(low) and total > 0:
            return timedelta(minutes=total)
    raise ValueError(f"duration {text!r} is not understood (write e.g. 4h, 30m or 2 days)")


def parse_offset(text: str) -> timedelta:
    """ "-03:00", "+5", "UTC+05:30"."""
    low = text.strip().upper().removeprefix("UTC").removeprefix("GMT").strip()
    match = re.fullmatch(r"([+-−])?(\d{1,2})(?::?(\d{2}))?", low)
    if not match or int(match[2]) > 14 or int(match[3] or 0) >= 60:
        raise ValueError(f"UTC offset {text!r} is not understood (write e.g. -03:00 or +05:00)")
    sign = -1 if match[1] in ("-", "−") else 1
    return sign * timedelta(hours=int(match[2]), minutes=int(match[3] or 0))


def parse_date(text: str) -> date:
    """A date as typed (2026-12-24, 24/12/2026, 24.12.2026, 24 Dec 2026) or as a
    spreadsheet program returns a date cell (with a midnight time after it)."""
    plain = _MIDNIGHT.sub("", text.strip())
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(plain, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is not understood (write it as year-month-day: 2031-12-24)")


def parse_int(text: str, what: str, low: int, high: int) -> int:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = float("nan")
    if value != value or value != int(value) or not low <= value <= high:
        raise ValueError(f"{what} {text!r} is not a whole number from {low} to {high}")
    return int(value)


def parse_money(text: str) -> float:
    cleaned = re.sub(r"[^\d.,-]", "", text).replace(",", "")
    try:
        return float(cleaned)
    except ValueError as exc:
        raise ValueError(f"contract value {text!r} is not a number") from exc


def parse_yes(text: str) -> bool:
    low = text.strip().casefold()
    if low in ("yes", "y", "true", "on", "1", "x"):
        return True
    if low in ("no", "n", "false", "off", "0", ""):
        return False
    raise ValueError(f"{text!r} should be Yes or No")


def parse_priority(text: str) -> Priority:
    return Priority.parse(text)


def parse_language(text: str) -> str:
    code = text.strip().casefold()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise ValueError(f"language {text!r} is not a language code like en, de or es")
    return code
