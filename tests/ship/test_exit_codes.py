"""``check`` and ``poll --once`` give the same exit code for the same condition.

Each case is a real configuration on the embedded default (Maildir, workbook,
folder outbox) with one thing wrong, run through the real ``sheetdesk`` entry
point both ways.  Unreachable servers are loopback ports nobody listens on.
"""

from __future__ import annotations

import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

from automation import cli

BASE = """
[business]
name = "Acme"
support_address = "help@acme.example"
"""

IMAP = """
[inbox]
kind = "imap"
[inbox.imap]
host = "127.0.0.1"
port = {port}
security = "{security}"
allow_plaintext_loopback = {allowed}
username = "support"
password_env = "SD_TEST_IMAP_PASSWORD"
timeout_seconds = 3.0
"""

SMTP = """
[outbox]
kind = "smtp"
[outbox.smtp]
host = "127.0.0.1"
port = {port}
security = "plain"
allow_plaintext_loopback = true
timeout_seconds = 3.0
"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: connecting is refused


def _deliver(base: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "Hana Ito <hana@customer.example>"
    msg["To"] = "help@acme.example"
    msg["Subject"] = "Broken lamp"
    msg["Message-ID"] = "<exit-codes-1@customer.example>"
    msg.set_content("My lamp arrived broken.")
    for sub in ("tmp", "new", "cur"):
        (base / "mail" / sub).mkdir(parents=True, exist_ok=True)
    (base / "mail" / "new" / "1.exit").write_bytes(msg.as_bytes())


def _both(tmp_path: Path, extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, int, str]:
    path = tmp_path / "sheetdesk.toml"
    path.write_text(BASE + extra)
    cli.main(["init", "--config", str(path)])
    _deliver(tmp_path)
    check = cli.main(["check", "--config", str(path)])
    poll = cli.main(["poll", "--once", "--config", str(path)])
    captured = capsys.readouterr()
    return check, poll, captured.out + captured.err


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SD_TEST_IMAP_PASSWORD", "not-a-real-one")


def test_unreachable_imap_server_is_75_in_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imap = IMAP.format(port=_closed_port(), security="plain", allowed="true")
    check, poll, out = _both(tmp_path, imap, capsys)
    assert (check, poll) == (75, 75), out
    assert "PROBLEM  inbox (imap):" in out


def test_unreachable_smtp_server_is_75_in_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check, poll, out = _both(tmp_path, SMTP.format(port=_closed_port()), capsys)
    assert (check, poll) == (75, 75), out
    assert "PROBLEM  outbox (smtp):" in out


def test_plaintext_to_the_network_is_3_in_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imap = IMAP.format(port=_closed_port(), security="plain", allowed="false")
    check, poll, out = _both(tmp_path, imap, capsys)
    assert (check, poll) == (3, 3), out


def test_template_typo_is_2_in_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    owner = tmp_path / "mytemplates"
    owner.mkdir()
    (owner / "acknowledgement.j2").write_text(
        "{% block subject %}{{ case.tga }}{% endblock %}{% block text %}x{% endblock %}"
        "{% block html %}x{% endblock %}"
    )
    check, poll, out = _both(tmp_path, '[templates]\npath = "mytemplates"\n', capsys)
    assert (check, poll) == (2, 2), out


def test_unknown_key_is_2_in_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check, poll, out = _both(tmp_path, "[poll]\nintervall = 5\n", capsys)
    assert (check, poll) == (2, 2), out
    assert "poll.intervall: unknown key" in out


def test_a_fresh_install_checks_clean_before_the_first_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sheetdesk.toml"
    path.write_text(BASE)
    assert cli.main(["init", "--config", str(path)]) == 0
    assert cli.main(["check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "info     poller health: no cycle has run yet" in out
    assert "PROBLEM" not in out
