"""The weekly review is one more email through the same path as every other:
a template, ``compose``, ``deliver`` and the ledger, exactly once per ISO week."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from automation import config
from automation.adapters.file_outbox import FileOutbox
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.memory_state import MemoryStateDir
from automation.adapters.memory_store import MemoryStore
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime, poll_cycle
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from tests.cycle.test_cycle import deliver, mail

MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # ISO week 2026-W50, after 09:00


def runtime(base: Path, store: MemoryStore, **lifecycle: Any) -> Runtime:
    cfg = config.from_dict(
        {
            "inbox": {"kind": "maildir", "maildir": {"path": "mail"}},
            "outbox": {"kind": "files", "files": {"path": "outbox"}},
            "business": {"name": "Acme", "support_address": "help@acme.example"},
            "lifecycle": {"review_to": ["owner@acme.example"], **lifecycle},
        },
        base_dir=str(base),
    )
    state = MemoryStateDir()
    return Runtime(
        config=cfg,
        inbox=MaildirInbox(cfg.inbox.maildir, base),
        outbox=FileOutbox(cfg.outbox.files, base),
        store=store,
        templates=TemplateSet(None, sample_context(cfg)),
        decisions=DecisionSource(),
        ledger=Ledger(state),
        state=state,
    )


def reviews(base: Path) -> list[EmailMessage]:
    found = []
    for path in sorted((base / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        if "support review" in str(msg["Subject"]):
            found.append(msg)
    return found


def metrics_record(store: MemoryStore) -> str:
    grid = store.load().tabs["Metrics"]
    return next(row[1] for row in grid if row and row[0] == "Weekly review")


def test_the_review_is_a_templated_email_sent_once_a_week(tmp_path: Path) -> None:
    store = MemoryStore()
    rt = runtime(tmp_path, store)
    deliver(tmp_path, mail("Lamp broken", "m1@customer.example"), "1")
    first = poll_cycle(rt, MONDAY)
    assert first.counts["review sent"] == 1, first.counts
    assert first.counts["email sent"] == 1  # the customer's acknowledgement, same connection
    [msg] = reviews(tmp_path)
    assert msg["Subject"] == "Acme: support review 2026-W50"
    assert msg["To"] == "owner@acme.example"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Sheetdesk-Loop"]
    mid = str(msg["Message-ID"]).strip("<>")
    assert mid.startswith("review.weekly.")
    assert mid in rt.ledger.ids()
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    assert "Weekly review for Acme, 2026-W50" in text.get_content()
    assert "Cases: 1" in text.get_content()
    assert "<td" in html.get_content()
    [chart] = list(msg.iter_attachments())
    assert chart.get_content_type() == "image/png"
    assert chart.get_filename() == "review-2026-W50.png"
    assert chart.get_content().startswith(b"\x89PNG")
    assert metrics_record(store).startswith("2026-W50 pending")

    # The next cycles of the same week: recorded as sent, never sent again.
    again = poll_cycle(rt, MONDAY + timedelta(hours=1))
    assert again.counts["review already out"] == 1, again.counts
    assert metrics_record(store).startswith("2026-W50 sent")
    later = poll_cycle(rt, MONDAY + timedelta(hours=2))
    assert not later.counts["review sent"] and not later.counts["review already out"]
    assert len(reviews(tmp_path)) == 1

    # A new process that lost its ledger still finds it in the outbox.
    fresh = runtime(tmp_path, store)
    poll_cycle(fresh, MONDAY + timedelta(hours=3))
    assert len(reviews(tmp_path)) == 1


def test_an_unusable_review_address_is_reported_and_the_rest_still_goes(tmp_path: Path) -> None:
    store = MemoryStore()
    rt = runtime(tmp_path, store, review_to=["owner@acme.example\r\nBcc: x@evil.example"])
    deliver(tmp_path, mail("Lamp broken", "m1@customer.example"), "1")
    report = poll_cycle(rt, MONDAY)
    assert report.counts["email sent"] == 1, report.counts  # the acknowledgement went
    assert not reviews(tmp_path)
    assert any("weekly review not built" in p for p in report.problems), report.problems
    for path in (tmp_path / "outbox").glob("*.eml"):
        assert b"evil.example" not in path.read_bytes()
