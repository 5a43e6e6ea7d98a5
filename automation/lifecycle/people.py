"""Who hears about a case: assignee, backup, managers, tier 3, the next tier up.

Contract: pure functions of the Team / Response times tables.  Every result is
a ``Member`` (so it has an email) or nothing; a name that points at nobody on
the Team tab is skipped, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from automation.decide.hours import is_away
from automation.tables.owner_tables import Member, Tables


@dataclass(frozen=True)
class Step:
    """One rung of the escalation ladder: who, and how they were chosen."""

    person: Member
    how: str


def members(tables: Tables, names: tuple[str, ...] | list[str]) -> list[Member]:
    found: list[Member] = []
    for name in names:
        person = tables.member(name)
        if person is not None and person not in found:
            found.append(person)
    return found


def tier_three(tables: Tables) -> list[Member]:
    return [m for m in tables.members if m.active and m.tier >= 3]


def owner(tables: Tables) -> Member | None:
    """The business owner: the first tier-3 person on the Team tab."""
    top = tier_three(tables)
    return top[0] if top else None


def next_step(
    tables: Tables, role: str, holder: Member | None, involved: set[str], now: datetime
) -> Step | None:
    """The next person up from ``holder`` (the assignee, or whoever had the last
    escalation).  Order: someone of the next higher tier who holds the case's
    role and is not away (the nearest tier first); else anyone of a higher tier;
    else the holder's backup; else the owner.  People already ``involved``
    (case-folded names) are skipped: escalating to yourself helps nobody."""
    floor = holder.tier if holder else 0
    role = role.casefold()

    def fresh(person: Member) -> bool:
        return (
            person.active
            and person.name.casefold() not in involved
            and not is_away(person, tables, now)
        )

    higher = sorted(
        (m for m in tables.members if m.tier > floor and fresh(m)), key=lambda m: m.tier
    )
    for person in higher:
        if role in person.roles:
            return Step(person, f"tier {person.tier}, handles {role}")
    if higher:
        return Step(higher[0], f"tier {higher[0].tier}")
    if holder and holder.backup:
        backup = tables.member(holder.backup)
        if backup is not None and fresh(backup):
            return Step(backup, f"{holder.name}'s backup")
    top = owner(tables)
    if top is not None and top.name.casefold() not in involved:
        return Step(top, "the owner")
    return None
