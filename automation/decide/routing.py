"""Who gets the case: the owner's strategies, in the order of the Routing tab.

Strategies narrow or pick from the pool of people holding the role:
expert (topic's expert), account manager, language (speakers of the mail's
language), region (first in the region's preference order), round robin
(least recently given a case in this role), tier (Critical needs tier 2+, more
authority needs the next tier up), hours (off-shift cases go to an on-shift
backup, or the after-hours emergency list for Critical), away and workload.
Away and workload are always enforced last, whatever the tab says: nobody away
or at their cap is ever given a case; if no one can take it, it is queued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from automation.decide.hours import is_away, on_shift
from automation.decide.load import TeamLoad
from automation.model import Priority
from automation.tables.owner_tables import Account, Member, Tables, Topic


@dataclass(frozen=True)
class Route:
    assignee: Member | None
    queued: bool
    notify: tuple[str, ...]
    why: tuple[str, ...]


@dataclass(frozen=True)
class Request:
    """What routing needs to know about the case."""

    role: str
    priority: Priority
    topic: Topic | None = None
    account: Account | None = None
    language: str | None = None
    region: str | None = None
    needs_authority: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)


@dataclass
class _State:
    tables: Tables
    load: TeamLoad
    now: datetime
    req: Request
    pool: list[Member]
    full: list[Member] = field(default_factory=list)
    chosen: Member | None = None
    why: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)

    def free(self, person: Member) -> str | None:
        """Why ``person`` cannot take a case now, or None if they can."""
        if person.name.casefold() in self.req.exclude:
            return "excluded"
        if is_away(person, self.tables, self.now):
            return "away"
        if self.load.open_for(person.name) >= person.max_open:
            return f"at cap ({self.load.open_for(person.name)}/{person.max_open})"
        return None

    def pick(self, person: Member, reason: str) -> None:
        self.chosen = person
        self.why.append(f"{person.name}: {reason}")


def _pool(tables: Tables, req: Request, why: list[str]) -> list[Member]:
    active = [m for m in tables.members if m.active]
    pool = [m for m in active if req.role in m.roles]
    if not pool:
        fallback = tables.settings.default_role
        pool = [m for m in active if fallback in m.roles] or active
        why.append(
            f"nobody holds role {req.role}; using {'role ' + fallback if pool else 'anyone'}"
        )
    region = tables.region(req.region) if req.region else None
    if region and region.order:
        rank = {name.casefold(): i for i, name in enumerate(region.order)}
        pool.sort(key=lambda m: rank.get(m.name.casefold(), len(rank)))
    return pool


def _expert(st: _State) -> None:
    topic = st.req.topic
    person = st.tables.member(topic.expert) if topic and topic.expert else None
    if st.chosen is None and person and topic:
        st.pick(person, f"expert for {topic.name}")


def _account_manager(st: _State) -> None:
    account = st.req.account
    person = st.tables.member(account.manager) if account and account.manager else None
    if st.chosen is None and person and account:
        st.pick(person, f"account manager of {account.company}")


def _language(st: _State) -> None:
    lang = st.req.language
    if st.chosen is not None or not lang or lang == st.tables.settings.main_language:
        return
    speakers = [m for m in st.pool if lang in m.languages]
    if speakers:
        st.pool = speakers
        st.why.append(
            f"speakers of {lang} in role {st.req.role}: " + ", ".join(m.name for m in speakers)
        )
    else:
        st.why.append(f"nobody in role {st.req.role} speaks {lang}")


def _region(st: _State) -> None:
    region = st.tables.region(st.req.region) if st.req.region else None
    if st.chosen is not None or region is None or not region.order:
        return
    listed = {n.casefold() for n in region.order}
    for person in st.pool:
        if person.name.casefold() in listed:
            st.pick(person, f"first for role {st.req.role} in region {region.name}'s order")
            return


def _round_robin(st: _State) -> None:
    if st.chosen is not None or not st.pool:
        return
    person = min(st.pool, key=lambda m: st.load.turn(st.req.role, m.name))
    st.pick(person, f"round robin: longest without a {st.req.role} case")


def _tier(st: _State) -> None:
    person = st.chosen
    if person is None:
        return
    needed = 2 if st.req.priority is Priority.CRITICAL else 1
    if st.req.needs_authority:
        needed = max(needed, min(person.tier + 1, 3))
    if person.tier >= needed:
        return
    # The whole role pool in region order, not just the language-narrowed one:
    # authority matters more than language for a Critical case.
    higher = [m for m in st.full if m.tier >= needed and m is not person]
    if higher:
        st.pick(
            higher[0],
            f"tier {higher[0].tier}; {person.name} is tier {person.tier}, needs tier {needed}+",
        )
    elif (backup := st.tables.member(person.backup)) is not None:
        st.pick(backup, f"backup of {person.name} (tier {person.tier}, no tier {needed}+ in role)")


def _hours(st: _State) -> None:
    person = st.chosen
    if person is None or st.req.priority < st.tables.settings.backup_when_off_shift:
        return
    if on_shift(person, st.tables, st.now):
        return
    backup = st.tables.member(person.backup)
    if backup and on_shift(backup, st.tables, st.now) and st.free(backup) is None:
        st.pick(backup, f"backup; {person.name} is off shift")
        return
    if st.req.priority is Priority.CRITICAL:
        for name in st.tables.settings.emergency_list:
            other = st.tables.member(name)
            if other and on_shift(other, st.tables, st.now) and st.free(other) is None:
                st.pick(other, f"after-hours emergency list; {person.name} is off shift")
                return
        st.notify.extend(st.tables.settings.emergency_list)
    st.why.append(f"{person.name} is off shift and no backup is on shift: keeps it")


def _available(st: _State) -> None:
    """Away and workload: replace the chosen person if they can't take it."""
    person = st.chosen
    if person is None:
        return
    reason = st.free(person)
    if reason is None:
        return
    st.why.append(f"skipped {person.name} ({reason})")
    candidates = [st.tables.member(person.backup), *st.pool]
    needed = 2 if st.req.priority is Priority.CRITICAL else 1
    ordered = sorted(
        (m for m in candidates if m is not None and m is not person), key=lambda m: m.tier < needed
    )
    for other in ordered:
        why_not = st.free(other)
        if why_not is None:
            label = "backup" if other.name == person.backup else "next qualified"
            st.pick(other, f"{label} instead of {person.name}")
            return
        st.why.append(f"skipped {other.name} ({why_not})")
    st.chosen = None


_STEPS = {
    "expert": _expert,
    "account manager": _account_manager,
    "language": _language,
    "region": _region,
    "round robin": _round_robin,
    "tier": _tier,
    "hours": _hours,
    "away": _available,
    "workload": _available,
}


def route(req: Request, tables: Tables, load: TeamLoad, now: datetime) -> Route:
    """Pick an assignee for ``req``, or queue the case (never drop it)."""
    why: list[str] = []
    pool = _pool(tables, req, why)
    st = _State(tables, load, now, req, pool, list(pool), why=why)
    for step in tables.strategy_order:
        _STEPS[step](st)
    if st.chosen is None and st.pool:
        st.pick(st.pool[0], "first qualified")
    _available(st)  # always, whatever the Routing tab says
    queued = st.chosen is None and bool(tables.members)
    if queued:
        st.why.append("everyone qualified is away or at cap: queued for the next cycle")
    st.notify.extend(_notify(tables, req, st.chosen))
    names = [n for n in dict.fromkeys(st.notify) if not st.chosen or n != st.chosen.name]
    return Route(st.chosen, queued, tuple(names), tuple(st.why))


def _notify(tables: Tables, req: Request, chosen: Member | None) -> list[str]:
    names: list[str] = []
    commitment = tables.commitment(req.priority)
    if commitment:
        names.extend(commitment.managers)
    if req.priority is Priority.CRITICAL:
        names.extend(m.name for m in tables.members if m.active and m.tier >= 3)
    if req.account and req.account.manager:
        names.append(req.account.manager)
    return names
