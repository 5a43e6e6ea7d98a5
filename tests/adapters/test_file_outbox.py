"""FileOutbox on a real directory."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from automation.adapters.file_outbox import FileOutbox, file_stem
from automation.config import FilesOutboxConfig


def message(mid: str, body: str = "hello") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "support@example.com"
    msg["To"] = "alice@example.org"
    msg["Subject"] = "Re: help"
    if mid:
        msg["Message-ID"] = mid
    msg.set_content(body)
    return msg


def test_writes_one_eml_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(FilesOutboxConfig(path="out"), tmp_path)
    results = outbox.send([message("<a1@example.com>"), message("<a2@example.com>")])
    assert [(r.message_id, r.ok) for r in results] == [
        ("a1@example.com", True),
        ("a2@example.com", True),
    ]
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["a1@example.com.eml", "a2@example.com.eml"]  # no temp files left
    parsed = message_from_bytes((tmp_path / "out" / files[0]).read_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == "<a1@example.com>"


def test_already_sent_is_the_files_that_exist(tmp_path: Path) -> None:
    outbox = FileOutbox(FilesOutboxConfig(path=str(tmp_path / "abs")), Path("/nonexistent"))
    outbox.send([message("<a1@example.com>")])
    assert outbox.already_sent(["a1@example.com", "<a1@example.com>", "b@example.com"]) == {
        "a1@example.com",
        "<a1@example.com>",
    }


def test_names_are_safe_and_one_to_one(tmp_path: Path) -> None:
    outbox = FileOutbox(FilesOutboxConfig(path="out"), tmp_path)
    ids = [
        "<../../etc/passwd@x>",
        "<a/b@x>",
        "<a_b@x>",
        "<a%2Fb@x>",
        "<.hidden@x>",
        "<%2Ehidden@x>",
        "<..>",
    ]
    outbox.send([message(i) for i in ids])
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert len(set(names)) == len(ids)
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert not (tmp_path / "etc").exists()
    assert len(file_stem("x" * 1000 + "@example.com")) <= 180


def test_resend_is_idempotent(tmp_path: Path) -> None:
    outbox = FileOutbox(FilesOutboxConfig(path="out"), tmp_path)
    outbox.send([message("<a1@example.com>", "first")])
    outbox.send([message("<a1@example.com>", "first")])
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_message_without_id_is_refused(tmp_path: Path) -> None:
    [result] = FileOutbox(FilesOutboxConfig(path="out"), tmp_path).send([message("")])
    assert (result.ok, result.permanent) == (False, True)
