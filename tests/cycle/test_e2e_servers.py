"""End to end against real servers: Dovecot, aiosmtpd and the Sheets stand-in on loopback.

The real ``sheetdesk`` command runs as a separate process (``init``, then
``poll --once``), exactly as a user would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.support import mailservers
from tests.support.standin import SheetsStandIn

CONFIG = """
[inbox]
kind = "imap"
[inbox.imap]
host = "127.0.0.1"
port = {imap_port}
security = "plain"
allow_plaintext_loopback = true
username = "{user}"
password_env = "SD_E2E_IMAP_PASSWORD"
processed_folder = "sheetdesk/processed"

[outbox]
kind = "smtp"
[outbox.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
allow_plaintext_loopback = true

[store]
kind = "sheets"
[store.sheets]
spreadsheet = "{sheet}"
api_root = "{api_root}"

[business]
name = "Acme Lamps"
support_address = "help@acme.example"
own_domains = ["acme.example"]

[poll]
state_dir = "state"
"""


@pytest.fixture
def standin_url() -> Iterator[tuple[SheetsStandIn, str, str]]:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support queue", sheets=("Sheet1",))  # a new Google sheet
    with api.serve() as url:
        yield api, sid, url


def _mail(subject: str, mid: str, **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Noor Haddad <noor@customer.example>"
    msg["To"] = "help@acme.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = f"<{mid}>"
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content("The dimmer on my lamp stopped working after two days.")
    return msg.as_bytes()


def _sheetdesk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SD_E2E_IMAP_PASSWORD=mailservers.CATCH_ALL_PASSWORD)
    return subprocess.run(
        [sys.executable, "-m", "automation.cli", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _cases(api: SheetsStandIn, sid: str) -> list[dict[str, str]]:
    grid = api.grid(sid, "Cases")
    header = grid[0]
    return [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=True))
        for row in grid[1:]
        if any(row)
    ]


def test_mail_in_case_row_out_acknowledgement_back(
    tmp_path: Path,
    mail_user: mailservers.MailUser,
    smtp_server: mailservers.SmtpServer,
    standin_url: tuple[SheetsStandIn, str, str],
) -> None:
    api, sid, url = standin_url
    config = tmp_path / "sheetdesk.toml"
    config.write_text(
        CONFIG.format(
            imap_port=mail_user.server.port,
            user=mail_user.name,
            smtp_port=smtp_server.port,
            sheet=sid,
            api_root=url,
        )
    )
    init = _sheetdesk(config, "init")
    assert init.returncode == 0, init.stderr
    assert api.grid(sid, "Cases")[0][0] == "Case ID"

    mail_user.append([_mail("Dimmer broken", "first@customer.example")])
    run = _sheetdesk(config, "poll", "--once")
    assert run.returncode == 0, run.stdout + run.stderr
    [case] = _cases(api, sid)
    assert case["Subject"] == "Dimmer broken" and case["Customer email"] == "noor@customer.example"
    [ack] = smtp_server.messages
    assert ack.rcpt_tos == ("noor@customer.example",)
    assert f"[Case #{case['Case ID'].split('-')[1]}]" in ack.message["Subject"]
    assert ack.message["In-Reply-To"] == "<first@customer.example>"
    assert ack.message["Auto-Submitted"] == "auto-replied"
    assert ack.message["Message-ID"].strip("<>") in case["Thread IDs"]
    assert mail_user.count("INBOX") == 0 and mail_user.count("sheetdesk/processed") == 1

    # The customer answers our acknowledgement; an out-of-office arrives too.
    mail_user.append(
        [
            _mail(
                "Re: " + ack.message["Subject"],
                "second@customer.example",
                In_Reply_To=ack.message["Message-ID"],
                References=ack.message["Message-ID"],
            ),
            _mail(
                "Automatic reply: Dimmer broken",
                "ooo@customer.example",
                Auto_Submitted="auto-replied",
            ),
        ]
    )
    again = _sheetdesk(config, "poll", "--once")
    assert again.returncode == 0, again.stdout + again.stderr
    [case] = _cases(api, sid)
    assert case["Messages"] == "2"
    assert len(smtp_server.messages) == 1  # no acknowledgement for a reply or an auto-reply
    noncases = api.grid(sid, "Non-cases")
    assert [row[1] for row in noncases[1:]] == ["auto-reply"]
    assert mail_user.count("INBOX") == 0 and mail_user.count("sheetdesk/processed") == 3
