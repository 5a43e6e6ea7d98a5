"""Owners steer from the sheet: init builds the tabs, edits take effect next cycle,
a broken tab is reported at its cell while the last valid tables stay in use.

Runs the real poll cycle with the Google Sheets adapter on the stand-in (through
gspread's HTTP path), a Maildir inbox and a file outbox; the clock is passed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from automation import config
from automation.adapters.file_outbox import FileOutbox
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.sheets.store import SheetsStore
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime, poll_cycle
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.sheet.tab_specs import all_tab_specs
from automation.state import FileStateDir
from tests.cycle.test_cycle import deliver, mail
from tests.support.standin import SheetsStandIn

# A Tuesday, 10:00 in London: inside everyone's working hours below.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

TEAM = [
    [
        "Ada Park",
        "ada@acme.example",
        "billing, refunds",
        "2",
        "Europe/London",
        "Mon-Fri",
        "08:00",
        "17:00",
        "5",
        "Ben Ortiz",
        "en",
        "Yes",
    ],
    [
        "Ben Ortiz",
        "ben@acme.example",
        "general, billing",
        "1",
        "Europe/London",
        "Mon-Fri",
        "08:00",
        "17:00",
        "5",
        "Ada Park",
        "en, es",
        "Yes",
    ],
]


def _runtime(base: Path, api: SheetsStandIn, sid: str) -> Runtime:
    cfg = config.from_dict(
        {
            "store": {"kind": "sheets", "sheets": {"spreadsheet": sid}},
            "business": {
                "name": "Acme",
                "support_address": "help@acme.example",
                "time_zone": "Europe/London",
            },
            "poll": {"state_dir": "state"},
        },
        base_dir=str(base),
    )
    state = FileStateDir(base / "state")
    return Runtime(
        config=cfg,
        inbox=MaildirInbox(cfg.inbox.maildir, base),
        outbox=FileOutbox(cfg.outbox.files, base),
        store=SheetsStore(cfg.store.sheets, session=api.session(), sleep=lambda s: None),
        templates=TemplateSet(None, sample_context(cfg)),
        decisions=DecisionSource(state),
        ledger=Ledger(state),
        state=state,
    )


def _team_row(api: SheetsStandIn, sid: str, name: str) -> int:
    for index, row in enumerate(api.grid(sid, "Team")):
        if row and row[0] == name:
            return index
    raise AssertionError(f"{name} not on the Team tab")


def _case(api: SheetsStandIn, sid: str, case_id: str) -> dict[str, str]:
    grid = api.grid(sid, "Cases")
    header = grid[0]
    for row in grid[1:]:
        if row and row[0] == case_id:
            return dict(zip(header, row + [""] * (len(header) - len(row)), strict=True))
    raise AssertionError(f"{case_id} not in the Cases tab")


def test_init_then_owner_edits_steer_the_next_decision(tmp_path: Path) -> None:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support", sheets=("Sheet1",))
    rt = _runtime(tmp_path, api, sid)
    created = rt.store.initialize(all_tab_specs())
    assert {"Cases", "Team", "Topics", "Triggers", "Priorities", "Accounts"} <= set(created)
    assert api.grid(sid, "Team")[0][:3] == ["Name", "Email", "Roles"]

    # The owner types in the team; the starter "Owner" row stays, set inactive.
    header, owner = api.grid(sid, "Team")[:2]
    owner = owner + [""] * (len(header) - len(owner))
    owner[header.index("Active")] = "No"
    api.seed(sid, "Team", [header, owner, *TEAM])
    deliver(
        tmp_path,
        mail(
            "Invoice INV-7 is wrong",
            "a1@customer.example",
            body="Could you send invoice INV-7 again as a PDF?",
        ),
        "1.a",
    )
    poll_cycle(rt, NOW)
    first = _case(api, sid, "C-1000")
    assert first["Role"] == "billing" and first["Routed to"] == "Ada Park"
    assert "Ada Park" in first["Why"]

    # Ben would be next in the rotation, but the owner records his holiday in Coverage.
    coverage = api.grid(sid, "Coverage")
    api.seed(sid, "Coverage", [coverage[0], ["Ben Ortiz", "2026-11-30", "2026-12-11", "holiday"]])
    deliver(
        tmp_path,
        mail(
            "Second invoice is wrong too",
            "a2@other.example",
            sender="Lee <lee@other.example>",
            body="Could you send this invoice again as a PDF?",
        ),
        "2.b",
    )
    report = poll_cycle(rt, NOW + timedelta(minutes=5))
    assert not [p for p in report.problems if "!" in p], report.problems
    second = _case(api, sid, "C-1001")
    assert second["Routed to"] == "Ada Park"
    assert "Ben Ortiz" in second["Why"] and "away" in second["Why"].lower()

    # A typo in the Team tab: reported at its cell, the previous tables stay in use.
    row = _team_row(api, sid, "Ada Park")
    api.human.edit_cell(sid, "Team", row, 4, "Europe/Londn")
    deliver(
        tmp_path,
        mail(
            "Third invoice question",
            "a3@third.example",
            sender="Kim <kim@third.example>",
            body="Another invoice copy, please.",
        ),
        "3.c",
    )
    report = poll_cycle(rt, NOW + timedelta(minutes=10))
    bad = [p for p in report.problems if p.startswith("Team!E")]
    assert bad and "Europe/Londn" in bad[0], report.problems
    third = _case(api, sid, "C-1002")
    assert third["Routed to"] == "Ada Park"  # decided with the last valid tables (Ben away)

    # A fresh process (empty memory, same state dir) still keeps the last valid tables.
    fresh = _runtime(tmp_path, api, sid)
    deliver(
        tmp_path,
        mail(
            "Fourth invoice question",
            "a4@fourth.example",
            sender="Sam <sam@fourth.example>",
            body="Yet another invoice copy, please.",
        ),
        "4.d",
    )
    report = poll_cycle(fresh, NOW + timedelta(minutes=15))
    assert any(p.startswith("Team!E") for p in report.problems)
    assert _case(api, sid, "C-1003")["Routed to"] == "Ada Park"
