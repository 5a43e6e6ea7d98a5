"""The lifecycle over real parts: Google Sheets adapter on the stand-in (people edit cells
through its controls), a real SMTP server (aiosmtpd), a Maildir inbox; the clock is passed in.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from automation import config
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.sheets.store import SheetsStore
from automation.adapters.smtp_outbox import SmtpOutbox
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime, poll_cycle
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.secrets import Secret
from automation.state import FileStateDir
from tests.cycle.test_cycle import deliver, mail
from tests.lifecycle.test_lifecycle_cycle import RESPONSE, SETTINGS, TEAM, TEAM_HEADER
from tests.support.mailservers import SmtpServer
from tests.support.standin import SheetsStandIn

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London


def _runtime(base: Path, api: SheetsStandIn, sid: str, smtp: SmtpServer) -> Runtime:
    cfg = config.from_dict(
        {
            "business": {
                "name": "Acme",
                "support_address": "help@acme.example",
                "own_domains": ["acme.example"],
                "time_zone": "Europe/London",
            },
            "outbox": {
                "kind": "smtp",
                "smtp": {
                    "host": "127.0.0.1",
                    "port": smtp.port,
                    "security": "plain",
                    "allow_plaintext_loopback": True,
                },
            },
            "store": {"kind": "sheets", "sheets": {"spreadsheet": sid}},
            "poll": {"state_dir": "state"},
        },
        base_dir=str(base),
    )
    state = FileStateDir(base / "state")
    ledger = Ledger(state)
    return Runtime(
        config=cfg,
        inbox=MaildirInbox(cfg.inbox.maildir, base),
        outbox=SmtpOutbox(
            cfg.outbox.smtp,
            Secret(""),
            on_accepted=ledger.add_one,
            on_attempt=ledger.attempt,
            on_refused=ledger.refused,
        ),
        store=SheetsStore(cfg.store.sheets, session=api.session(), sleep=lambda s: None),
        templates=TemplateSet(None, sample_context(cfg)),
        decisions=DecisionSource(state),
        ledger=ledger,
        state=state,
    )


def _cell(api: SheetsStandIn, sid: str, case_id: str, column: str) -> tuple[int, int, str]:
    grid = api.grid(sid, "Cases")
    col = grid[0].index(column)
    for index, row in enumerate(grid[1:], start=1):
        if row and row[0] == case_id:
            return index, col, (row[col] if col < len(row) else "")
    raise AssertionError(case_id)


def _to_customer(smtp: SmtpServer) -> list[str]:
    return [
        str(m.message["Subject"]) for m in smtp.messages if "hana@customer.example" in m.rcpt_tos
    ]


def test_team_edits_in_the_sheet_send_each_email_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support", sheets=("Sheet1",))
    rt = _runtime(tmp_path, api, sid, smtp_server)
    rt.store.initialize([])
    api.seed(sid, "Team", [TEAM_HEADER, *TEAM])
    api.seed(sid, "Response times", RESPONSE)
    api.seed(sid, "Settings", SETTINGS)

    deliver(tmp_path, mail("Dimmer broken", "m1@customer.example"), "1.a")
    poll_cycle(rt, NOW)
    assert [s for s in _to_customer(smtp_server) if "We have your message" in s]

    # A person types a message to the customer, then sorts the sheet by Subject.
    row, col, _ = _cell(api, sid, "C-1000", "Message to customer")
    api.human.edit_cell(sid, "Cases", row, col, "We are sending a new dimmer today.")
    api.human.sort(sid, "Cases", api.grid(sid, "Cases")[0].index("Subject"), ascending=False)
    poll_cycle(rt, NOW + timedelta(minutes=20))
    updates = [s for s in _to_customer(smtp_server) if "Update on your case" in s]
    assert len(updates) == 1
    _, _, sent_at = _cell(api, sid, "C-1000", "Message sent")
    assert sent_at

    # The local state disappears; the next cycles send nothing again.
    shutil.rmtree(tmp_path / "state")
    rt = _runtime(tmp_path, api, sid, smtp_server)
    before = len(smtp_server.messages)
    poll_cycle(rt, NOW + timedelta(minutes=25))
    assert len(smtp_server.messages) == before

    # Resolved with a summary: the resolution email, once.
    row, col, _ = _cell(api, sid, "C-1000", "Resolution summary")
    api.human.edit_cell(sid, "Cases", row, col, "Replaced the dimmer; tested at home.")
    row, col, _ = _cell(api, sid, "C-1000", "Status")
    api.human.edit_cell(sid, "Cases", row, col, "Resolved")
    poll_cycle(rt, NOW + timedelta(hours=2))
    poll_cycle(rt, NOW + timedelta(hours=2, minutes=5))
    resolved = [s for s in _to_customer(smtp_server) if "Resolved" in s]
    assert len(resolved) == 1
    _, _, status = _cell(api, sid, "C-1000", "Status")
    assert status == "Resolved"  # the team's cell is never rewritten
