"""Routing strategies: one row per situation, with the why fragment expected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from automation.decide.core import assign_queued, decide
from automation.decide.load import TeamLoad, team_load_from_cases
from automation.model import Priority
from automation.tables.owner_tables import DEFAULT_TABLES
from tests.support.decide_builders import TUESDAY_MORNING, case_row, msg, tables, with_rows

TABLES = tables()
AWAY = tables(Coverage=(("Person", "From", "To", "Note"), ("Ana", "2025-03-03", "2025-03-05", "")))
NO_ORDER = tables(Regions=(("Region", "Country codes"), ("europe", "uk"), ("apac", "au")))
EMERGENCY = tables(Settings=with_rows("Settings", ("After-hours emergency list", "Dev", "")))
EST = timezone(timedelta(hours=-5))
TUESDAY_NIGHT = datetime(2025, 3, 4, 22, 0, tzinfo=UTC)  # London and New York off, Sydney on


def load(
    open_cases: dict[str, int] | None = None, turns: dict[str, dict[str, int]] | None = None
) -> TeamLoad:
    return TeamLoad(
        {k.casefold(): v for k, v in (open_cases or {}).items()},
        {r: {k.casefold(): v for k, v in m.items()} for r, m in (turns or {}).items()},
        10,
    )


INVOICE = {"text": "Could you resend my invoice please?", "sender": "jo@shop.co.uk"}

# (situation, tables, message kwargs, team load, now, assignee, queued, why fragment)
ROUTES = [
    (
        "role and region order",
        TABLES,
        INVOICE,
        load(),
        TUESDAY_MORNING,
        "Ana",
        False,
        "Ana: first for role billing in region europe's order",
    ),
    (
        "subject-matter expert",
        TABLES,
        {"text": "I think my account was hacked"},
        load(),
        TUESDAY_MORNING,
        "Ben",
        False,
        "Ben: expert for Security",
    ),
    (
        "account manager",
        TABLES,
        {"sender": "amy@bigco.com"},
        load(),
        TUESDAY_MORNING,
        "Cara",
        False,
        "Cara: account manager of BigCo Ltd",
    ),
    (
        "language picks a speaker",
        TABLES,
        {
            "text": "Hola, tengo una pregunta sobre el pedido y la entrega de mi paquete.",
            "sender": "li@mail.us",
        },
        load(),
        TUESDAY_MORNING,
        "Ana",
        False,
        "speakers of es",
    ),
    (
        "ccTLD region",
        TABLES,
        {"sender": "kim@cafe.com.au"},
        load(),
        TUESDAY_MORNING,
        "Dev",
        False,
        "region apac (address ends in .au)",
    ),
    (
        "Date offset region",
        TABLES,
        {"sender": "kim@cafe.com", "date": datetime(2025, 3, 4, 0, 30, tzinfo=EST)},
        load(),
        TUESDAY_MORNING,
        "Cara",
        False,
        "sent at UTC-5",
    ),
    (
        "Critical needs tier 2, then on-shift backup",
        TABLES,
        {"text": "Delivery system: we can't take orders at all.", "sender": "kim@cafe.com.au"},
        load(),
        TUESDAY_MORNING,
        "Ben",
        False,
        "Cara: tier 3; Dev is tier 1, needs tier 2+",
    ),
    (
        "off shift for Critical goes to backup",
        TABLES,
        {"text": "Delivery system: we can't take orders at all.", "sender": "kim@cafe.com.au"},
        load(),
        TUESDAY_MORNING,
        "Ben",
        False,
        "Ben: backup; Cara is off shift",
    ),
    (
        "away person skipped",
        AWAY,
        INVOICE,
        load(),
        TUESDAY_MORNING,
        "Ben",
        False,
        "skipped Ana (away)",
    ),
    (
        "at cap skipped",
        TABLES,
        INVOICE,
        load({"Ana": 3}),
        TUESDAY_MORNING,
        "Ben",
        False,
        "skipped Ana (at cap (3/3))",
    ),
    (
        "everyone at cap is queued",
        TABLES,
        INVOICE,
        load({"Ana": 3, "Ben": 3}),
        TUESDAY_MORNING,
        None,
        True,
        "queued for the next cycle",
    ),
    (
        "round robin without preference order",
        NO_ORDER,
        {"sender": "jo@shop.co.uk"},
        load(turns={"general": {"Ana": 5, "Cara": 3}}),
        TUESDAY_MORNING,
        "Dev",
        False,
        "round robin: longest without a general case",
    ),
    (
        "round robin takes turns",
        NO_ORDER,
        {"sender": "jo@shop.co.uk"},
        load(turns={"general": {"Ana": 5, "Cara": 3, "Dev": 9}}),
        TUESDAY_MORNING,
        "Cara",
        False,
        "round robin",
    ),
    (
        "needs more authority goes up a tier",
        TABLES,
        {"text": "Invoice wrong again. I want to speak to a manager.", "sender": "jo@shop.co.uk"},
        load(),
        TUESDAY_MORNING,
        "Ben",
        False,
        "Ana is tier 1, needs tier 2+",
    ),
    (
        "after-hours emergency list",
        EMERGENCY,
        {"text": "Your website is down, error on every page.", "sender": "jo@shop.co.uk"},
        load(),
        TUESDAY_NIGHT,
        "Dev",
        False,
        "after-hours emergency list; Ben is off shift",
    ),
    (
        "off shift keeps it when nobody is on",
        TABLES,
        {"text": "Your website is down, error on every page.", "sender": "jo@shop.co.uk"},
        load(),
        TUESDAY_NIGHT,
        "Ben",
        False,
        "no backup is on shift: keeps it",
    ),
    (
        "Low off shift stays",
        TABLES,
        {"sender": "kim@cafe.com.au"},
        load(),
        TUESDAY_MORNING,
        "Dev",
        False,
        "Dev: first for role general",
    ),
]


@pytest.mark.parametrize(
    ("situation", "tabs", "kwargs", "team_load", "now", "assignee", "queued", "why"),
    ROUTES,
    ids=[r[0] for r in ROUTES],
)
def test_routing(
    situation: str,
    tabs,
    kwargs: dict,
    team_load: TeamLoad,
    now: datetime,
    assignee: str | None,
    queued: bool,
    why: str,
) -> None:
    decision = decide(msg(**kwargs), None, tabs, team_load, now)
    assert decision.assignee == assignee, decision.why
    assert decision.queued is queued
    assert why in decision.why, decision.why


def test_critical_notifies_tier_three_and_sets_tier() -> None:
    m = msg(text="Delivery system: we can't take orders at all.", sender="kim@cafe.com.au")
    decision = decide(m, None, TABLES, load(), TUESDAY_MORNING)
    assert decision.priority is Priority.CRITICAL
    assert "Cara" in decision.notify and decision.tier == 2
    assert decision.backup == "Ana"
    assert decision.first_response_due == TUESDAY_MORNING + timedelta(hours=1)


def test_no_team_means_unassigned_high() -> None:
    decision = decide(msg(), None, DEFAULT_TABLES, TeamLoad(), TUESDAY_MORNING)
    assert decision.assignee is None and not decision.queued
    assert decision.priority is Priority.HIGH
    assert "nobody is on the Team tab" in decision.why


# (situation, case values, reply text, assignee expected, why fragment)
REPLIES = [
    (
        "same role keeps assignee",
        {"role": "billing", "routed_to": "Ben"},
        "Thanks, the invoice is fine now.",
        "Ben",
        "Ben: keeps the case",
    ),
    (
        "team Assignee beats Routed to",
        {"role": "billing", "routed_to": "Ben", "assignee": "Cara"},
        "Thanks, the invoice is fine now.",
        "Cara",
        "Cara: keeps the case",
    ),
    (
        "thanks does not change role",
        {"role": "technical", "routed_to": "Ben"},
        "Thank you, all sorted.",
        "Ben",
        "kept from the case",
    ),
    (
        "signal changes role",
        {"role": "billing", "routed_to": "Ana"},
        "Also I think my account was hacked yesterday.",
        "Ben",
        "role changed from billing",
    ),
]


@pytest.mark.parametrize(
    ("situation", "values", "text", "assignee", "why"), REPLIES, ids=[r[0] for r in REPLIES]
)
def test_reply_routing(situation: str, values: dict, text: str, assignee: str, why: str) -> None:
    reply = msg(subject="Re: Invoice", text=text, sender="jo@shop.co.uk")
    decision = decide(reply, [case_row(**values)], TABLES, load(), TUESDAY_MORNING)
    assert decision.assignee == assignee, decision.why
    assert why in decision.why, decision.why


def test_queued_case_is_assigned_on_a_later_cycle() -> None:
    row = case_row(
        role="billing",
        priority="High",
        auto="High",
        email="jo@shop.co.uk",
        opened=TUESDAY_MORNING.isoformat(),
    )
    still = assign_queued(row, TABLES, load({"Ana": 3, "Ben": 3}), TUESDAY_MORNING)
    assert still.queued and still.assignee is None
    later = assign_queued(row, TABLES, load({"Ana": 3, "Ben": 1}), TUESDAY_MORNING)
    assert later.assignee == "Ben" and not later.queued
    assert "queued case re-routed" in later.why


def test_team_load_respects_sheet_reassignment_and_status() -> None:
    cases = [
        case_row(
            "C-1",
            routed_to="Ana",
            assignee="Ben",
            status="New",
            role="billing",
            opened="2025-03-01T09:00",
        ),
        case_row(
            "C-2", routed_to="Ana", status="Closed", role="billing", opened="2025-03-02T09:00"
        ),
        case_row(
            "C-3", routed_to="Ana", status="In progress", role="general", opened="2025-03-03T09:00"
        ),
    ]
    team = team_load_from_cases(cases)
    assert team.open_for("Ben") == 1 and team.open_for("Ana") == 1
    assert team.turn("billing", "Ana") > team.turn("billing", "Ben")
    after = team.with_assignment("Cara", "general")
    assert after.open_for("Cara") == 1 and after.turn("general", "Cara") > team.turn(
        "general", "Ana"
    )
