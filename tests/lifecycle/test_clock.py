"""Response clocks at the right business-hours instant: weekend, holiday, DST.

Pure: ``advance`` on a row, with ``now`` passed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from automation.lifecycle.transitions import Policy, advance
from automation.sheet import layout as columns
from automation.tables.parse_tabs import parse_tables
from tests.lifecycle.test_lifecycle_cycle import RESPONSE, SETTINGS, TEAM, TEAM_HEADER


def tables(holidays: list[str] = ()):  # type: ignore[assignment]
    tabs = {
        "Team": (tuple(TEAM_HEADER), *map(tuple, TEAM)),
        "Response times": tuple(map(tuple, RESPONSE)),
        "Settings": tuple(map(tuple, SETTINGS)),
        "Coverage": (
            ("Person", "From", "To", "Note"),
            *(("Everyone", d, d, "holiday") for d in holidays),
        ),
    }
    parsed, problems = parse_tables(tabs)
    assert problems == []
    return parsed


def row(opened: datetime, seen: str = "") -> dict[str, str]:
    return {
        columns.CASE_ID: "C-1",
        "Opened": opened.isoformat(),
        "Priority (auto)": "High",
        columns.PRIORITY: "High",
        columns.STATUS: "Assigned",
        columns.ASSIGNEE: "Ana Ruiz",
        "Customer email": "c@x.example",
        "Messages": "1",
        columns.SEEN: seen,
        "Role": "general",
    }


def run(values: dict[str, str], now: datetime, holidays: list[str] = ()):  # type: ignore[no-untyped-def,assignment]
    return advance(
        values,
        [],
        False,
        now,
        tables(holidays),
        Policy(),
        {},
        lambda d: d.astimezone(UTC).isoformat(timespec="minutes"),
    )


def stamped(opened: datetime, holidays: list[str] = ()) -> dict[str, str]:
    values = row(opened)
    values[columns.SEEN] = run(values, opened, holidays).cells[columns.SEEN]
    return values


def warnings(values: dict[str, str], now: datetime, holidays: list[str] = ()) -> list[str]:
    return [o.event for o in run(values, now, holidays).owed if o.event.startswith("warning")]


def test_weekend_does_not_count() -> None:
    # Friday 15:00 London (GMT): 2 h count on Friday, the other 2 h from Monday 09:00.
    values = stamped(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    plan = run(values, datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
    assert plan.cells["First response due"] == "2026-12-07T11:00+00:00"
    # The warning at 75 % (3 h): Monday 10:00, not a minute earlier.
    assert warnings(values, datetime(2026, 12, 7, 9, 59, tzinfo=UTC)) == []
    assert warnings(values, datetime(2026, 12, 7, 10, 0, tzinfo=UTC)) == [
        "warning-first~ana-ruiz",
        "warning-first~ben-ortiz",
    ]


def test_holiday_is_skipped() -> None:
    # Thursday 24 Dec 16:00: 1 h that day; Friday 25 Dec is a company holiday; the
    # weekend; 3 h on Monday 28 Dec -> 12:00.
    values = stamped(datetime(2026, 12, 24, 16, 0, tzinfo=UTC), ["2026-12-25"])
    plan = run(values, datetime(2026, 12, 26, 12, 0, tzinfo=UTC), ["2026-12-25"])
    assert plan.cells["First response due"] == "2026-12-28T12:00+00:00"
    breach = run(values, datetime(2026, 12, 28, 12, 0, tzinfo=UTC), ["2026-12-25"])
    assert any(o.event.startswith("escalated") for o in breach.owed)
    early = run(values, datetime(2026, 12, 28, 11, 59, tzinfo=UTC), ["2026-12-25"])
    assert not any(o.event.startswith("escalated") for o in early.owed)


def test_dst_change_moves_the_working_day_with_the_wall_clock() -> None:
    # Friday 23 Oct 2026 16:00 BST (15:00 UTC); clocks go back on Sunday 25 Oct.
    # 1 h on Friday, 3 h from Monday 09:00 GMT (= 09:00 UTC) -> 12:00 UTC.
    values = stamped(datetime(2026, 10, 23, 15, 0, tzinfo=UTC))
    plan = run(values, datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert plan.cells["First response due"] == "2026-10-26T12:00+00:00"
    assert warnings(values, datetime(2026, 10, 26, 10, 59, tzinfo=UTC)) == []
    assert warnings(values, datetime(2026, 10, 26, 11, 0, tzinfo=UTC)) != []


def test_waiting_on_customer_pauses_in_business_time() -> None:
    opened = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # Friday
    values = stamped(opened)
    values[columns.STATUS] = "Waiting on customer"
    values[columns.SEEN] = run(values, datetime(2026, 12, 4, 16, 0, tzinfo=UTC)).cells[columns.SEEN]
    # The customer replies on Monday 10:00: paused Fri 16-17 + Mon 9-10 = 2 business hours.
    values["Messages"] = "2"
    plan = run(values, datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    assert plan.seen.paused == int(timedelta(hours=2).total_seconds())
    assert plan.cells["First response due"] == "2026-12-07T13:00+00:00"


def test_no_warning_once_its_deadline_has_passed() -> None:
    # A cycle that first runs after the first-response deadline escalates; it does
    # not also send a "due soon" warning about a deadline already gone.
    values = stamped(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    late = run(values, datetime(2026, 12, 7, 11, 30, tzinfo=UTC))
    events = [o.event for o in late.owed]
    assert not [e for e in events if e.startswith("warning-first")], events
    assert any(e.startswith("escalated-first") for e in events), events
