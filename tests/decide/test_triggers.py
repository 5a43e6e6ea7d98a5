"""Triggers and priority: one row per situation, with the why fragment expected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.decide.matching import clean_subject, compile_phrase
from automation.decide.triggers import shouting_run
from automation.model import Priority
from tests.support.decide_builders import TUESDAY_MORNING, case_row, msg, tables, with_rows

TABLES = tables()

# (situation, message kwargs, triggers expected, priority, why fragment)
SITUATIONS = [
    ("routine question", {}, (), Priority.LOW, "nothing pressing found, can wait -> Low"),
    (
        "urgent phrase",
        {"text": "Please help, this is urgent."},
        ("urgency",),
        Priority.HIGH,
        'urgency: "urgent"',
    ),
    (
        "negated urgency",
        {"text": "Not urgent at all, whenever you can."},
        (),
        Priority.LOW,
        '"urgent" (urgency, negated)',
    ),
    (
        "api not inside rapid",
        {"text": "Thanks for the rapid reply."},
        (),
        Priority.LOW,
        "triggers: none",
    ),
    (
        "api as a word",
        {"text": "How do I use your API to export orders?"},
        ("complexity",),
        Priority.LOW,
        'complexity: "API"',
    ),
    (
        "inherited Re: subject ignored",
        {"subject": "Re: URGENT outage", "text": "Thanks, all good."},
        (),
        Priority.LOW,
        "triggers: none",
    ),
    (
        "own subject counts",
        {"subject": "Urgent: invoice", "text": "See above."},
        ("urgency",),
        Priority.HIGH,
        'urgency: "Urgent"',
    ),
    (
        "emotion",
        {"text": "This is unacceptable, I expected better."},
        ("emotion",),
        Priority.HIGH,
        'emotion: "unacceptable"',
    ),
    (
        "shouting",
        {"text": "WHY IS MY ORDER STILL MISSING please"},
        ("emotion",),
        Priority.HIGH,
        'capitals "WHY IS MY ORDER',
    ),
    (
        "acronyms are not shouting",
        {"text": "My VAT ID on the PDF is wrong"},
        (),
        Priority.LOW,
        "triggers: none",
    ),
    (
        "repeated contact in text",
        {"text": "This is the third time I write about this."},
        ("emotion",),
        Priority.HIGH,
        'repeated contact: "third time I',
    ),
    (
        # a mail client's importance flag is shown in the why but is not urgency
        "importance header",
        {"headers": (("importance", "high"),)},
        (),
        Priority.LOW,
        "marked important: Importance: high",
    ),
    (
        "x-priority 1",
        {"headers": (("x-priority", "1 (Highest)"),)},
        (),
        Priority.LOW,
        "X-Priority: 1",
    ),
    (
        "key account is value, not priority",
        {"sender": "amy@eu.bigco.com"},
        ("value",),
        Priority.LOW,
        "key account BigCo Ltd",
    ),
    (
        "major client complaint",
        {"sender": "amy@bigco.com", "text": "We are very disappointed."},
        ("emotion", "value"),
        Priority.CRITICAL,
        "major client complaint",
    ),
    (
        "outage",
        {"text": "Your website is down and we can't take orders."},
        ("urgency",),
        Priority.CRITICAL,
        "operations stopped",
    ),
    (
        "security concern",
        {"text": "I got a phishing email pretending to be you."},
        ("urgency",),
        Priority.CRITICAL,
        "security concern",
    ),
    (
        "legal threat",
        {"text": "My solicitor will be in touch."},
        (),
        Priority.CRITICAL,
        "legal threat",
    ),
    (
        "no workaround",
        {"text": "The login still not working, tried everything."},
        (),
        Priority.HIGH,
        "no workaround",
    ),
    (
        "conflict resolves upward",
        {"text": "No rush, but the site is down."},
        ("urgency",),
        Priority.CRITICAL,
        "operations stopped",
    ),
    (
        "phrase in another language only counts there",
        {"text": "Bitte dringend prüfen, wir haben das Problem noch immer mit der Rechnung."},
        ("urgency",),
        Priority.HIGH,
        'urgency: "dringend"',
    ),
]


@pytest.mark.parametrize(
    ("situation", "kwargs", "triggers", "priority", "why"),
    SITUATIONS,
    ids=[s[0] for s in SITUATIONS],
)
def test_triggers_and_priority(
    situation: str, kwargs: dict, triggers: tuple[str, ...], priority: Priority, why: str
) -> None:
    decision = decide(msg(**kwargs), None, TABLES, TeamLoad(), TUESDAY_MORNING)
    assert decision.triggers == triggers, decision.why
    assert decision.priority is priority, decision.why
    assert why in decision.why


# (situation, case row values, priority expected, why fragment)
REPLIES = [
    (
        "person's edit wins",
        {"priority": "Low", "auto": "Critical", "role": "general", "routed_to": "Ana"},
        Priority.LOW,
        "set by a person in the sheet",
    ),
    (
        "no edit: judged afresh",
        {"priority": "Low", "auto": "Low", "role": "general", "routed_to": "Ana"},
        Priority.LOW,
        "can wait",
    ),
    (
        "breached first response",
        {
            "auto": "Low",
            "priority": "Low",
            "role": "general",
            "routed_to": "Ana",
            "status": "New",
            "first_due": (TUESDAY_MORNING - timedelta(hours=1)).isoformat(),
        },
        Priority.HIGH,
        "commitment breached: first response was due",
    ),
    (
        "answered case is not breached",
        {
            "auto": "Low",
            "priority": "Low",
            "role": "general",
            "routed_to": "Ana",
            "status": "Waiting on customer",
            "first_due": (TUESDAY_MORNING - timedelta(hours=1)).isoformat(),
        },
        Priority.LOW,
        "triggers: none",
    ),
    (
        "many earlier messages",
        {"auto": "Low", "priority": "Low", "role": "general", "routed_to": "Ana", "messages": "3"},
        Priority.HIGH,
        "repeated contact: 3 earlier customer messages",
    ),
]


@pytest.mark.parametrize(
    ("situation", "values", "priority", "why"), REPLIES, ids=[r[0] for r in REPLIES]
)
def test_replies(situation: str, values: dict, priority: Priority, why: str) -> None:
    reply = msg(subject="Re: Question", text="Any news on this?")
    decision = decide(reply, case_row(**values), TABLES, TeamLoad(), TUESDAY_MORNING)
    assert decision.priority is priority, decision.why
    assert why in decision.why


def test_our_lateness_raises_priority_but_is_not_the_customers_urgency() -> None:
    reply = msg(subject="Re: Question", text="Any news on this?")
    late = case_row(
        auto="Low",
        priority="Low",
        role="general",
        routed_to="Ana",
        status="New",
        first_due=(TUESDAY_MORNING - timedelta(hours=1)).isoformat(),
    )
    decision = decide(reply, late, TABLES, TeamLoad(), TUESDAY_MORNING)
    assert decision.priority is Priority.HIGH
    assert "urgency" not in decision.triggers and "commitment breached" in decision.why


def test_owner_phrase_and_pattern_from_tabs() -> None:
    grid = with_rows(
        "Triggers",
        ("value", "espresso bar chain", "", "phrase"),
        ("urgency", r"\bgrand opening\b", "", "pattern"),
    )
    custom = tables(Triggers=grid)
    text = "We run an espresso bar chain; our grand opening is soon."
    decision = decide(msg(text=text), None, custom, TeamLoad(), TUESDAY_MORNING)
    assert decision.triggers == ("urgency", "value")


@pytest.mark.parametrize(
    ("subject", "clean"),
    [
        ("Re: Fwd: Broken kettle", "Broken kettle"),
        ("AW: Rechnung [AB-10412]", "Rechnung"),
        ("RE: [BB-10415] Order", "Order"),
        ("Refund please", "Refund please"),
    ],
)
def test_clean_subject(subject: str, clean: str) -> None:
    assert clean_subject(subject) == clean


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("api", "rapid", False),
        ("api", "the API docs", True),
        ("can't", "I can’t log in", True),
        ("fed up", "fed\n up", True),
        ("invoice", "two invoices", True),
        ("!!!", "help!!!", True),
    ],
)
def test_word_boundaries(phrase: str, text: str, hit: bool) -> None:
    from automation.decide.matching import normalise

    assert bool(compile_phrase(phrase).search(normalise(text))) is hit


def test_shouting_needs_a_run() -> None:
    assert shouting_run("THIS IS NOT OK AT ALL", frozenset(), 4) == "THIS IS NOT OK"
    assert shouting_run("THIS is NOT ok", frozenset(), 4) is None
