"""``sheetdesk run`` speaks systemd's notify protocol over a real datagram socket.

The test binds an AF_UNIX datagram socket where systemd would, runs the real
command as a child with ``NOTIFY_SOCKET`` (and ``WATCHDOG_USEC``) pointing at
it, and reads what arrives.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from automation import cli
from automation.service import notify

CONFIG = """
[business]
name = "Acme"
support_address = "help@acme.example"
"""


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.settimeout(0.2)
        yield sock, path


def _drain(sock: socket.socket, until: float) -> list[str]:
    got: list[str] = []
    while time.monotonic() < until:
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
    return got


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "sheetdesk.toml"
    path.write_text(CONFIG)
    assert cli.main(["init", "--config", str(path)]) == 0
    return path


def _run(path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "automation.cli", "run", "--config", str(path), *args],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_ready_watchdog_and_stopping(tmp_path: Path, listener: tuple[socket.socket, str]) -> None:
    sock, address = listener
    proc = _run(
        _config(tmp_path),
        {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000"},
        "--interval",
        "1",
        "--cycles",
        "3",
    )
    try:
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    got = _drain(sock, time.monotonic() + 0.5)
    assert got[0].splitlines()[0] == "READY=1", got
    assert any(m.startswith("STATUS=cycle 1:") for m in got), got
    assert "WATCHDOG=1" in got, got
    assert got[-1] == "STOPPING=1", got
    assert got.count("STOPPING=1") == 1, got


def test_sigterm_says_stopping_once(tmp_path: Path, listener: tuple[socket.socket, str]) -> None:
    sock, address = listener
    proc = _run(_config(tmp_path), {"NOTIFY_SOCKET": address}, "--interval", "30")
    try:
        first = _drain_until(sock, "READY=1")
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    rest = _drain(sock, time.monotonic() + 0.5)
    assert first and rest.count("STOPPING=1") == 1, (first, rest)
    assert "WATCHDOG=1" not in first + rest  # no WATCHDOG_USEC: no watchdog pings


def _drain_until(sock: socket.socket, wanted: str, timeout: float = 30.0) -> list[str]:
    got: list[str] = []
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
        if got[-1].splitlines()[0] == wanted:
            return got
    raise AssertionError(f"no {wanted} in {got}")


def test_abstract_socket_and_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"sheetdesk-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert notify.send("READY=1", "STATUS=two\nlines")
        assert sock.recv(4096) == b"READY=1\nSTATUS=two lines"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert not notify.send("READY=1")  # outside systemd: nothing, no error


def test_watchdog_is_for_the_named_pid_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "10000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert notify.Watchdog().every == 5.0
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert notify.Watchdog().every is None
    monkeypatch.delenv("WATCHDOG_USEC")
    assert notify.Watchdog().every is None
