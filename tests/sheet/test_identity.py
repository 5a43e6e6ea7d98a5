"""Case tags, threading index and the Sent log format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from automation.errors import ConfigError
from automation.model import Address, CaseRow, Message, frozen_map
from automation.sheet import sent_log as sentlog
from automation.sheet.case_ids import CaseTagger
from automation.sheet.threads import ThreadIndex


def _msg(subject: str = "hi", mid: str = "m1@x", refs: tuple[str, ...] = ()) -> Message:
    return Message(
        key="k",
        message_id=mid,
        sender=Address("A", "a@x.org"),
        reply_to=(),
        to=(),
        cc=(),
        subject=subject,
        date=None,
        in_reply_to=refs[-1:],
        references=refs,
        headers=(),
        body_text="",
        new_text="",
    )


@pytest.mark.parametrize(
    ("fmt", "subject", "number"),
    [
        ("[Case #{number}]", "Re: [Case #1042] broken lamp", 1042),
        ("[Case #{number}]", "RE: [case #1042]", 1042),
        ("[BB-{number:05d}]", "AW: [BB-10412] Mahlwerk", 10412),
        ("[Case #{number}]", "Case 1042 without the tag", None),
    ],
)
def test_tag_is_found_in_subjects(fmt: str, subject: str, number: int | None) -> None:
    tagger = CaseTagger(fmt, "C-", 1000)
    assert tagger.find_number(subject) == number


def test_tag_format_must_hold_number_once() -> None:
    with pytest.raises(ConfigError):
        CaseTagger("[Case]", "C-", 1)


def test_next_number_comes_from_the_sheet() -> None:
    tagger = CaseTagger("[Case #{number}]", "C-", 1000)
    assert tagger.next_number([]) == 1000
    assert tagger.next_number(["C-1000", "C-1007", "X-5", "C-abc"]) == 1008


def test_thread_index_matches_tag_then_references() -> None:
    tagger = CaseTagger("[Case #{number}]", "C-", 1000)
    row = CaseRow("C-1001", frozen_map({"Thread IDs": "<cust-1@x> <C-1001.ack.ab@help.example>"}))
    index = ThreadIndex.build(tagger, [row])
    assert index.match(_msg("Re: [Case #1001] hello"))[0] == "C-1001"
    assert index.match(_msg("Re: hello", refs=("C-1001.ack.ab@help.example",)))[0] == "C-1001"
    assert index.match(_msg("Re: hello", refs=("unknown@x",)))[0] is None
    assert index.seen(_msg(mid="CUST-1@x")) == "C-1001"  # Message-IDs compare case-insensitively


def test_sent_log_round_trip_and_deterministic_ids() -> None:
    a = sentlog.outgoing_id("C-1", "ack", "cust@x", "help.example")
    assert a == sentlog.outgoing_id("C-1", "ack", "cust@x", "help.example")
    assert a != sentlog.outgoing_id("C-2", "ack", "cust@x", "help.example")
    at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    entries = [sentlog.Entry("ack", a, sentlog.PENDING, at)]
    cell = sentlog.render(entries)
    assert sentlog.parse(cell) == entries
    moved = sentlog.with_state(entries, a, sentlog.SENT, at)
    assert sentlog.parse(sentlog.render(moved))[0].state == "sent"
    assert sentlog.parse("a person typed here\n" + cell) == entries
