"""The ledger after a process died between its ``try`` line and the final dot."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.outgoing.ledger import Ledger, boot_id

ACK = "c-1000.ack.1@acme.example"


def _ledger_with(tmp_path: Path, text: str) -> Ledger:
    path = tmp_path / "ledger.txt"
    path.write_text(text)
    return Ledger(path)


@pytest.mark.skipif(not boot_id(), reason="this kernel has no boot id")
def test_a_try_without_its_dot_in_this_boot_is_sent_again(tmp_path: Path) -> None:
    # The process died while fsyncing the try line: the dot never left.
    ledger = _ledger_with(tmp_path, f"try {ACK} {boot_id()}\n")
    assert ACK not in ledger.ids()
    assert ledger.unconfirmed() == set()


def test_a_try_without_its_dot_from_another_boot_stays_unconfirmed(tmp_path: Path) -> None:
    # A power cut can lose the unsynced dot line: the server may hold the email.
    ledger = _ledger_with(tmp_path, f"try {ACK} 00000000-another-boot\n")
    assert ledger.unconfirmed() == {ACK}


def test_a_try_followed_by_its_dot_stays_unconfirmed(tmp_path: Path) -> None:
    ledger = _ledger_with(tmp_path, f"try {ACK} {boot_id()}\ndot {ACK}\n")
    assert ledger.unconfirmed() == {ACK}


def test_an_old_style_try_line_stays_unconfirmed(tmp_path: Path) -> None:
    assert _ledger_with(tmp_path, f"try {ACK}\n").unconfirmed() == {ACK}


def test_attempt_writes_the_dot_line_before_returning(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.txt")
    ledger.attempt(ACK)
    lines = (tmp_path / "ledger.txt").read_text().splitlines()
    assert lines[0].split()[:2] == ["try", ACK] and lines[1] == f"dot {ACK}"
    assert Ledger(tmp_path / "ledger.txt").unconfirmed() == {ACK}
