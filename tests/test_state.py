"""The StateDir port: one atomic write, owner-only files, caches that survive a
new process and shrug off damage.  Both adapters pass the same contract."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation import config, state
from automation.adapters.memory_state import MemoryStateDir
from automation.cycle.poll import poll_cycle
from automation.outgoing.ledger import Ledger
from automation.ports import StateDir
from automation.wiring import build_runtime, init_tabs

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=["files", "memory"])
def make_state(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], StateDir]:
    """A factory: each call is a new process's view of the same state."""
    if request.param == "files":
        return lambda: state.FileStateDir(tmp_path / "state")
    shared = MemoryStateDir()
    return lambda: shared


def test_contract_read_write_append(make_state: Callable[[], StateDir]) -> None:
    s = make_state()
    assert s.read("nothing.json") is None
    s.write("a.txt", "one")
    s.write("a.txt", "two")
    s.append("log.txt", "x\n")
    s.append("log.txt", "y\n")
    again = make_state()
    assert again.read("a.txt") == "two"
    assert again.read("log.txt") == "x\ny\n"


def test_ledger_lives_in_the_state(make_state: Callable[[], StateDir]) -> None:
    ledger = Ledger(make_state())
    ledger.attempt("case1.ack.1@acme.example")
    ledger.add(["case2.ack.1@acme.example"])
    reread = Ledger(make_state())
    assert reread.ids() == {"case1.ack.1@acme.example", "case2.ack.1@acme.example"}
    assert reread.unconfirmed() == {"case1.ack.1@acme.example"}


@pytest.mark.parametrize(
    "damage",
    [b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"summary": ', b"\x00" * 64, b'"just a string"'],
)
def test_damaged_caches_read_as_empty(tmp_path: Path, damage: bytes) -> None:
    root = tmp_path / "state"
    root.mkdir()
    (root / state.OUTCOME).write_bytes(damage)
    (root / state.TABLES).write_bytes(damage)
    s = state.FileStateDir(root)
    assert state.last_outcome(s) == ""
    assert state.last_tables(s) == {}


def test_atomic_write_is_owner_only_and_tightens_an_open_dir(tmp_path: Path) -> None:
    root = tmp_path / "state"
    root.mkdir(mode=0o755)
    root.chmod(0o755)  # as a lock file or an older version left it
    target = root / "last-cycle.json"
    state.atomic_write(target, "{}")
    assert _mode(root) == 0o700
    assert _mode(target) == 0o600
    state.append_durably(root / "sent-ledger.txt", "ok x\n")
    assert _mode(root / "sent-ledger.txt") == 0o600


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    root = tmp_path / "state"
    target = root / "t.json"
    state.atomic_write(target, "old")
    (root / "blocker").mkdir()
    with pytest.raises(OSError):
        state.atomic_write(root / "blocker", "new")  # cannot replace a directory
    assert target.read_text() == "old"
    assert sorted(p.name for p in root.iterdir()) == ["blocker", "t.json"]


def test_a_cache_that_cannot_be_written_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the directory should be")
    s = state.FileStateDir(blocked)
    state.save_outcome(s, "cycle at 10:00: complete")
    state.save_tables(s, {"Team": (("Name",),)})
    assert state.last_outcome(s) == ""
    assert "could not keep the cycle's outcome" in caplog.text
    assert "could not cache the routing tables" in caplog.text


def _config(base: Path) -> config.Config:
    return config.from_dict(
        {
            "inbox": {"kind": "maildir", "maildir": {"path": "mail"}},
            "outbox": {"kind": "files", "files": {"path": "outbox"}},
            "store": {"kind": "workbook", "workbook": {"path": "desk.xlsx"}},
            "business": {"name": "Acme", "support_address": "help@acme.example"},
            "poll": {"state_dir": "state"},
        },
        base_dir=str(base),
    )


def test_a_new_process_shows_the_previous_outcome_on_health(tmp_path: Path) -> None:
    for sub in ("tmp", "new", "cur"):
        (tmp_path / "mail" / sub).mkdir(parents=True)
    cfg = _config(tmp_path)
    init_tabs(cfg)
    first = poll_cycle(build_runtime(cfg), NOW)
    assert first.completed
    outcome = tmp_path / "state" / state.OUTCOME
    assert _mode(outcome) == 0o600
    assert _mode(tmp_path / "state") == 0o700
    second = build_runtime(cfg)  # a fresh `poll --once` process
    poll_cycle(second, NOW.replace(minute=5))
    grid = second.store.load().tabs["Health"]
    previous = {row[0]: row[1] for row in grid[1:] if len(row) > 1}["Previous cycle"]
    assert previous.startswith("2026-12-01 10:00"), previous
    assert "complete, exit 0" in previous
