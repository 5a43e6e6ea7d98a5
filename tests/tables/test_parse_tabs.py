"""Parsing the owner-edited tabs: every mistake names its Tab!Cell."""

from __future__ import annotations

import pytest

from automation.model import Priority
from automation.tables.owner_tables import DEFAULT_TABLES
from automation.tables.parse_tabs import parse_tables
from automation.tables.starter import starter_tabs
from tests.support.decide_builders import TEAM_HEADER, TEAM_ROWS, base_tabs, tables, with_rows


def _team_with(**cells: str) -> tuple[tuple[str, ...], ...]:
    """The test team with a fifth member whose cells are overridden."""
    row = dict(
        zip(
            TEAM_HEADER,
            (
                "Eve",
                "eve@shop.test",
                "general",
                "1",
                "Europe/London",
                "Mon-Fri",
                "09:00",
                "17:00",
                "3",
                "Ana",
                "en",
                "Yes",
            ),
            strict=True,
        )
    )
    row.update(cells)
    return (TEAM_HEADER, *TEAM_ROWS, tuple(row[h] for h in TEAM_HEADER))


# (situation, tabs override, expected problem fragment)
MISTAKES = [
    (
        "bad time zone",
        {"Team": _team_with(**{"Time zone": "Europe/Amsterdm"})},
        "Team!E6: time zone 'Europe/Amsterdm' is unknown",
    ),
    ("unknown role", {"Team": _team_with(Roles="wizardry")}, "Team!C6: role 'wizardry' is unknown"),
    (
        "backup not on team",
        {"Team": _team_with(Backup="Zed")},
        "Team!J6: backup 'Zed' of Eve is not on the Team tab",
    ),
    ("own backup", {"Team": _team_with(Backup="Eve")}, "Team!J6: Eve cannot be their own backup"),
    (
        "cap not a number",
        {"Team": _team_with(**{"Max open cases": "lots"})},
        "Team!I6: max open cases 'lots' is not a whole number",
    ),
    (
        "tier out of range",
        {"Team": _team_with(Tier="4")},
        "Team!D6: tier '4' is not a whole number",
    ),
    ("bad start time", {"Team": _team_with(Start="9am-ish")}, "Team!G6: time '9am-ish'"),
    ("bad days", {"Team": _team_with(**{"Working days": "Mondays"})}, "Team!F6: working days"),
    ("duplicate name", {"Team": _team_with(Name="Ana")}, "Team!A6: 'Ana' appears twice"),
    (
        "missing header",
        {"Team": (("Name", "Email"), ("Ana", "a@x.test"))},
        "Team!C1: required header 'Roles' is missing",
    ),
    (
        "malformed regex",
        {
            "Triggers": (
                ("Category", "Phrase", "Language", "Kind"),
                ("urgency", "(unclosed", "", "pattern"),
            )
        },
        "Triggers!B2: pattern '(unclosed' is not a valid regular expression",
    ),
    (
        "empty-matching regex",
        {
            "Triggers": (
                ("Category", "Phrase", "Language", "Kind"),
                ("urgency", "x*", "", "pattern"),
            )
        },
        "Triggers!B2: pattern 'x*' matches empty text",
    ),
    (
        "unknown category",
        {"Triggers": (("Category", "Phrase"), ("anger", "grr"))},
        "Triggers!A2: category 'anger' is unknown",
    ),
    (
        "bad priority floor",
        {"Priorities": (("When found", "Priority at least"), ("urgency", "Urgent"))},
        "Priorities!B2: unknown priority 'Urgent'",
    ),
    (
        "unknown finding",
        {"Priorities": (("When found", "Priority at least"), ("moon phase", "High"))},
        "Priorities!A2: 'moon phase' is not something sheetdesk finds",
    ),
    (
        "bad duration",
        {
            "Response times": (
                ("Priority", "First response within", "Resolve within"),
                ("High", "soonish", "8h"),
            )
        },
        "Response times!B2: duration 'soonish'",
    ),
    (
        "expert not on team",
        {
            "Topics": (
                ("Topic", "Role", "Keywords", "Expert"),
                ("Billing", "billing", "invoice", "Zed"),
            )
        },
        "Topics!D2: expert 'Zed' is not on the Team tab",
    ),
    (
        "account manager missing",
        {"Accounts": (("Domain", "Account manager"), ("big.test", "Zed"))},
        "Accounts!B2: account manager 'Zed' is not on the Team tab",
    ),
    ("bad domain", {"Accounts": (("Domain",), ("not a domain",))}, "Accounts!A2: 'not a domain'"),
    (
        "coverage unknown person",
        {"Coverage": (("Person", "From", "To"), ("Zed", "2025-03-04", ""))},
        "Coverage!A2: 'Zed' is not on the Team tab",
    ),
    (
        "coverage bad date",
        {"Coverage": (("Person", "From"), ("Ana", "next week"))},
        "Coverage!B2: date 'next week'",
    ),
    (
        "coverage backwards",
        {"Coverage": (("Person", "From", "To"), ("Ana", "2025-03-04", "2025-03-01"))},
        "Coverage!C2: away until 2025-03-01 is before",
    ),
    (
        "region offset",
        {"Regions": (("Region", "UTC offset from"), ("x", "+99"))},
        "Regions!B2: UTC offset '+99'",
    ),
    (
        "region order unknown",
        {"Regions": (("Region", "Preference order"), ("x", "Zed"))},
        "Regions!B2: person 'Zed' is not on the Team tab",
    ),
    (
        "routing step",
        {"Routing": (("Step", "Use"), ("vibes", "Yes"))},
        "Routing!A2: step 'vibes' is unknown",
    ),
    (
        "setting unknown",
        {"Settings": (("Setting", "Value"), ("Colour", "blue"))},
        "Settings!A2: setting 'Colour' is unknown",
    ),
    (
        "setting bad value",
        {"Settings": (("Setting", "Value"), ("Default max open cases", "five"))},
        "Settings!B2: max open cases 'five'",
    ),
    (
        "emergency list unknown",
        {"Settings": (("Setting", "Value"), ("After-hours emergency list", "Zed"))},
        "Settings!B2: 'Zed' is not on the Team tab",
    ),
    (
        "duplicate header",
        {"Coverage": (("Person", "From", "From"),)},
        "Coverage!C1: header 'From' appears twice",
    ),
]


@pytest.mark.parametrize(
    ("situation", "override", "fragment"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_owner_mistakes_name_the_cell(situation: str, override: dict, fragment: str) -> None:
    _, problems = parse_tables(base_tabs(**override))
    assert any(fragment in p for p in problems), (situation, problems)


def test_starter_tabs_parse_without_problems() -> None:
    specs = starter_tabs()
    parsed, problems = parse_tables({s.title: (s.header, *s.rows) for s in specs})
    assert problems == []
    assert parsed.member("Owner") is not None
    assert {s.title for s in specs} >= {"Team", "Topics", "Triggers", "Priorities", "Settings"}
    for spec in specs:
        assert set(spec.notes) <= set(spec.header), spec.title
        assert set(spec.choices) <= set(spec.header), spec.title
        assert all(spec.notes.get(h) for h in spec.header if h in spec.notes)


def test_no_tabs_gives_safe_defaults() -> None:
    parsed, problems = parse_tables({})
    assert problems == [] and parsed is DEFAULT_TABLES
    assert parsed.default_priority is Priority.HIGH and parsed.members == ()


def test_columns_found_by_header_name_in_any_order() -> None:
    header = tuple(reversed(TEAM_HEADER))
    rows = tuple(tuple(reversed(r)) for r in TEAM_ROWS)
    parsed = tables(Team=(header, *rows))
    ana = parsed.member("ana")
    assert ana is not None and ana.backup == "Ben" and ana.max_open == 3


def test_blank_rows_are_spacing_and_inactive_members_are_skipped() -> None:
    grid = with_rows(
        "Team", ("",) * 12, ("Old", "", "general", "1", "", "", "", "", "", "", "", "No")
    )
    parsed = tables(Team=grid)
    assert parsed.member("Old") is None
    assert len(parsed.members) == len(TEAM_ROWS) + 1
