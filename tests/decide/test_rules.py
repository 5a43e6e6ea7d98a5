"""The generic support-lead rules added to the starter tabs and the trigger pass.

One row per situation: the message, the priority and (where it matters) the
role expected, and the fragment of the why that must name what fired.  The
texts are everyday support-mail wording, not any one business's.
"""

from __future__ import annotations

import pytest

from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.decide.topics import choose_topic, topic_scores
from automation.decide.triggers import find_triggers
from automation.model import Priority
from automation.tables.owner_tables import Tables
from tests.support.decide_builders import TOPICS, TUESDAY_MORNING, msg, tables

TABLES = tables()

# (situation, message kwargs, priority, why fragment)
PRIORITY_RULES = [
    # -- operations stopped: polite outage reports
    (
        "only machine out",
        {"text": "We don't have a second machine, so we are stuck today."},
        Priority.CRITICAL,
        'operations stopped: "don\'t have a second machine"',
    ),
    (
        "our only unit dead",
        {"text": "Our only espresso machine is dead since this morning."},
        Priority.CRITICAL,
        "operations stopped:",
    ),
    (
        "nothing works",
        {"text": "Sorry to bother you, but nothing works on the site."},
        Priority.CRITICAL,
        'operations stopped: "nothing works"',
    ),
    (
        "checkout 502",
        {"text": "The checkout keeps showing 502 after I click Pay."},
        Priority.CRITICAL,
        "operations stopped:",
    ),
    (
        "blank for everyone",
        {"text": "The portal shows a blank page for all of our staff."},
        Priority.CRITICAL,
        "operations stopped:",
    ),
    (
        "won't let us order",
        {"text": "The portal won't let us order anything this week."},
        Priority.CRITICAL,
        'operations stopped: "won\'t let us order"',
    ),
    (
        "whole shop down",
        {"text": "Hi, the whole web shop is down since 8."},
        Priority.CRITICAL,
        "operations stopped:",
    ),
    (
        "can't pay wages",
        {"text": "We cannot pay our staff tomorrow because of this."},
        Priority.CRITICAL,
        "operations stopped:",
    ),
    (
        "German outage",
        {
            "text": "Bei uns geht nichts mehr, die Kasse ist komplett ausgefallen "
            "und wir können nicht verkaufen. Bitte melden Sie sich."
        },
        Priority.CRITICAL,
        '"geht nichts mehr"',
    ),
    (
        "Dutch outage",
        {
            "text": "Hallo, de webshop ligt plat en wij kunnen niet bestellen. "
            "Kunnen jullie het snel bekijken? Met vriendelijke groet"
        },
        Priority.CRITICAL,
        'operations stopped: "ligt plat"',
    ),
    # -- a workaround that keeps costing time
    (
        "fixing by hand",
        {"text": "We fix the export by hand every morning, which works."},
        Priority.HIGH,
        'costly workaround: "by hand"',
    ),
    (
        "fragile workaround",
        {"text": "We have a workaround for now but it costs us an hour."},
        Priority.HIGH,
        'costly workaround: "workaround"',
    ),
    (
        "Portuguese by hand",
        {
            "text": "Por enquanto estamos a corrigir o ficheiro à mão todas "
            "as semanas, e já nos enganámos duas vezes."
        },
        Priority.HIGH,
        'costly workaround: "à mão"',
    ),
    # -- qualified prospects
    (
        "prospect with size",
        {"text": "Could you send a quote for equipment for our 12 sites?"},
        Priority.HIGH,
        "qualified prospect: buying enquiry",
    ),
    (
        "prospect without size",
        {"text": "Could you send me a quote for one kettle?"},
        Priority.LOW,
        "can wait -> Low",
    ),
    (
        "key account is no prospect",
        {"text": "Please send a quote for 12 sites.", "sender": "amy@bigco.com"},
        Priority.LOW,
        "can wait -> Low",
    ),
    # -- emotion: confusion, and words not aimed at us
    (
        "confused",
        {"text": "I'm really confused: two emails give two different dates."},
        Priority.HIGH,
        'emotion: "really confused"',
    ),
    (
        "let down",
        {"text": "Honestly we feel let down by the last three deliveries."},
        Priority.HIGH,
        'emotion: "let down"',
    ),
    (
        "frustrated with myself",
        {"text": "I'm so frustrated with myself, I ordered the wrong size. Can I swap it?"},
        Priority.LOW,
        '"frustrated" (emotion, not aimed at us)',
    ),
    (
        "praise",
        {"text": "The crema is ridiculous, in the best way."},
        Priority.LOW,
        '"ridiculous" (emotion, not aimed at us)',
    ),
    # -- long-term dissatisfaction and plain-words churn
    (
        "loyal and unhappy",
        {"text": "We've been with you four years and honestly expected better than this."},
        Priority.HIGH,
        "leaving: long-term dissatisfaction",
    ),
    (
        "changing suppliers",
        {"text": "We are seriously considering moving to another supplier."},
        Priority.HIGH,
        '"considering moving"',
    ),
    # -- the safe default: a denial does not switch off a Critical signal
    (
        "negated lawyer",
        {"text": "No lawyer yet, but this must stop."},
        Priority.CRITICAL,
        "kept although negated: when unsure, escalate",
    ),
    # -- a contract breach is legal, not a data breach
    (
        "contract breach",
        {"text": "This price rise is a breach of our agreement."},
        Priority.CRITICAL,
        'legal threat: "breach of our agreement"',
    ),
    # -- an importance flag alone is not urgency
    (
        "importance flag",
        {"headers": (("importance", "high"),)},
        Priority.LOW,
        "marked important: Importance: high",
    ),
]


@pytest.mark.parametrize(
    ("situation", "kwargs", "priority", "why"),
    PRIORITY_RULES,
    ids=[r[0] for r in PRIORITY_RULES],
)
def test_priority_rules(situation: str, kwargs: dict, priority: Priority, why: str) -> None:
    decision = decide(msg(**kwargs), None, TABLES, TeamLoad(), TUESDAY_MORNING)
    assert decision.priority is priority, decision.why
    assert why in decision.why, decision.why


def test_contract_breach_is_not_a_security_concern() -> None:
    t = tables()
    findings = find_triggers(
        msg(text="A breach of our agreement."), None, t, "en", "x.co.uk", TUESDAY_MORNING
    )
    assert findings.has("legal threat") and not findings.has("security concern")


def _topic_tables(*rows: tuple[str, str, str, str, str]) -> Tables:
    # The rows under test first; the test team's other roles stay, without keywords.
    rest = tuple((*row[:2], "", *row[3:]) for row in TOPICS[1:])
    return tables(Topics=(TOPICS[0], *rows, *rest))


# (situation, topic rows, subject, text, role expected, why fragment)
ROLE_RULES = [
    (
        "longest match wins over its parts",
        (
            ("Portal", "technical", "trade portal", "", ""),
            ("Trade", "sales", "trade, portal", "", ""),
        ),
        "Question",
        "The trade portal shows an error.",
        "technical",
        '"trade portal"',
    ),
    (
        "subject names the matter",
        (("Billing", "billing", "invoice", "", ""), ("Orders", "general", "order", "", "")),
        "Invoice copy",
        "Please resend it for my order.",
        "billing",
        '"invoice"',
    ),
    (
        "without subject weight the body decides",
        (
            ("Billing", "billing", "invoice", "", ""),
            ("Orders", "general", "order, delivery", "", ""),
        ),
        "Question",
        "An invoice for my order and its delivery.",
        "general",
        '"order"',
    ),
]


@pytest.mark.parametrize(
    ("situation", "rows", "subject", "text", "role", "why"),
    ROLE_RULES,
    ids=[r[0] for r in ROLE_RULES],
)
def test_role_rules(
    situation: str,
    rows: tuple[tuple[str, str, str, str, str], ...],
    subject: str,
    text: str,
    role: str,
    why: str,
) -> None:
    t = _topic_tables(*rows)
    m = msg(text=text, subject=subject)
    findings = find_triggers(m, None, t, "en", "x.co.uk", TUESDAY_MORNING)
    choice = choose_topic(findings, f"{subject} {text}", t, "en", subject)
    assert choice.role == role, choice.why
    assert why in choice.why, choice.why


def test_card_declined_in_spanish_is_billing() -> None:
    # The starter Billing topic carries card/payment words in the main EU languages.
    from automation.tables.starter import starter_tabs

    starter = {s.title: (s.header, *s.rows) for s in starter_tabs()}
    t = tables(Topics=starter["Topics"])
    scores = topic_scores("Tarjeta rechazada: el pago no pasa", t, "es")
    assert max(scores, key=lambda s: s[1])[0].role == "billing"
