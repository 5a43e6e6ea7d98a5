"""``--log-format json`` and ``-q``: the real command, its stderr read back line by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from automation.service import logfmt
from automation.sheet import sent_log as sentlog

CONFIG = """
[business]
name = "Acme"
support_address = "help@acme.example"
"""


def _sheetdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "automation.cli", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _setup(tmp_path: Path) -> None:
    (tmp_path / "sheetdesk.toml").write_text(CONFIG)
    assert _sheetdesk("init", cwd=tmp_path).returncode == 0
    msg = EmailMessage()
    msg["From"] = "Hana Ito <hana@customer.example>"
    msg["To"] = "help@acme.example"
    msg["Subject"] = "Broken lamp"
    msg["Message-ID"] = "<json-1@customer.example>"
    msg.set_content("My lamp arrived broken.")
    for sub in ("tmp", "new", "cur"):
        (tmp_path / "mail" / sub).mkdir(parents=True, exist_ok=True)
    (tmp_path / "mail" / "new" / "1.json").write_bytes(msg.as_bytes())
    # A crash left the first case's acknowledgement unconfirmed in the ledger: the
    # cycle then warns about that case by id (and does not resend).
    ack = sentlog.outgoing_id("C-1000", "ack", "json-1@customer.example", "acme.example")
    (tmp_path / "state").mkdir(exist_ok=True)
    (tmp_path / "state" / "sent-ledger.txt").write_text(f"try {ack}\n")


def test_json_lines_carry_cycle_and_case(tmp_path: Path) -> None:
    _setup(tmp_path)
    run = _sheetdesk("--log-format", "json", "poll", "--once", cwd=tmp_path)
    lines = [json.loads(line) for line in run.stderr.splitlines()]  # every line is JSON
    assert lines, run.stderr
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    cycles = {line.get("cycle") for line in lines if line["logger"] == "sheetdesk.cycle"}
    assert len(cycles) == 1 and None not in cycles, lines
    about_case = [line for line in lines if line.get("case")]
    assert about_case and about_case[0]["case"] == "C-1000", lines
    assert about_case[0]["message"].startswith("C-1000: ack email"), about_case
    assert about_case[0]["level"] == "warning"


def test_quiet_keeps_warnings_only(tmp_path: Path) -> None:
    _setup(tmp_path)
    run = _sheetdesk("-q", "poll", "--once", cwd=tmp_path)
    lines = run.stderr.splitlines()
    assert lines and all(" WARNING " in line or " ERROR " in line for line in lines), lines
    assert "sheetdesk:" in run.stdout  # the summary on stdout stays


def test_case_extra_only_for_known_cases() -> None:
    cases = {"C-1000": {}}
    assert logfmt.case_extra("C-1000: resolution not built", cases) == {"case_id": "C-1000"}
    assert logfmt.case_extra("store: 503 from the API", cases) == {}
