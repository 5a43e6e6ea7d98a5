"""Issue 11, findings 2 and 12: hostile header bytes through the real cycle.

A year-9999 Date, undecodable bytes in the From display name, control
characters and invalid UTF-8 in the Subject and Message-ID: each becomes a
case (on the workbook store, which is where the poison used to halt intake),
and the good mail behind it flows in the same cycle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.adapters.workbook_store import WorkbookStore
from automation.cycle.poll import poll_cycle
from automation.mail.reader import parse_message
from tests.cycle.test_cycle import NOW, deliver, mail, make_runtime


def raw(
    sender: bytes, subject: bytes, mid: bytes, date: bytes = b"Mon, 30 Nov 2026 09:00:00 +0000"
) -> bytes:
    return (
        b"From: "
        + sender
        + b"\r\nTo: help@acme.example\r\nSubject: "
        + subject
        + b"\r\nDate: "
        + date
        + b"\r\nMessage-ID: <"
        + mid
        + b">\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nMy lamp is broken\x00\x01\x1b.\r\n"
    )


@pytest.mark.parametrize(
    ("sender", "address"),
    [
        (b"\xc3\x28\xa0\xa1 (\xff) <x@y.example>", "x@y.example"),
        (b'\xff"a <x@y.example>', "x@y.example"),
        (b"Jos\xe9, M\xfcller <jm@y.example>", "jm@y.example"),
        (b"=?utf-8?b?/w==?= <enc@y.example>", "enc@y.example"),
    ],
)
def test_undecodable_display_name_keeps_the_address(sender: bytes, address: str) -> None:
    message = parse_message(raw(sender, b"hi", b"a@b.example"), "k")
    assert message.sender is not None and message.sender.email == address


def test_year_9999_date_is_kept_out_not_an_overflow() -> None:
    message = parse_message(
        raw(b"a@b.example", b"hi", b"d@b.example", b"Fri, 31 Dec 9999 23:59:59 -1200"), "k"
    )
    assert message.date is None and any("out of range" in d for d in message.defects)


def test_poison_headers_become_cases_on_the_workbook_and_mail_behind_flows(
    tmp_path: Path,
) -> None:
    store = WorkbookStore(tmp_path / "sheetdesk.xlsx")
    store.initialize([])
    rt = make_runtime(tmp_path, store)  # type: ignore[arg-type]
    hostile = [
        raw(b"Eve <eve@x.example>", b"Refund\x00 \x01\x1b[31m\x0c now", b"ctl\x01@x.example"),
        raw(b'\xff"a <bad@y.example>', b"bytes \xff\xfe", b"bad\xff\xfe@y.example"),
        raw(
            b"late@z.example",
            b"from the future",
            b"y9999@z.example",
            b"Fri, 31 Dec 9999 23:59:59 -1200",
        ),
    ]
    for n, message in enumerate(hostile):
        deliver(tmp_path, message, f"{n}.hostile")
    deliver(tmp_path, mail("Good mail behind", "good@customer.example"), "9.good")
    report = poll_cycle(rt, NOW)
    assert report.completed and report.exit_code == 0, report.problems
    cases = store.load().cases
    assert len(cases) == 4, [c.get("Subject") for c in cases]
    customers = " ".join(c.get("Customer email") for c in cases)
    assert "bad@y.example" in customers and "late@z.example" in customers
    # Delivered again (a crash before the move): the same ids match, no second case.
    for n, message in enumerate(hostile):
        deliver(tmp_path, message, f"{n}.again")
    poll_cycle(rt, NOW)
    assert len(store.load().cases) == 4
