"""Shared builders for the decision-core tests: a small team typed into tabs
the way an owner would, and ``Message`` values built directly."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from automation.model import Address, CaseRow, Message, frozen_map
from automation.ports import Grid
from automation.tables.owner_tables import Tables
from automation.tables.parse_tabs import parse_tables
from automation.tables.starter import starter_tabs

TEAM_HEADER = (
    "Name",
    "Email",
    "Roles",
    "Tier",
    "Time zone",
    "Working days",
    "Start",
    "End",
    "Max open cases",
    "Backup",
    "Languages",
    "Active",
)
TEAM_ROWS = (
    (
        "Ana",
        "ana@shop.test",
        "general, billing",
        "1",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "3",
        "Ben",
        "en, es",
        "Yes",
    ),
    (
        "Ben",
        "ben@shop.test",
        "billing, technical",
        "2",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "3",
        "Ana",
        "en, de",
        "Yes",
    ),
    (
        "Cara",
        "cara@shop.test",
        "technical, legal, general",
        "3",
        "America/New_York",
        "Mon-Fri",
        "09:00",
        "17:00",
        "5",
        "Ben",
        "en",
        "Yes",
    ),
    (
        "Dev",
        "dev@shop.test",
        "general",
        "1",
        "Australia/Sydney",
        "Mon-Fri",
        "09:00",
        "17:00",
        "3",
        "Ana",
        "en",
        "Yes",
    ),
)
TOPICS = (
    ("Topic", "Role", "Keywords", "Expert", "Also when"),
    ("Security", "technical", "password reset", "Ben", "security concern"),
    ("Legal", "legal", "contract", "Cara", "legal threat"),
    ("Leaving", "general", "", "", "leaving"),
    ("Billing", "billing", "invoice, charged, refund", "", ""),
    ("Technical", "technical", "api, login, website, error", "", ""),
    ("Orders", "general", "delivery, parcel", "", ""),
)
REGIONS = (
    ("Region", "Country codes", "UTC offset from", "UTC offset to", "Preference order"),
    ("europe", "uk, de, es", "-02:59", "+04:59", "Ana, Ben"),
    ("americas", "us, ca", "-12:00", "-03:00", "Cara"),
    ("apac", "au, nz", "+05:00", "+14:00", "Dev"),
)
ACCOUNTS = (
    ("Domain", "Company", "Plan", "Contract value per year", "Account manager"),
    ("bigco.com", "BigCo Ltd", "Gold", "120000", "Cara"),
)


def base_tabs(**override: Grid) -> dict[str, Grid]:
    """The starter tabs with the test team; ``override`` replaces whole tabs."""
    tabs: dict[str, Grid] = {spec.title: (spec.header, *spec.rows) for spec in starter_tabs()}
    tabs["Team"] = (TEAM_HEADER, *TEAM_ROWS)
    tabs["Topics"] = TOPICS
    tabs["Regions"] = REGIONS
    tabs["Accounts"] = ACCOUNTS
    tabs["Response times"] = tuple(
        row if i == 0 else (*row[:4], "") for i, row in enumerate(tabs["Response times"])
    )
    settings = [row for row in tabs["Settings"] if row[0] != "Default region"]
    tabs["Settings"] = (*settings, ("Default region", "europe", ""))
    tabs.update(override)
    return tabs


def tables(**override: Grid) -> Tables:
    parsed, problems = parse_tables(base_tabs(**override))
    assert problems == [], problems
    return parsed


def with_rows(tab: str, *rows: tuple[str, ...], base: Mapping[str, Grid] | None = None) -> Grid:
    grid = (base or base_tabs())[tab]
    return (*grid, *rows)


# Tue 2025-03-04 10:30 UTC: inside London hours, before New York, after Sydney.
TUESDAY_MORNING = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def msg(
    text: str = "Hello, a question about my delivery please.",
    subject: str = "Question",
    sender: str = "jo@example.co.uk",
    date: datetime | None = TUESDAY_MORNING,
    headers: tuple[tuple[str, str], ...] = (),
    body: str | None = None,
) -> Message:
    return Message(
        key="k1",
        message_id="m1@example",
        sender=Address("", sender),
        reply_to=(),
        to=(Address("", "support@shop.test"),),
        cc=(),
        subject=subject,
        date=date,
        in_reply_to=(),
        references=(),
        headers=headers,
        body_text=body if body is not None else text,
        new_text=text,
    )


def case_row(case_id: str = "C-1", **values: str) -> CaseRow:
    names = {
        "routed_to": "Routed to",
        "assignee": "Assignee",
        "role": "Role",
        "priority": "Priority",
        "auto": "Priority (auto)",
        "status": "Status",
        "messages": "Messages",
        "first_due": "First response due",
        "resolution_due": "Resolution due",
        "opened": "Opened",
        "email": "Customer email",
    }
    return CaseRow(case_id, frozen_map({names.get(k, k): v for k, v in values.items()}))
