"""The systemd units in deploy/systemd pass ``systemd-analyze verify`` and are hardened.

The units name ``/usr/local/bin/sheetdesk`` (where the README's pipx install puts
it); ``verify`` checks that ExecStart exists, so the copies checked here name
this environment's ``sheetdesk`` instead.  Nothing else is changed.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from automation import config as config_mod

UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"
if not UNITS.is_dir():  # the tests may move into sub-folders: find deploy/ upwards
    UNITS = next(
        p / "deploy" / "systemd"
        for p in Path(__file__).resolve().parents
        if (p / "pyproject.toml").is_file()
    )
NAMES = ("sheetdesk.service", "sheetdesk-poll.service", "sheetdesk-poll.timer")
HARDENING = {
    "DynamicUser": "yes",
    "StateDirectory": "sheetdesk",
    "ProtectSystem": "strict",
    "NoNewPrivileges": "yes",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text())
    return parser


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (apt install systemd)",
)
def test_units_verify(tmp_path: Path) -> None:
    here = Path(sys.executable).parent / "sheetdesk"
    assert here.exists(), here
    for name in NAMES:
        text = (UNITS / name).read_text()
        (tmp_path / name).write_text(text.replace("/usr/local/bin/sheetdesk", str(here)))
    run = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in NAMES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ours = [
        line
        for line in (run.stdout + run.stderr).splitlines()
        if any(n in line for n in NAMES) or str(tmp_path) in line
    ]
    assert run.returncode == 0 and ours == [], run.stdout + run.stderr


@pytest.mark.parametrize("name", ["sheetdesk.service", "sheetdesk-poll.service"])
def test_services_are_hardened_and_take_secrets_from_outside(name: str) -> None:
    service = _unit(name)["Service"]
    for key, value in HARDENING.items():
        assert service.get(key) == value, (name, key)
    assert service.get("EnvironmentFile", "").startswith("-/etc/sheetdesk/")
    assert "User" not in service  # DynamicUser, never root
    command = service["ExecStart"].split()
    assert command[0] == "/usr/local/bin/sheetdesk"
    assert ("run" in command) if name == "sheetdesk.service" else ("--once" in command)


def test_the_long_running_service_uses_notify_and_the_watchdog() -> None:
    service = _unit("sheetdesk.service")["Service"]
    assert service["Type"] == "notify" and service["WatchdogSec"]
    assert _unit("sheetdesk-poll.timer")["Timer"]["Unit"] == "sheetdesk-poll.service"


def test_the_example_config_writes_only_into_the_state_directory() -> None:
    cfg = config_mod.load(UNITS / "sheetdesk.toml")
    for path in (
        cfg.poll.state_dir,
        cfg.store.workbook.path,
        cfg.inbox.maildir.path,
        cfg.outbox.files.path,
    ):
        assert path.startswith("/var/lib/sheetdesk/"), path
