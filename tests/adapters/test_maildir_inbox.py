"""MaildirInbox on a real directory tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from automation.adapters.maildir_inbox import MaildirInbox
from automation.config import MaildirConfig
from automation.errors import InboxError
from tests.support.mailservers import sample_message


def deliver(root: Path, name: str, n: int, sub: str = "new", mtime: float | None = None) -> Path:
    path = root / sub / name
    path.write_bytes(sample_message(n))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def box(tmp_path: Path) -> MaildirInbox:
    return MaildirInbox(MaildirConfig(path="mail"), tmp_path)


def test_creates_the_maildir_and_processed_folder(tmp_path: Path, box: MaildirInbox) -> None:
    for sub in ("new", "cur", "tmp"):
        assert (tmp_path / "mail" / sub).is_dir()
        assert (tmp_path / "mail" / ".processed" / sub).is_dir()
    assert (tmp_path / "mail" / ".processed" / "maildirfolder").exists()
    assert list(box.fetch(10)) == []


def test_reads_new_and_cur_oldest_first(box: MaildirInbox) -> None:
    deliver(box.root, "300.M1.host", 3, mtime=3000)
    deliver(box.root, "100.M1.host:2,S", 1, sub="cur", mtime=1000)  # already read by a person
    deliver(box.root, "200.M1.host", 2, mtime=2000)
    (box.root / "new" / ".hidden").write_bytes(b"x")
    items = list(box.fetch(10))
    assert [i.key for i in items] == [
        "maildir:100.M1.host",
        "maildir:200.M1.host",
        "maildir:300.M1.host",
    ]
    assert b"this is message 1." in items[0].raw
    assert items[0].received_at is not None and items[0].received_at.timestamp() == 1000
    assert [i.key for i in box.fetch(2)] == ["maildir:100.M1.host", "maildir:200.M1.host"]


def test_processed_messages_move_to_the_subfolder_with_flags(box: MaildirInbox) -> None:
    deliver(box.root, "1.a.host", 1, mtime=1)
    deliver(box.root, "2.a.host:2,FS", 2, sub="cur", mtime=2)
    box.mark_processed(["maildir:1.a.host", "maildir:2.a.host"])
    assert sorted(p.name for p in (box.processed / "cur").iterdir()) == [
        "1.a.host:2,",
        "2.a.host:2,FS",
    ]
    assert list(box.fetch(10)) == []


def test_moving_never_overwrites(box: MaildirInbox) -> None:
    deliver(box.root, "1.a.host", 1)
    (box.processed / "cur" / "1.a.host:2,").write_bytes(b"an older message with the same name")
    box.mark_processed(["maildir:1.a.host"])
    names = sorted(p.name for p in (box.processed / "cur").iterdir())
    assert names == ["1.a.host.dup1:2,", "1.a.host:2,"]
    assert (
        box.processed / "cur" / "1.a.host:2,"
    ).read_bytes() == b"an older message with the same name"


def test_quarantine_keeps_the_message_in_the_inbox_and_skips_it(box: MaildirInbox) -> None:
    deliver(box.root, "1.a.host", 1, mtime=1)
    deliver(box.root, "2.a.host", 2, mtime=2)
    box.mark_quarantined(["maildir:1.a.host"])
    assert (box.root / "cur" / "1.a.host:2,q").exists()
    assert [i.key for i in box.fetch(10)] == ["maildir:2.a.host"]
    box.mark_quarantined(["maildir:1.a.host"])  # twice is harmless
    assert (box.root / "cur" / "1.a.host:2,q").exists()


def test_key_survives_a_flag_change_by_a_mail_program(box: MaildirInbox) -> None:
    path = deliver(box.root, "1.a.host", 1)
    [item] = list(box.fetch(10))
    path.rename(box.root / "cur" / "1.a.host:2,S")  # someone read it meanwhile
    box.mark_processed([item.key])
    assert (box.processed / "cur" / "1.a.host:2,S").exists()


def test_missing_and_foreign_keys(box: MaildirInbox) -> None:
    box.mark_processed(["maildir:gone.a.host"])  # moved away by a person: nothing to do
    with pytest.raises(InboxError):
        box.mark_processed(["imap:1:2"])
    with pytest.raises(InboxError):
        box.mark_processed(["maildir:../escape"])
