"""Parsers for the tabs about people: Team and Coverage."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from automation.tables import cell_values as v
from automation.tables import schema as s
from automation.tables.grid import Row, Sheet, split_list
from automation.tables.owner_tables import Absence, Member, Settings

T = TypeVar("T")


def cell(row: Row, column: str, parse: Callable[[str], T], default: T) -> T:
    """Parse one cell; blank gives ``default``; a mistake is reported and gives
    ``default`` too (the caller discards the whole result when there are problems)."""
    text = row.get(column)
    if not text:
        return default
    try:
        return parse(text)
    except ValueError as exc:
        row.problem(column, str(exc))
        return default


def parse_team(sheet: Sheet, settings: Settings) -> list[Member]:
    """Team rows -> members.  Backups are checked later, once all names are known."""
    members: list[Member] = []
    seen: set[str] = set()
    for row in sheet.rows():
        name = row.get("Name")
        if not name:
            row.problem("Name", "a team member needs a name")
            continue
        if name.casefold() in seen:
            row.problem("Name", f"{name!r} appears twice on the Team tab")
            continue
        seen.add(name.casefold())
        roles = tuple(role.casefold() for role in split_list(row.get("Roles")))
        if not roles:
            row.problem("Roles", f"{name} has no role (list one or more, e.g. general, billing)")
        start = cell(row, "Start", v.parse_time, settings.business_start)
        end = cell(row, "End", v.parse_time, settings.business_end)
        if start == end and row.get("Start"):
            row.problem("End", f"shift of {name} ends when it starts ({end:%H:%M})")
        langs: list[str] = []
        for code in split_list(row.get("Languages")) or [settings.main_language]:
            try:
                langs.append(v.parse_language(code))
            except ValueError as exc:
                row.problem("Languages", str(exc))
        members.append(
            Member(
                name=name,
                email=row.get("Email").lower(),
                roles=roles,
                tier=cell(row, "Tier", lambda t: v.parse_int(t, "tier", 1, 3), 1),
                time_zone=cell(row, "Time zone", v.parse_zone, settings.business_zone),
                days=cell(row, "Working days", v.parse_days, settings.business_days),
                start=start,
                end=end,
                max_open=cell(
                    row,
                    "Max open cases",
                    lambda t: v.parse_int(t, "max open cases", 0, 1000),
                    settings.default_max_open,
                ),
                backup=row.get("Backup") or None,
                languages=tuple(langs),
                active=cell(row, "Active", v.parse_yes, True) if row.get("Active") else True,
            )
        )
    names = {m.name.casefold() for m in members}
    for row, member in zip(_named_rows(sheet), members, strict=False):
        if member.backup and member.backup.casefold() not in names:
            row.problem(
                "Backup", f"backup {member.backup!r} of {member.name} is not on the Team tab"
            )
        elif member.backup and member.backup.casefold() == member.name.casefold():
            row.problem("Backup", f"{member.name} cannot be their own backup")
    return members


def _named_rows(sheet: Sheet) -> list[Row]:
    seen: set[str] = set()
    rows = []
    for row in sheet.rows():
        name = row.get("Name")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            rows.append(row)
    return rows


def parse_coverage(sheet: Sheet, names: set[str]) -> list[Absence]:
    """Coverage rows: a person (or Everyone, for a holiday) away From..To."""
    absences: list[Absence] = []
    for row in sheet.rows():
        person = row.get("Person")
        if person.casefold() == s.EVERYONE.casefold():
            who: str | None = None
        elif person.casefold() in names:
            who = person
        else:
            row.problem("Person", f"{person!r} is not on the Team tab (or write {s.EVERYONE})")
            continue
        try:
            first = v.parse_date(row.get("From"))
        except ValueError as exc:
            row.problem("From", str(exc))
            continue
        last = cell(row, "To", v.parse_date, first)
        if last < first:
            row.problem("To", f"away until {last} is before the first day {first}")
            continue
        absences.append(Absence(who, first, last, row.get("Note")))
    return absences
