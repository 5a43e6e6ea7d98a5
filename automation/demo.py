"""``sheetdesk demo``: the embedded default, end to end, in a folder it creates.

It writes a config for a Maildir inbox, a local workbook and a folder of .eml
files; lays out the tabs; seeds the Maildir with a dozen messages; runs one
cycle; lets the first customer reply to our acknowledgement; runs a second
cycle; and prints what landed in the Cases tab.  Everything stays there to open.
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from automation import config as config_mod
from automation import wiring
from automation.cycle import poll_cycle
from automation.demo_mail import SUPPORT, build_messages, reply_to
from automation.errors import ConfigError

DEMO_CONFIG = f"""# Written by `sheetdesk demo`: the embedded default, no accounts needed.
[inbox]
kind = "maildir"
[inbox.maildir]
path = "mail"

[outbox]
kind = "files"
[outbox.files]
path = "outbox"

[store]
kind = "workbook"
[store.workbook]
path = "sheetdesk.xlsx"

[business]
name = "Lumen & Loom Lighting"
support_address = "{SUPPORT}"
display_name = "Lumen & Loom Support"
signature = "The Lumen & Loom support team"
own_domains = ["lumenandloom.example"]
case_tag = "[Case #{{number}}]"
first_case_number = 1000
time_zone = "Europe/London"

[poll]
state_dir = "state"
"""


def _drop(maildir: Path, raw: bytes, name: str) -> None:
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    tmp = maildir / "tmp" / name
    tmp.write_bytes(raw)
    tmp.rename(maildir / "new" / name)


def _table(rows: list[list[str]], widths: list[int]) -> str:
    lines = []
    for row in rows:
        cells = [(c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths,
                                                                              strict=False)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run_demo(folder: Path) -> int:
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} already exists and is not empty; pass --dir for a new one")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sheetdesk.toml").write_text(DEMO_CONFIG, encoding="utf-8")
    cfg = config_mod.load(folder / "sheetdesk.toml")
    created = wiring.init_tabs(cfg)
    print(f"demo folder: {folder.resolve()}")
    print(f"tabs created: {', '.join(created)}")

    now = datetime.now(UTC).replace(microsecond=0)
    maildir = cfg.path(cfg.inbox.maildir.path)
    for number, raw in enumerate(build_messages(now), start=1):
        _drop(maildir, raw, f"{int(now.timestamp())}.demo{number:02d}.localhost")

    runtime = wiring.build_runtime(cfg)
    first = poll_cycle(runtime, now)
    print(f"cycle 1: {first.summary()}")

    acks = sorted(cfg.path(cfg.outbox.files.path).glob("*.eml"))
    ack = _first_ack(acks)
    if ack is not None:
        later = now + timedelta(minutes=7)
        _drop(maildir, reply_to(ack, later), f"{int(later.timestamp())}.reply.localhost")
        second = poll_cycle(runtime, later)
        print(f"cycle 2: {second.summary()}")
    problems = first.problems
    for problem in problems:
        print(f"  problem: {problem}")

    snapshot = runtime.store.load()
    rows = [["Case", "Status", "Priority", "Assignee", "Triggers", "Msgs", "Subject"]]
    for case in sorted(snapshot.cases, key=lambda c: c.case_id):
        rows.append([case.case_id, case.get("Status"), case.get("Priority"),
                     case.get("Assignee") or "(queue)", case.get("Triggers") or "-",
                     case.get("Messages"), case.get("Subject")])
    print()
    print(_table(rows, [7, 9, 9, 18, 30, 4, 44]))
    noncases = snapshot.tabs.get("Non-cases", ())
    if len(noncases) > 1:
        print("\nnot cases (no case, no acknowledgement):")
        for row in noncases[1:]:
            print(f"  {row[1]:<11} {row[2][:60]:<60}  {row[4][:40]}")
    for case in sorted(snapshot.cases, key=lambda c: c.case_id)[:3]:
        print(f"\nwhy {case.case_id}: {case.get('Why')}")
    print(f"\nopen {cfg.path(cfg.store.workbook.path)} to see the queue, and "
          f"{cfg.path(cfg.outbox.files.path)}/ for the {len(acks)} acknowledgements sent.")
    runtime.inbox.close()
    return 0


def _first_ack(paths: list[Path]) -> EmailMessage | None:
    for path in paths:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if "Case #1000" in str(msg.get("Subject", "")):
            assert isinstance(msg, EmailMessage)
            return msg
    return None
