"""The case lifecycle through the real poll cycle: the team edits cells, customers hear.

Embedded adapters (Maildir, .eml files, MemoryStore with its public ``tabs``);
the clock is passed in; nothing sleeps.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from automation import config
from automation.adapters.file_outbox import FileOutbox
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.memory_store import MemoryStore
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime, poll_cycle
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.state import FileStateDir
from tests.cycle.test_cycle import deliver, mail

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London

TEAM_HEADER = [
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
]
TEAM = [
    [
        "Ana Ruiz",
        "ana@acme.example",
        "general",
        "1",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "5",
        "Ben Ortiz",
        "en",
        "Yes",
    ],
    [
        "Ben Ortiz",
        "ben@acme.example",
        "general",
        "1",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "1",
        "Ana Ruiz",
        "en",
        "Yes",
    ],
    [
        "Cleo Diaz",
        "cleo@acme.example",
        "general",
        "2",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "0",
        "",
        "en",
        "Yes",
    ],
    [
        "Dana Kim",
        "dana@acme.example",
        "general",
        "3",
        "Europe/London",
        "Mon-Fri",
        "09:00",
        "17:00",
        "0",
        "",
        "en",
        "Yes",
    ],
]
RESPONSE = [
    ["Priority", "First response within", "Resolve within", "Clock", "Tell"],
    ["Low", "8h", "40h", "business hours", "Dana Kim"],
    ["High", "4h", "16h", "business hours", "Dana Kim"],
    ["Critical", "1h", "8h", "around the clock", "Dana Kim"],
]
SETTINGS = [
    ["Setting", "Value", "What it means"],
    ["Business time zone", "Europe/London", ""],
    ["Business days", "Mon-Fri", ""],
    ["Business hours start", "09:00", ""],
    ["Business hours end", "17:00", ""],
]


def team_store() -> MemoryStore:
    store = MemoryStore()
    store.tabs["Team"] = [TEAM_HEADER, *[list(r) for r in TEAM]]
    store.tabs["Response times"] = [list(r) for r in RESPONSE]
    store.tabs["Settings"] = [list(r) for r in SETTINGS]
    return store


def runtime(base: Path, store: MemoryStore, **life: object) -> Runtime:
    cfg = config.from_dict(
        {
            "business": {
                "name": "Acme",
                "support_address": "help@acme.example",
                "own_domains": ["acme.example"],
                "time_zone": "Europe/London",
                "sheet_url": "https://sheets.example/acme",
            },
            "poll": {"state_dir": "state"},
            "lifecycle": {"close_after_days": 5, **life},
        },
        base_dir=str(base),
    )
    state = FileStateDir(base / "state")
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


def outbox(base: Path) -> list[EmailMessage]:
    out = []
    for path in sorted((base / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        out.append(msg)
    return out


def addressed(msg: EmailMessage, address: str) -> bool:
    return address in {a.addr_spec for a in msg["To"].addresses}


def to(base: Path, address: str) -> list[str]:
    """Subjects of the emails sent to ``address``, in Message-ID order."""
    return [str(m["Subject"]) for m in outbox(base) if addressed(m, address)]


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def edit(store: MemoryStore, case_id: str, column: str, value: str) -> None:
    """A person types ``value`` into ``column`` of the case's row."""
    grid = store.tabs["Cases"]
    header = grid[0]
    for row in grid[1:]:
        if row[header.index(columns.CASE_ID)] == case_id:
            row[header.index(column)] = value
            return
    raise AssertionError(case_id)


def cell(store: MemoryStore, case_id: str, column: str) -> str:
    case = store.case(case_id)
    assert case is not None
    return case.get(column)


class Cycles:
    """Run cycles and check the one-read, two-writes budget each time."""

    def __init__(self, base: Path, store: MemoryStore, **life: object) -> None:
        self.base, self.store, self.life = base, store, life
        self.rt = runtime(base, store, **life)

    def run(self, now: datetime) -> dict[str, int]:
        loads, applies = self.store.loads, self.store.applies
        report = poll_cycle(self.rt, now)
        assert self.store.loads - loads == 1 and self.store.applies - applies <= 2
        assert report.completed, report.problems
        return dict(report.counts)

    def restart(self, lose_state: bool = False) -> None:
        if lose_state:
            shutil.rmtree(self.base / "state", ignore_errors=True)
        self.rt = runtime(self.base, self.store, **self.life)


CUSTOMER = "hana@customer.example"


def open_case(tmp_path: Path, **life: object) -> tuple[Cycles, MemoryStore]:
    store = team_store()
    cycles = Cycles(tmp_path, store, **life)
    deliver(tmp_path, mail("Lamp flickers", "m1@customer.example"), "1.m1")
    cycles.run(NOW)
    return cycles, store


def test_new_case_notifies_assignee_backup_and_manager_with_context(tmp_path: Path) -> None:
    _, store = open_case(tmp_path)
    assignee = cell(store, "C-1000", "Assignee")
    assert assignee in ("Ana Ruiz", "Ben Ortiz")
    backup = "Ben Ortiz" if assignee == "Ana Ruiz" else "Ana Ruiz"
    first = assignee.split()[0].lower()
    [notice] = [m for m in outbox(tmp_path) if addressed(m, f"{first}@acme.example")]
    body = text_of(notice)
    assert "Assigned to you" in str(notice["Subject"]) and "[Case #1000]" in notice["Subject"]
    for fact in (
        "hana@customer.example",
        "Low",
        "My lamp arrived broken.",
        "https://sheets.example/acme",
        cell(store, "C-1000", "First response due"),
    ):
        assert fact in body
    assert notice["In-Reply-To"] is None  # internal mail stays out of the customer's thread
    assert to(tmp_path, f"{backup.split()[0].lower()}@acme.example")  # the backup
    assert any("FYI Low" in s for s in to(tmp_path, "dana@acme.example"))  # Response times: Tell
    assert len(to(tmp_path, CUSTOMER)) == 1  # the acknowledgement only


def test_team_edits_drive_the_customer_emails_each_exactly_once(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    edit(store, "C-1000", columns.MESSAGE_TO_CUSTOMER, "We have ordered a new driver for you.")
    edit(store, "C-1000", columns.NOTES, "SECRET-NOTE: customer is on our watch list")
    counts = cycles.run(NOW + timedelta(minutes=5))
    assert counts["progress update"] == 1
    assert cell(store, "C-1000", "Message sent").startswith("sent ")
    cycles.run(NOW + timedelta(minutes=10))  # nothing new: nothing sent
    update = [m for m in outbox(tmp_path) if "Update on your case" in str(m["Subject"])]
    assert len(update) == 1
    assert "We have ordered a new driver" in text_of(update[0])
    assert update[0]["In-Reply-To"] == "<m1@customer.example>"
    assert update[0]["Auto-Submitted"] is None  # a person wrote it

    edit(store, "C-1000", columns.ASSIGNEE, "Cleo Diaz")
    cycles.run(NOW + timedelta(minutes=15))
    [handoff] = [m for m in outbox(tmp_path) if "now looking after" in str(m["Subject"])]
    assert "Cleo Diaz" in text_of(handoff) and "no need to explain" in text_of(handoff)
    assert any("Assigned to you" in s for s in to(tmp_path, "cleo@acme.example"))

    edit(store, "C-1000", columns.STATUS, "Resolved")
    cycles.run(NOW + timedelta(minutes=20))
    assert "summary is empty" in cell(store, "C-1000", "Case state")  # held, said so
    edit(store, "C-1000", columns.RESOLUTION, "Replaced the dimmer module.")
    cycles.run(NOW + timedelta(minutes=25))
    [resolved] = [m for m in outbox(tmp_path) if "Resolved:" in str(m["Subject"])]
    assert "Replaced the dimmer module." in text_of(resolved)
    assert cell(store, "C-1000", "Case state").startswith("Resolved")

    customer_mail = [m for m in outbox(tmp_path) if addressed(m, CUSTOMER)]
    assert all("SECRET-NOTE" not in m.as_string() for m in customer_mail)
    assert len({m["Message-ID"] for m in outbox(tmp_path)}) == len(outbox(tmp_path))

    # Nothing is sent again: not after a restart, not after losing the local state.
    before = len(outbox(tmp_path))
    cycles.restart(lose_state=True)
    cycles.run(NOW + timedelta(minutes=30))
    assert len(outbox(tmp_path)) == before


def test_crash_before_the_record_never_resends_even_without_local_state(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    edit(store, "C-1000", columns.MESSAGE_TO_CUSTOMER, "A courier collects it tomorrow.")
    grid = store.tabs["Cases"]
    saved = {c: grid[1][grid[0].index(c)] for c in ("Sent log", "Seen", "Thread IDs")}
    cycles.run(NOW + timedelta(minutes=5))
    # The email went out, then the second write was lost: rewind the poller's cells.
    for column, value in saved.items():
        grid[1][grid[0].index(column)] = value
    cycles.restart(lose_state=True)
    counts = cycles.run(NOW + timedelta(minutes=6))
    assert counts.get("email already out") == 1 and counts.get("email sent", 0) == 0
    assert len([m for m in outbox(tmp_path) if "Update on" in str(m["Subject"])]) == 1
    [entry] = [e for e in sentlog.parse(cell(store, "C-1000", "Sent log")) if e.event == "update"]
    assert entry.state == "sent"


def test_waiting_pauses_and_a_reply_resumes_then_reply_reopens(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    due_before = cell(store, "C-1000", "Resolution due")
    edit(store, "C-1000", columns.STATUS, "Waiting on customer")
    cycles.run(NOW + timedelta(hours=1))
    assert "clock paused" in cell(store, "C-1000", "Case state")
    cycles.run(NOW + timedelta(hours=3))
    assert cell(store, "C-1000", "Resolution due").endswith("(paused)")
    [ack] = [m for m in outbox(tmp_path) if "We have your message" in str(m["Subject"])]
    deliver(
        tmp_path,
        mail("Re: " + str(ack["Subject"]), "m2@customer.example", In_Reply_To=ack["Message-ID"]),
        "2.m2",
    )
    counts = cycles.run(NOW + timedelta(hours=3))
    assert counts["clock resumed"] == 1
    assert "running again" in cell(store, "C-1000", "Case state")
    # About two business hours were paused, so every due time moved that much later.
    due_after = cell(store, "C-1000", "Resolution due")
    assert due_after > due_before

    edit(store, "C-1000", columns.STATUS, "Resolved")
    edit(store, "C-1000", columns.RESOLUTION, "Sent a replacement.")
    cycles.run(NOW + timedelta(hours=4))
    deliver(tmp_path, mail("Re: [Case #1000] still broken", "m3@customer.example"), "3.m3")
    counts = cycles.run(NOW + timedelta(hours=5))
    assert counts["reopened"] >= 1
    assert "REOPENED" in cell(store, "C-1000", "Case state")


def test_no_reply_closes_after_n_days_with_one_closing_email(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    edit(store, "C-1000", columns.STATUS, "Resolved")
    edit(store, "C-1000", columns.RESOLUTION, "Firmware updated.")
    cycles.run(NOW + timedelta(hours=1))
    cycles.run(NOW + timedelta(days=5) - timedelta(minutes=1))
    assert not [s for s in to(tmp_path, CUSTOMER) if "Closing" in s]
    cycles.run(NOW + timedelta(days=5, hours=1))
    cycles.restart(lose_state=True)
    cycles.run(NOW + timedelta(days=6))
    assert len([s for s in to(tmp_path, CUSTOMER) if "Closing" in s]) == 1
    assert "by sheetdesk: no reply 5 days" in cell(store, "C-1000", "Case state")
    assert cell(store, "C-1000", "Status") == "Resolved"  # the team's cell is untouched


def test_breaches_escalate_up_the_tiers_and_managers_hear(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    assert cell(store, "C-1000", "Assignee") == "Ana Ruiz"  # round robin, tier 1
    edit(store, "C-1000", columns.PRIORITY, "High")  # 4h first reply, 16h resolution
    cycles.run(NOW + timedelta(minutes=1))
    assert cell(store, "C-1000", "First response due") == "2026-12-01 14:00+00:00"
    assert cell(store, "C-1000", "Resolution due") == "2026-12-03 10:00+00:00"

    def warned(who: str) -> int:
        return sum("First reply due" in s for s in to(tmp_path, who))

    cycles.run(datetime(2026, 12, 1, 12, 59, tzinfo=UTC))
    assert warned("ana@acme.example") == 0
    cycles.run(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))  # 75 % of 4 h used
    assert warned("ana@acme.example") == 1 and warned("ben@acme.example") == 1  # + backup
    cycles.run(datetime(2026, 12, 1, 13, 59, tzinfo=UTC))
    assert cell(store, "C-1000", "Escalation") == ""
    cycles.run(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # first response missed
    assert "first response" in cell(store, "C-1000", "Escalation")
    assert "Cleo Diaz (tier 2" in cell(store, "C-1000", "Escalation")
    assert any("Escalated, first reply missed" in s for s in to(tmp_path, "cleo@acme.example"))
    # and the manager:
    assert any("Escalated, first reply missed" in s for s in to(tmp_path, "dana@acme.example"))
    cycles.run(datetime(2026, 12, 3, 9, 59, tzinfo=UTC))
    assert "Dana Kim" not in cell(store, "C-1000", "Escalation")
    cycles.run(datetime(2026, 12, 3, 10, 0, tzinfo=UTC))  # resolution missed: next tier up
    assert "Dana Kim (tier 3" in cell(store, "C-1000", "Escalation").splitlines()[-1]
    assert cell(store, "C-1000", "Case state") == "Open; escalated to Dana Kim"
    cycles.restart(lose_state=True)
    before = len(outbox(tmp_path))
    cycles.run(datetime(2026, 12, 3, 11, 0, tzinfo=UTC))
    assert len(outbox(tmp_path)) == before  # each warning and escalation exactly once
