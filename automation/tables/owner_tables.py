"""The owner-edited tables, as frozen values the decision core reads.

``parse_tables`` (in ``automation.tables.parse_tabs``) builds a ``Tables`` from the
spreadsheet's tabs; ``DEFAULT_TABLES`` is what the core uses when there are no
tabs at all: nobody on the team, so every case is Unassigned, and every case is
High until an owner says otherwise (the guide's "when unsure, escalate").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from automation.model import Priority

# Trigger categories: the four escalation triggers of the guide.
TRIGGERS: tuple[str, ...] = ("complexity", "urgency", "value", "emotion")
# Signals: findings that steer priority and routing but are not trigger columns.
SIGNALS: tuple[str, ...] = (
    "operations stopped",
    "security concern",
    "legal threat",
    "leaving",
    "no workaround",
    "needs more authority",
    # a fault the customer works around at a cost ("by hand every morning")
    "costly workaround",
    # a buying enquiry: quote, pricing, proposal, tender, new supplier
    "pre-sales",
    # a charge that disagrees with the plan, the seats or itself (charged twice)
    "billing discrepancy",
    # a clock set by law or an authority: a data-subject access request, a
    # tax-authority letter or filing with a date
    "statutory deadline",
)
CATEGORIES: tuple[str, ...] = TRIGGERS + SIGNALS
# Built-in findings the core computes itself (no phrase list): named so the
# Priorities tab can give each one a floor.
BUILT_IN_SIGNALS: tuple[str, ...] = (
    "shouting",
    "repeated contact",
    "marked important",
    "key account",
    "major client complaint",
    "commitment breached",
    # a pre-sales enquiry that also carries a value signal from the message
    # itself (sites, volumes, procurement): the guide's "qualified prospect"
    "qualified prospect",
)
RULE_SUBJECTS: tuple[str, ...] = CATEGORIES + BUILT_IN_SIGNALS
# What a Topics row's "Also when" may name: the signals, and a qualified prospect
# (a buying enquiry with a size goes to whoever sells, whatever it wants to buy).
TOPIC_SIGNALS: tuple[str, ...] = (*SIGNALS, "qualified prospect")
# A finding that also counts as a trigger, and why: the guide says security
# concerns and outages are urgent (delays compound); shouting, churn talk and
# writing again are frustration; a key-account sender is value.  An importance
# flag is the sender's mail-client setting, not evidence of time pressure, so
# it is shown in the why but implies nothing.  A breached commitment is our own
# lateness, not the customer's time pressure: it raises the priority (the
# Priorities tab) and shows in the why, but is not the urgency trigger.
IMPLIES: dict[str, str] = {
    "security concern": "urgency",
    "operations stopped": "urgency",
    "leaving": "emotion",
    "shouting": "emotion",
    "key account": "value",
}

STRATEGIES: tuple[str, ...] = (
    "expert",
    "account manager",
    "language",
    "region",
    "round robin",
    "tier",
    "hours",
    "away",
    "workload",
)
DEFAULT_STRATEGY_ORDER: tuple[str, ...] = STRATEGIES

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Member:
    """One person on the Team tab.  ``days`` are weekday numbers (Mon=0)."""

    name: str
    email: str
    roles: tuple[str, ...]
    tier: int
    time_zone: ZoneInfo
    days: frozenset[int]
    start: time
    end: time  # exclusive; ``end <= start`` means the shift runs past midnight
    max_open: int
    backup: str | None
    languages: tuple[str, ...]
    active: bool = True


@dataclass(frozen=True)
class Phrase:
    """A trigger phrase or pattern.  ``language`` is "" for any language."""

    category: str
    text: str
    regex: re.Pattern[str]
    language: str = ""
    is_pattern: bool = False
    where: str = ""  # Tab!Cell it came from, for the why
    # Lower-cased literal the text must contain for the phrase to match; a
    # cheap substring test that skips most regex searches ("" = always search).
    probe: str = ""


@dataclass(frozen=True)
class Topic:
    """Subject matter -> role (and optionally a subject-matter expert)."""

    name: str
    role: str
    keywords: tuple[Phrase, ...]
    expert: str | None = None
    when_signal: str | None = None  # a signal that puts a case on this topic at once


@dataclass(frozen=True)
class FloorRule:
    """ "When <subject> is found, priority is at least <floor>"."""

    subject: str
    floor: Priority


@dataclass(frozen=True)
class Commitment:
    """Response-time promise for one priority."""

    priority: Priority
    first_response: timedelta
    resolution: timedelta
    around_the_clock: bool
    managers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Account:
    """A key account, matched on the sender's domain or any subdomain of it."""

    domain: str
    company: str
    plan: str = ""
    contract_value: float | None = None
    manager: str | None = None


@dataclass(frozen=True)
class Absence:
    """A person (or everyone, ``person is None``) away on dates first..last."""

    person: str | None
    first: date
    last: date
    note: str = ""


@dataclass(frozen=True)
class Region:
    """A customer region: country codes, a UTC-offset band, a preference order."""

    name: str
    country_codes: frozenset[str]
    offset_min: timedelta | None
    offset_max: timedelta | None
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The Settings tab: business-wide values with safe defaults."""

    default_role: str = "general"
    main_language: str = "en"
    business_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    business_days: frozenset[int] = frozenset(range(5))
    business_start: time = time(9, 0)
    business_end: time = time(17, 0)
    default_max_open: int = 5
    acronyms: frozenset[str] = frozenset()
    shouting_words: int = 4
    repeated_contact_after: int = 3
    backup_when_off_shift: Priority = Priority.HIGH
    emergency_list: tuple[str, ...] = ()
    default_region: str = ""
    value_contract_from: float = 0.0
    # The owner's words for what their customers use them for ("pay run, portal"):
    # a halt applied to one of these is "operations stopped" (decide/concepts.py).
    core_activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tables:
    """Everything the owner configured, validated.  Never partially parsed."""

    members: tuple[Member, ...] = ()
    topics: tuple[Topic, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    floors: tuple[FloorRule, ...] = field(default_factory=lambda: DEFAULT_FLOORS)
    commitments: tuple[Commitment, ...] = ()
    accounts: tuple[Account, ...] = ()
    absences: tuple[Absence, ...] = ()
    regions: tuple[Region, ...] = ()
    strategy_order: tuple[str, ...] = DEFAULT_STRATEGY_ORDER
    settings: Settings = field(default_factory=Settings)
    default_priority: Priority = Priority.LOW

    def member(self, name: str | None) -> Member | None:
        """The active member called ``name`` (case-insensitive), or None."""
        if not name:
            return None
        wanted = name.strip().casefold()
        for person in self.members:
            if person.name.casefold() == wanted and person.active:
                return person
        return None

    def commitment(self, priority: Priority) -> Commitment | None:
        for item in self.commitments:
            if item.priority is priority:
                return item
        return None

    def account_for(self, domain: str) -> Account | None:
        """The account whose domain equals ``domain`` or is a parent of it."""
        domain = domain.lower().strip(".")
        best: Account | None = None
        for account in self.accounts:
            if domain == account.domain or domain.endswith("." + account.domain):
                if best is None or len(account.domain) > len(best.domain):
                    best = account
        return best

    def region(self, name: str) -> Region | None:
        for item in self.regions:
            if item.name.casefold() == name.casefold():
                return item
        return None


# The guide's decision tree as floors: blocked operations, security, legal and
# major-client trouble are Critical; time pressure, frustration and anything
# without a workaround are High; the rest can wait (Low).
DEFAULT_FLOORS: tuple[FloorRule, ...] = tuple(
    FloorRule(subject, floor)
    for subject, floor in (
        ("operations stopped", Priority.CRITICAL),
        ("security concern", Priority.CRITICAL),
        ("legal threat", Priority.CRITICAL),
        ("major client complaint", Priority.CRITICAL),
        ("no workaround", Priority.HIGH),
        ("costly workaround", Priority.HIGH),
        ("qualified prospect", Priority.HIGH),
        ("billing discrepancy", Priority.HIGH),
        ("statutory deadline", Priority.HIGH),
        ("urgency", Priority.HIGH),
        ("emotion", Priority.HIGH),
        ("leaving", Priority.HIGH),
        ("needs more authority", Priority.HIGH),
        ("repeated contact", Priority.HIGH),
        ("commitment breached", Priority.HIGH),
    )
)

# No tabs at all: no team, so nothing can be assigned; every case is High with
# a four-hour clock so nothing simmers unnoticed while the owner sets up.
DEFAULT_TABLES = Tables(
    commitments=(
        Commitment(Priority.LOW, timedelta(hours=4), timedelta(hours=24), True),
        Commitment(Priority.HIGH, timedelta(hours=4), timedelta(hours=24), True),
        Commitment(Priority.CRITICAL, timedelta(hours=1), timedelta(hours=8), True),
    ),
    default_priority=Priority.HIGH,
)
