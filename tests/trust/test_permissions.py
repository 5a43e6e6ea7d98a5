"""Issue 11, finding 12: customer data on disk is readable by its owner only.

Before: outbox/*.eml and the state files were 0644 and the state dir 0755,
even when the state dir already existed (a later run never tightened it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from automation import cli
from tests.cli.test_check_cli import _setup
from tests.cycle.test_cycle import deliver, mail


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_dir_is_0700_and_customer_files_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a typical login umask; sheetdesk must not rely on it
    try:
        path = _setup(tmp_path)
        state = tmp_path / "state"
        state.mkdir(exist_ok=True)
        os.chmod(state, 0o755)  # left open by an older version
        deliver(tmp_path, mail("Broken lamp", "perm1@customer.example"), "1.perm")
        assert cli.main(["poll", "--once", "--config", str(path)]) == 0
    finally:
        os.umask(old)
    assert _mode(state) == 0o700
    files = [p for p in state.rglob("*") if p.is_file()]
    assert files and all(_mode(p) == 0o600 for p in files), {str(p): oct(_mode(p)) for p in files}
    emails = list((tmp_path / "outbox").glob("*.eml"))
    assert emails and all(_mode(p) == 0o600 for p in emails)
    assert _mode(tmp_path / "outbox") == 0o700
