"""sheetdesk replay: past mail through two sets of tabs; only differences printed,
each with both Whys; folders, Maildirs and mbox files read; nothing written."""

from __future__ import annotations

import mailbox
from pathlib import Path

from automation.cycle import replay
from tests.support.decide_builders import tables, with_rows

OWN = frozenset({"support@shop.test"})
DOMAINS = frozenset({"shop.test"})


def eml(n: int, subject: str, body: str) -> bytes:
    return (
        (
            f"From: Cus {n} <c{n}@customer.co.uk>\nTo: support@shop.test\nSubject: {subject}\n"
            f"Date: Tue, 04 Mar 2025 10:{n:02d}:00 +0000\n"
            f"Message-ID: <r{n}@customer.co.uk>\n\n{body}\n"
        )
        .replace("\n", "\r\n")
        .encode()
    )


MAIL = [
    eml(1, "Question", "Could you send me a copy of my invoice?"),
    eml(2, "Broken again", "This is the third time I write, I am disappointed."),
    eml(3, "Weekly newsletter", "Hello, unrelated."),
]


def test_only_changed_decisions_are_reported_with_both_whys(tmp_path: Path) -> None:
    for n, data in enumerate(MAIL, 1):
        (tmp_path / f"{n:03d}.eml").write_bytes(data)
    current = tables()
    # The owner tries making emotion Critical before changing the real tab.
    edited = tables(Priorities=with_rows("Priorities", ("emotion", "Critical", "try")))
    count, changes = replay.replay(replay.read_mail(tmp_path), current, edited, OWN, DOMAINS)
    assert count == 3
    assert [c.name for c in changes] == ["002.eml"]
    lines = replay.report(count, changes)
    assert "priority High -> Critical" in lines[1]
    assert lines[2].startswith("  old why: ") and "High" in lines[2]
    assert lines[3].startswith("  new why: ") and "Critical" in lines[3]
    assert lines[-1] == "3 messages read, 1 decision would change. Nothing was written or sent."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["001.eml", "002.eml", "003.eml"]


def test_same_tabs_change_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(MAIL[1])
    count, changes = replay.replay(replay.read_mail(tmp_path), tables(), tables(), OWN, DOMAINS)
    assert (count, changes) == (1, [])


def test_against_the_cases_tab_record(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(MAIL[1])
    recorded = [
        {
            "Thread IDs": "<r2@customer.co.uk>",
            "Priority (auto)": "Low",
            "Role": "general",
            "Routed to": "Ana",
            "Triggers": "",
            "Why": "an older rule",
        }
    ]
    count, changes = replay.replay(replay.read_mail(tmp_path), recorded, tables(), OWN, DOMAINS)
    assert count == 1 and len(changes) == 1
    assert "priority Low -> High" in replay.report(count, changes)[1]
    assert changes[0].old.why == "an older rule"


def test_reads_maildir_and_mbox(tmp_path: Path) -> None:
    maildir = mailbox.Maildir(tmp_path / "md", create=True)
    for data in MAIL:
        maildir.add(data)
    assert len(list(replay.read_mail(tmp_path / "md"))) == 3
    box = mailbox.mbox(tmp_path / "old.mbox", create=True)
    for data in MAIL:
        box.add(data)
    box.flush()
    names = [name for name, _ in replay.read_mail(tmp_path / "old.mbox")]
    assert len(names) == 3 and names[0].startswith("old.mbox#")


def test_the_command_compares_an_edited_copy_and_writes_nothing(
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    import openpyxl

    from automation import cli

    cfg = tmp_path / "sheetdesk.toml"
    cfg.write_text(
        '[business]\nsupport_address = "support@shop.test"\nown_domains = ["shop.test"]\n'
        '[store]\nkind = "workbook"\n[store.workbook]\npath = "desk.xlsx"\n'
    )
    assert cli.main(["init", "--config", str(cfg)]) == 0
    edited = tmp_path / "try.xlsx"
    shutil.copy(tmp_path / "desk.xlsx", edited)
    book = openpyxl.load_workbook(edited)
    book["Priorities"].append(["emotion", "Critical", "trying it out"])
    book.save(edited)
    mail = tmp_path / "mail"
    mail.mkdir()
    for n, data in enumerate(MAIL, 1):
        (mail / f"{n:03d}.eml").write_bytes(data)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")}
    capsys.readouterr()
    assert cli.main(["replay", str(mail), "--config", str(cfg), "--tables", str(edited)]) == 0
    out = capsys.readouterr().out
    assert "002.eml" in out and "-> Critical" in out and "001.eml" not in out
    assert "Nothing was written or sent." in out
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")} == before
    assert not (tmp_path / "outbox").exists()
