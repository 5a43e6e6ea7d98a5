"""``parse_tables``: the owner-edited tabs -> ``Tables`` plus problems.

Contract: pure.  Every mistake is reported as ``Tab!Cell: what is wrong``.  When
the problem list is non-empty the returned ``Tables`` must not be used: the
caller keeps the last valid one (half-parsed tables would route cases by rules
the owner never meant).  A missing tab means "nothing configured there"; no
tabs at all gives ``DEFAULT_TABLES``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from automation.decide.matching import compile_phrase, phrase_probe
from automation.model import Priority
from automation.ports import Grid
from automation.tables import cell_values as v
from automation.tables import schema as s
from automation.tables.grid import Row, Sheet, split_list
from automation.tables.owner_tables import (
    CATEGORIES,
    DEFAULT_TABLES,
    RULE_SUBJECTS,
    STRATEGIES,
    TOPIC_SIGNALS,
    Account,
    Commitment,
    FloorRule,
    Phrase,
    Region,
    Settings,
    Tables,
    Topic,
)
from automation.tables.people_tabs import cell, parse_coverage, parse_team

_EMPTY: Grid = ()


def _sheet(tabs: Mapping[str, Grid], title: str, required: tuple[str, ...]) -> Sheet:
    return Sheet(title, tabs.get(title, _EMPTY) or ((),), required if title in tabs else ())


def _names(text: str) -> list[str]:
    return split_list(text)


def parse_settings(sheet: Sheet) -> Settings:
    settings = Settings()
    by_label = {label.casefold(): name for label, name in s.SETTING_LABELS.items()}
    parsers: dict[str, Any] = {
        "default_role": lambda t: t.casefold(),
        "main_language": v.parse_language,
        "business_zone": v.parse_zone,
        "business_days": v.parse_days,
        "business_start": v.parse_time,
        "business_end": v.parse_time,
        "default_max_open": lambda t: v.parse_int(t, "max open cases", 0, 1000),
        "acronyms": lambda t: frozenset(a.upper() for a in split_list(t)),
        "shouting_words": lambda t: v.parse_int(t, "number of words", 2, 50),
        "repeated_contact_after": lambda t: v.parse_int(t, "number of messages", 1, 100),
        "backup_when_off_shift": v.parse_priority,
        "emergency_list": lambda t: tuple(_names(t)),
        "default_region": str.strip,
        "value_contract_from": v.parse_money,
        "core_activities": lambda t: tuple(a.casefold() for a in split_list(t)),
    }
    changes: dict[str, Any] = {}
    for row in sheet.rows():
        label = row.get("Setting")
        name = by_label.get(" ".join(label.split()).casefold())
        if name is None:
            known = ", ".join(s.SETTING_LABELS)
            row.problem("Setting", f"setting {label!r} is unknown (known: {known})")
            continue
        if not row.get("Value"):
            continue
        try:
            changes[name] = parsers[name](row.get("Value"))
        except ValueError as exc:
            row.problem("Value", str(exc))
    assert {f.name for f in fields(Settings)} >= set(changes)
    return replace(settings, **changes)


def _phrase(row: Row, column: str, category: str, text: str, pattern: bool) -> Phrase | None:
    language = cell(row, "Language", v.parse_language, "")
    if pattern:
        try:
            regex = re.compile(text, re.IGNORECASE)
        except re.error as exc:
            row.problem(column, f"pattern {text!r} is not a valid regular expression ({exc})")
            return None
        if regex.search(""):
            row.problem(column, f"pattern {text!r} matches empty text, so it would always fire")
            return None
    else:
        regex = compile_phrase(text)
    probe = "" if pattern else phrase_probe(text)
    return Phrase(category, text, regex, language, pattern, row.where(column), probe)


def parse_triggers(sheet: Sheet) -> list[Phrase]:
    phrases: list[Phrase] = []
    for row in sheet.rows():
        category = row.get("Category").casefold()
        if category not in CATEGORIES:
            row.problem(
                "Category",
                f"category {row.get('Category')!r} is unknown "
                f"(use one of: {', '.join(CATEGORIES)})",
            )
            continue
        kind = (row.get("Kind") or s.KIND_PHRASE).casefold()
        if kind not in (s.KIND_PHRASE, s.KIND_PATTERN):
            row.problem(
                "Kind", f"kind {row.get('Kind')!r} should be {s.KIND_PHRASE} or {s.KIND_PATTERN}"
            )
            continue
        text = row.get("Phrase")
        if not text:
            row.problem("Phrase", "the phrase is empty")
            continue
        phrase = _phrase(row, "Phrase", category, text, kind == s.KIND_PATTERN)
        if phrase:
            phrases.append(phrase)
    return phrases


def parse_topics(sheet: Sheet) -> list[Topic]:
    topics: list[Topic] = []
    for row in sheet.rows():
        role = row.get("Role").casefold()
        if not role:
            row.problem("Role", f"topic {row.get('Topic')!r} needs a role")
            continue
        when = row.get("Also when").casefold() or None
        if when and when not in TOPIC_SIGNALS:
            row.problem(
                "Also when",
                f"{row.get('Also when')!r} is not a signal (use one of: "
                f"{', '.join(TOPIC_SIGNALS)})",
            )
            continue
        keywords = []
        for word in split_list(row.get("Keywords")):
            is_pattern = word.startswith("/") and word.endswith("/") and len(word) > 2
            phrase = _phrase(
                row, "Keywords", role, word.strip("/") if is_pattern else word, is_pattern
            )
            if phrase:
                keywords.append(phrase)
        topics.append(
            Topic(row.get("Topic") or role, role, tuple(keywords), row.get("Expert") or None, when)
        )
    return topics


def parse_floors(sheet: Sheet) -> list[FloorRule]:
    rules: list[FloorRule] = []
    for row in sheet.rows():
        subject = " ".join(row.get("When found").split()).casefold()
        if subject not in RULE_SUBJECTS:
            row.problem(
                "When found",
                f"{row.get('When found')!r} is not something sheetdesk "
                f"finds (use one of: {', '.join(RULE_SUBJECTS)})",
            )
            continue
        try:
            rules.append(FloorRule(subject, v.parse_priority(row.get("Priority at least"))))
        except ValueError as exc:
            row.problem("Priority at least", str(exc))
    return rules


def parse_commitments(sheet: Sheet) -> list[Commitment]:
    items: list[Commitment] = []
    for row in sheet.rows():
        try:
            priority = v.parse_priority(row.get("Priority"))
        except ValueError as exc:
            row.problem("Priority", str(exc))
            continue
        clock = (row.get("Clock") or s.CLOCK_BUSINESS).casefold()
        if clock not in (s.CLOCK_BUSINESS, s.CLOCK_ALWAYS):
            row.problem(
                "Clock",
                f"clock {row.get('Clock')!r} should be {s.CLOCK_BUSINESS!r} or {s.CLOCK_ALWAYS!r}",
            )
        first = cell(row, "First response within", v.parse_duration, None)
        resolve = cell(row, "Resolve within", v.parse_duration, None)
        if first is None or resolve is None:
            if first is None and not row.get("First response within"):
                row.problem("First response within", "a first-response time is needed")
            if resolve is None and not row.get("Resolve within"):
                row.problem("Resolve within", "a resolution time is needed")
            continue
        items.append(
            Commitment(
                priority, first, resolve, clock == s.CLOCK_ALWAYS, tuple(_names(row.get("Tell")))
            )
        )
    return items


def parse_accounts(sheet: Sheet) -> list[Account]:
    accounts: list[Account] = []
    for row in sheet.rows():
        domain = row.get("Domain").lower().removeprefix("@").strip(".")
        if "@" in domain or "." not in domain or " " in domain:
            row.problem("Domain", f"{row.get('Domain')!r} is not a mail domain like example.com")
            continue
        accounts.append(
            Account(
                domain,
                row.get("Company") or domain,
                row.get("Plan"),
                cell(row, "Contract value per year", v.parse_money, None),
                row.get("Account manager") or None,
            )
        )
    return accounts


def parse_regions(sheet: Sheet) -> list[Region]:
    regions: list[Region] = []
    for row in sheet.rows():
        codes = frozenset(c.casefold().lstrip(".") for c in split_list(row.get("Country codes")))
        low = cell(row, "UTC offset from", v.parse_offset, None)
        high = cell(row, "UTC offset to", v.parse_offset, None)
        if low is not None and high is not None and low > high:
            row.problem("UTC offset to", "the offset band ends before it starts")
        regions.append(
            Region(row.get("Region"), codes, low, high, tuple(_names(row.get("Preference order"))))
        )
    return regions


def parse_routing(sheet: Sheet) -> tuple[str, ...]:
    order: list[str] = []
    for row in sheet.rows():
        step = " ".join(row.get("Step").split()).casefold()
        if step not in STRATEGIES:
            row.problem(
                "Step", f"step {row.get('Step')!r} is unknown (use one of: {', '.join(STRATEGIES)})"
            )
            continue
        if cell(row, "Use", v.parse_yes, True) if row.get("Use") else True:
            order.append(step)
    return tuple(order)


def parse_tables(tabs: Mapping[str, Grid]) -> tuple[Tables, list[str]]:
    """All tabs -> (Tables, problems).  Use the Tables only if problems is empty."""
    if not tabs:
        return DEFAULT_TABLES, []
    sheets = {
        title: _sheet(tabs, title, required)
        for title, required in (
            (s.SETTINGS, s.SETTINGS_REQUIRED),
            (s.TEAM, s.TEAM_REQUIRED),
            (s.TOPICS, s.TOPICS_REQUIRED),
            (s.TRIGGERS, s.TRIGGERS_REQUIRED),
            (s.PRIORITIES, s.PRIORITIES_REQUIRED),
            (s.RESPONSE, s.RESPONSE_REQUIRED),
            (s.ACCOUNTS, s.ACCOUNTS_REQUIRED),
            (s.COVERAGE, s.COVERAGE_REQUIRED),
            (s.REGIONS, s.REGIONS_REQUIRED),
            (s.ROUTING, s.ROUTING_REQUIRED),
        )
    }
    settings = parse_settings(sheets[s.SETTINGS])
    members = parse_team(sheets[s.TEAM], settings)
    names = {m.name.casefold() for m in members}
    topics = parse_topics(sheets[s.TOPICS])
    tables = Tables(
        members=tuple(members),
        topics=tuple(topics),
        phrases=tuple(parse_triggers(sheets[s.TRIGGERS])),
        floors=tuple(parse_floors(sheets[s.PRIORITIES])),
        commitments=tuple(parse_commitments(sheets[s.RESPONSE])),
        accounts=tuple(parse_accounts(sheets[s.ACCOUNTS])),
        absences=tuple(parse_coverage(sheets[s.COVERAGE], names)),
        regions=tuple(parse_regions(sheets[s.REGIONS])),
        strategy_order=(
            parse_routing(sheets[s.ROUTING]) if s.ROUTING in tabs else DEFAULT_TABLES.strategy_order
        ),
        settings=settings,
        default_priority=Priority.LOW,
    )
    problems = [p for sheet in sheets.values() for p in sheet.problems]
    problems += _cross_check(tables, sheets, names)
    return tables, problems


def _cross_check(tables: Tables, sheets: dict[str, Sheet], names: set[str]) -> list[str]:
    """Names and roles that point at nothing."""
    problems: list[str] = []

    def check(sheet: Sheet, column: str, label: str) -> None:
        for row in sheet.rows():
            for name in _names(row.get(column)):
                if name.casefold() not in names:
                    problems.append(f"{row.where(column)}: {label} {name!r} is not on the Team tab")

    check(sheets[s.TOPICS], "Expert", "expert")
    check(sheets[s.ACCOUNTS], "Account manager", "account manager")
    check(sheets[s.REGIONS], "Preference order", "person")
    check(sheets[s.RESPONSE], "Tell", "manager")
    known_roles = {t.role for t in tables.topics} | {tables.settings.default_role}
    for row in sheets[s.TEAM].rows():
        for role in split_list(row.get("Roles")):
            if role.casefold() not in known_roles:
                problems.append(
                    f"{row.where('Roles')}: role {role!r} is unknown (roles come from "
                    f"the Topics tab: {', '.join(sorted(known_roles))})"
                )
    for row in sheets[s.SETTINGS].rows():
        label = row.get("Setting").casefold()
        if label == "after-hours emergency list":
            for name in _names(row.get("Value")):
                if name.casefold() not in names:
                    problems.append(f"{row.where('Value')}: {name!r} is not on the Team tab")
        if label == "default region" and row.get("Value") and tables.regions:
            if tables.region(row.get("Value")) is None:
                problems.append(
                    f"{row.where('Value')}: region {row.get('Value')!r} is not on the Regions tab"
                )
    return problems
