"""Concept detectors: each concept fires on wording no phrase row lists, names
itself and its words in the Why, and stays quiet on a quote, an inherited
subject, a negated or self-directed use; a stated calm never raises priority."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automation.decide.concepts import find_concepts
from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.model import Priority
from tests.support.decide_builders import case_row, msg, tables, with_rows

CORE_ROW = ("What our customers can't work without", "pay run, booking system", "")
TABLES = tables(Settings=with_rows("Settings", CORE_ROW))

# (concept, message text, sender, priority, why fragment)
EXAMPLES = [
    (
        "operations stopped, polite, no listed phrase",
        "Sorry to bother you! The Hub shows a white page for all users and we cannot "
        "approve the pay run, staff expect their wages tomorrow. Whenever someone has a moment.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        'concept operations stopped: "white page" + "approve"',
    ),
    (
        "operations stopped on the owner's own activity",
        "Our booking system has stopped taking reservations tonight.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        "concept operations stopped",
    ),
    (
        "security: phishing impersonating us",
        "I got an email supposedly from your accounts team saying you've changed banks.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        "concept security concern",
    ),
    (
        "security: credential exposed",
        "One of our developers pushed our API key to a public repository yesterday.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        "concept security concern",
    ),
    (
        "security: another account's data",
        "The export contains another customer's details, addresses and all.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        "concept security concern",
    ),
    (
        "relationship threat from a key account",
        "This is the third month with the same error and the board is reviewing "
        "other providers before the contract is up.",
        "ops@bigco.com",
        Priority.CRITICAL,
        "major client complaint: concept relationship threat",
    ),
    (
        "contract dispute",
        "We dispute the shortfall invoice and will withhold the payment under clause 4.",
        "jo@example.co.uk",
        Priority.CRITICAL,
        "concept contract dispute",
    ),
    (
        "qualified prospect",
        "We run 14 clinics with about 140 staff and would like a quote for payroll.",
        "jo@example.co.uk",
        Priority.HIGH,
        "concept qualified prospect",
    ),
    (
        "billing discrepancy",
        "We were charged twice this month for the same plan.",
        "jo@example.co.uk",
        Priority.HIGH,
        "concept billing discrepancy",
    ),
    (
        "costly workaround",
        "The sync fails so we re-enter the sales by hand every morning.",
        "jo@example.co.uk",
        Priority.HIGH,
        "concept costly workaround",
    ),
    (
        "statutory deadline",
        "We received a data subject access request and must answer within 30 days.",
        "jo@example.co.uk",
        Priority.HIGH,
        "concept statutory deadline",
    ),
]


@pytest.mark.parametrize(("name", "text", "sender", "priority", "why"), EXAMPLES)
def test_concept_fires_and_names_itself(
    name: str, text: str, sender: str, priority: Priority, why: str
) -> None:
    decision = decide(msg(text=text, sender=sender), None, TABLES, TeamLoad(), _NOW)
    assert decision.priority is priority, decision.why
    assert why in decision.why


_NOW = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)

QUIET = [
    ("a halt with no core activity and nothing due", "The kettle has stopped whistling."),
    ("self-directed inability", "I can't decide which grinder to buy, no rush."),
    ("the machine leaks water, not data", "The espresso machine leaks water every morning."),
    ("we changed banks ourselves", "We changed our bank, please update the direct debit."),
    ("a negated dispute", "There is no dispute about the invoice, just a question."),
    ("a deadline weeks away", "Our audit is in March, could you send the letters sometime?"),
]


@pytest.mark.parametrize(("name", "text"), QUIET)
def test_concepts_stay_quiet(name: str, text: str) -> None:
    decision = decide(msg(text=text), None, TABLES, TeamLoad(), _NOW)
    assert decision.priority is Priority.LOW, decision.why


def test_quoted_history_and_inherited_subject_do_not_fire() -> None:
    quoted = msg(
        subject="Re: we cannot run payroll today",
        text="Thanks, all sorted now.",
        body="Thanks, all sorted now.\n\n> we cannot run payroll today, staff unpaid",
    )
    decision = decide(quoted, None, TABLES, TeamLoad(), _NOW)
    assert decision.priority is Priority.LOW, decision.why


def test_stated_calm_switches_off_word_urgency_but_not_a_halt() -> None:
    calm = decide(
        msg(text="No rush at all: could you send the report by tomorrow?"),
        None,
        TABLES,
        TeamLoad(),
        _NOW,
    )
    assert calm.priority is Priority.LOW, calm.why
    assert 'the sender says "No rush"' in calm.why
    halted = decide(
        msg(text="No rush, but nobody can log in today, we cannot take orders."),
        None,
        TABLES,
        TeamLoad(),
        _NOW,
    )
    assert halted.priority is Priority.CRITICAL, halted.why


def test_find_concepts_reports_words_for_the_why() -> None:
    found = find_concepts("We can't pay the staff today.", (), key_account=False)
    stopped = [c for c in found if c.signal == "operations stopped"]
    assert stopped and stopped[0].words == ("can't", "pay the staff", "today")


def test_a_critical_case_stays_critical_on_a_calm_reply_until_settled() -> None:
    case = case_row(auto="Critical", priority="Critical", role="general", routed_to="Ana")
    still = decide(msg(text="Any news? We are still waiting."), case, TABLES, TeamLoad(), _NOW)
    assert still.priority is Priority.CRITICAL, still.why
    done = decide(msg(text="All fixed now, thank you."), case, TABLES, TeamLoad(), _NOW)
    assert done.priority is Priority.LOW, done.why


WORDS = [
    "urgent",
    "today",
    "tomorrow",
    "asap",
    "deadline",
    "invoice",
    "api",
    "export",
    "disappointed",
    "please",
    "can't",
    "log in",
    "payroll",
    "staff",
    "stopped",
    "charged twice",
    "quote",
    "12 sites",
    "by hand",
    "every day",
    "thanks",
    "the",
    "we",
    "and",
]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=texts, where=st.sampled_from(["before", "after"]))
def test_adding_not_urgent_no_rush_never_raises_priority(text: str, where: str) -> None:
    calm = "Not urgent, no rush."
    added = f"{calm}\n\n{text}" if where == "before" else f"{text}\n\n{calm}"
    plain = decide(msg(text=text), None, TABLES, TeamLoad(), _NOW)
    hedged = decide(msg(text=added), None, TABLES, TeamLoad(), _NOW)
    assert hedged.priority <= plain.priority, (plain.why, hedged.why)


MORE = [
    (
        "the relationship in question, any sender",
        "I'm starting to wonder whether we're with the right firm.",
        Priority.HIGH,
        "concept relationship in question",
    ),
    (
        "frustration in words no list carries",
        "Honestly I'm losing patience with that approval screen.",
        Priority.HIGH,
        "concept frustration",
    ),
    (
        "time a fault costs, said outright",
        "We delete the duplicates before reconciling, which takes about an hour a day.",
        Priority.HIGH,
        "concept costly workaround",
    ),
    (
        "a deadline within days",
        "Could you send the payslips by Friday for the mortgage appointment?",
        Priority.HIGH,
        "concept deadline within days",
    ),
]


@pytest.mark.parametrize(("name", "text", "priority", "why"), MORE)
def test_more_concepts(name: str, text: str, priority: Priority, why: str) -> None:
    decision = decide(msg(text=text), None, TABLES, TeamLoad(), _NOW)
    assert decision.priority is priority, decision.why
    assert why in decision.why


# An owner's list written from memory, with words that have other senses.
OWNER = tables(
    Settings=with_rows("Settings", CORE_ROW),
    Triggers=with_rows(
        "Triggers",
        ("emotion", "leave", "", "phrase"),
        ("emotion", "!!!", "", "phrase"),
        ("security concern", "new bank details", "", "phrase"),
    ),
)

OTHER_SENSES = [
    (
        "maternity leave is time off",
        "Maeve starts maternity leave on 3 November, please set up her pay.",
        Priority.LOW,
        "time off, not leaving us",
    ),
    (
        "exclamation marks of delight",
        "Thank you so much, the new portal is brilliant!!!",
        Priority.LOW,
        "delight, not anger",
    ),
    (
        "the customer's own new bank details",
        "Please use our new bank details for the direct debit from next month.",
        Priority.LOW,
        "the customer's own change",
    ),
    (
        "new bank details from someone else stay a security concern",
        "Someone sent us new bank details supposedly from you, is that real?",
        Priority.CRITICAL,
        'security concern: "new bank details"',
    ),
    (
        "leaving us is still leaving",
        "We have decided to leave and move our payroll elsewhere!!!",
        Priority.HIGH,
        '"leave"',
    ),
]


@pytest.mark.parametrize(("name", "text", "priority", "why"), OTHER_SENSES)
def test_owner_phrases_in_another_sense(name: str, text: str, priority: Priority, why: str) -> None:
    decision = decide(msg(text=text), None, OWNER, TeamLoad(), _NOW)
    assert decision.priority is priority, decision.why
    assert why in decision.why
