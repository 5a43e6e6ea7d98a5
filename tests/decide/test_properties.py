"""Property tests: caps and absences are never violated, Critical stays
Critical, and the core is deterministic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from automation.decide.core import decide
from automation.decide.hours import is_away
from automation.decide.load import TeamLoad
from automation.model import Priority
from tests.support.decide_builders import TEAM_ROWS, msg, tables

NAMES = [row[0] for row in TEAM_ROWS]
WORDS = [
    "invoice",
    "refund",
    "login",
    "api",
    "delivery",
    "hello",
    "urgent",
    "please",
    "disappointed",
    "contract",
    "WHY",
    "IS",
    "THIS",
    "BROKEN",
    "not",
    "thanks",
    "hacked",
    "manager",
    "today",
    "parcel",
    "error",
    "website",
]
SENDERS = ["a@x.co.uk", "b@y.com.au", "c@z.us", "d@bigco.com", "e@plain.com", "f@q.de"]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map(" ".join)
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(UTC)
)
loads = st.dictionaries(st.sampled_from(NAMES).map(str.casefold), st.integers(0, 6))
away_sets = st.sets(st.sampled_from(NAMES), max_size=4)


def _tables_with_away(away: set[str], day: date):  # type: ignore[no-untyped-def]
    rows = tuple((name, day.isoformat(), day.isoformat(), "") for name in sorted(away))
    return tables(Coverage=(("Person", "From", "To", "Note"), *rows))


@settings(max_examples=150, deadline=None)
@given(text=texts, sender=st.sampled_from(SENDERS), now=moments, open_=loads, away=away_sets)
def test_nobody_past_cap_and_nobody_away(
    text: str, sender: str, now: datetime, open_: dict[str, int], away: set[str]
) -> None:
    t = _tables_with_away(away, now.date())
    team_load = TeamLoad(open_)
    decision = decide(msg(text=text, sender=sender, date=now), None, t, team_load, now)
    if decision.assignee is None:
        assert decision.queued
        return
    person = t.member(decision.assignee)
    assert person is not None
    assert team_load.open_for(person.name) < person.max_open
    assert not is_away(person, t, now)
    assert person.name not in away or now.astimezone(person.time_zone).date() != now.date()


CRITICAL_PHRASES = [
    "Your website is down.",
    "I received a phishing email from you.",
    "Our lawyer will contact you.",
]


@settings(max_examples=100, deadline=None)
@given(
    text=texts,
    critical=st.sampled_from(CRITICAL_PHRASES),
    now=moments,
    sender=st.sampled_from(SENDERS),
)
def test_critical_never_low(text: str, critical: str, now: datetime, sender: str) -> None:
    t = tables()
    decision = decide(
        msg(text=f"{text} {critical}", sender=sender, date=now), None, t, TeamLoad(), now
    )
    assert decision.priority is Priority.CRITICAL, decision.why


@settings(max_examples=100, deadline=None)
@given(text=texts, now=moments, open_=loads, sender=st.sampled_from(SENDERS))
def test_same_inputs_same_decision(
    text: str, now: datetime, open_: dict[str, int], sender: str
) -> None:
    t = tables()
    m = msg(text=text, sender=sender, date=now - timedelta(minutes=5))
    assert decide(m, None, t, TeamLoad(open_), now) == decide(m, None, t, TeamLoad(open_), now)
