"""``sheetdesk demo``: the embedded default, end to end, in a folder it creates.

It writes a config for a Maildir inbox, a local workbook and a folder of .eml
files; lays out the tabs; seeds the Maildir with a dozen messages; runs one
cycle; lets the first customer reply to our acknowledgement; runs a second
cycle; then plays the team working case C-1000 in the sheet (a message to the
customer, Resolved with a summary) and runs later cycles until the case closes
for want of a reply; and prints the Cases and Metrics tabs.  Everything stays there.
"""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from automation import config as config_mod
from automation import wiring
from automation.cycle.poll import Runtime, poll_cycle
from automation.demo.inbox import ACCOUNT_ROWS, SUPPORT, TEAM_ROWS, build_messages, reply_to
from automation.errors import ConfigError
from automation.ports import Snapshot
from automation.sheet import layout as columns

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


# The queue as the demo prints it: a few columns, in the order a person scans them.
QUEUE_HEADER = (
    "Case",
    columns.STATUS,
    columns.PRIORITY,
    columns.ASSIGNEE,
    columns.TRIGGERS_FOUND,
    "Msgs",
    columns.SUBJECT,
)


def _drop(maildir: Path, raw: bytes, name: str) -> None:
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    tmp = maildir / "tmp" / name
    tmp.write_bytes(raw)
    tmp.rename(maildir / "new" / name)


def _table(rows: list[list[str]], widths: list[int]) -> str:
    lines = []
    for row in rows:
        cells = [
            (c if len(c) <= w else c[: w - 1] + "…").ljust(w)
            for c, w in zip(row, widths, strict=False)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run_demo(folder: Path) -> int:
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} already exists and is not empty; pass --dir for a new one")
    folder.mkdir(parents=True, exist_ok=True)
    # The demo prints each cycle itself, in words; the cycle's own log line would
    # say the same thing a second time.
    logging.getLogger("sheetdesk.cycle").setLevel(logging.WARNING)
    (folder / "sheetdesk.toml").write_text(DEMO_CONFIG, encoding="utf-8")
    cfg = config_mod.load(folder / "sheetdesk.toml")
    created = wiring.init_tabs(cfg)
    print(f"demo folder: {folder.resolve()}")
    print(f"tabs created: {', '.join(created)}")

    _owner_fills_in_tabs(cfg)
    print(f"owner typed in the team: {', '.join(r['Name'] for r in TEAM_ROWS)}")
    now = _working_morning(datetime.now(UTC))
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
    _team_works_the_case(cfg, runtime, now)

    snapshot = runtime.store.load()
    _print_queue(snapshot)
    _print_life(cfg, snapshot)
    sent = sorted(cfg.path(cfg.outbox.files.path).glob("*.eml"))  # the whole week's
    print(
        f"\nopen {cfg.path(cfg.store.workbook.path)} to see the queue, and "
        f"{cfg.path(cfg.outbox.files.path)}/ for the {len(sent)} emails sent "
        f"({sum('.ack.' in p.name for p in sent)} of them acknowledgements)."
    )
    runtime.inbox.close()
    return 0


def _print_queue(snapshot: Snapshot) -> None:
    """The queue, the non-cases and the first cases' reasons, as a person reads them."""
    rows = [list(QUEUE_HEADER)]
    for case in sorted(snapshot.cases, key=lambda c: c.case_id):
        rows.append(
            [
                case.case_id,
                case.get(columns.STATUS),
                case.get(columns.PRIORITY),
                case.get(columns.ASSIGNEE) or "(queue)",
                case.get(columns.TRIGGERS_FOUND) or "-",
                case.get(columns.MESSAGES),
                case.get(columns.SUBJECT),
            ]
        )
    print()
    print(_table(rows, [7, 9, 9, 18, 30, 4, 44]))
    noncases = snapshot.tabs.get(columns.NONCASE_TAB, ())
    if len(noncases) > 1:
        print("\nnot cases (no case, no acknowledgement):")
        for row in noncases[1:]:
            print(f"  {row[1]:<11} {row[2][:60]:<60}  {row[4][:40]}")
    for case in sorted(snapshot.cases, key=lambda c: c.case_id)[:3]:
        print(f"\nwhy {case.case_id}: {case.get(columns.WHY)}")


def _print_life(cfg: config_mod.Config, snapshot: Snapshot) -> None:
    from automation.review import report
    from automation.review.metrics import figures

    case = snapshot.by_id().get("C-1000")
    if case is not None:
        print(f"\nC-1000 now: {case.get(columns.CASE_STATE)}")
        print("C-1000 emails to the customer:")
        found_mail = []
        for path in cfg.path(cfg.outbox.files.path).glob("*.eml"):
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if "hannah.moore@" in str(msg.get("To", "")):
                found_mail.append((msg["Date"].datetime, str(msg["Subject"])))
        for when, subject in sorted(found_mail):
            print(f"  {when:%Y-%m-%d %H:%M}  {subject}")
    found = figures([dict(c.values) for c in snapshot.cases], datetime.now(UTC))
    chart = cfg.path("review-chart.png")
    chart.write_bytes(report.chart_png(found))
    print("\nMetrics tab:")
    for row in snapshot.tabs.get(report.TAB, ())[1:]:
        print(f"  {row[0]:<40} {row[1] if len(row) > 1 else ''}")
    print(f"chart: {chart}")


def _working_morning(now: datetime) -> datetime:
    """10:00 in London on the latest weekday up to ``now``: the demo's cycles run
    in business hours whenever it is started, so the routing it shows is the
    daytime routing."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo("Europe/London"))
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    return local.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(UTC)


def _owner_fills_in_tabs(cfg: config_mod.Config) -> None:
    """The owner replaces the starter rows with her own team and key account."""
    import openpyxl

    path = cfg.path(cfg.store.workbook.path)
    wb = openpyxl.load_workbook(path)
    for title, rows in ((columns.TEAM, TEAM_ROWS), (columns.ACCOUNTS, ACCOUNT_ROWS)):
        ws = wb[title]
        header = [str(c.value or "") for c in ws[1]]
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append([row.get(h, "") for h in header])
    ws = wb[columns.RESPONSE]
    header = [str(c.value or "") for c in ws[1]]
    for cells in ws.iter_rows(min_row=2):
        if "Tell" in header and str(cells[header.index("Tell")].value or "") == "Owner":
            cells[header.index("Tell")].value = "Maya Chen"
    wb.save(path)


def _edit(cfg: config_mod.Config, case_id: str, changes: dict[str, str]) -> None:
    """A team member types into the Cases tab (as in Excel or Google Sheets)."""
    import openpyxl

    path = cfg.path(cfg.store.workbook.path)
    wb = openpyxl.load_workbook(path)
    ws = wb[columns.CASES_TAB]
    header = [str(c.value or "") for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if str(row[header.index(columns.CASE_ID)].value or "") == case_id:
            for column, value in changes.items():
                row[header.index(column)].value = value
    wb.save(path)


def _team_works_the_case(cfg: config_mod.Config, runtime: Runtime, now: datetime) -> None:
    """Case C-1000 through its whole life: an update, a resolution, silence, closing."""
    steps: list[tuple[timedelta, dict[str, str], str]] = [
        (
            timedelta(minutes=30),
            {
                columns.STATUS: "In progress",
                columns.MESSAGE_TO_CUSTOMER: "Thanks Hannah - the courier has your "
                "parcel stuck at their depot; we have asked them to release "
                "it today and will confirm once it moves.",
                columns.NOTES: "Courier ref DPD-88213; not for the customer",
            },
            "team typed a message to the customer",
        ),
        (
            timedelta(hours=5),
            {
                columns.STATUS: "Resolved",
                columns.RESOLUTION: "The parcel was released by the courier "
                "and delivered this afternoon (signed for at 15:12).",
            },
            "team set Status = Resolved with a summary",
        ),
        (
            timedelta(days=cfg.lifecycle.close_after_days, hours=6),
            {},
            f"{cfg.lifecycle.close_after_days} days later, no reply from the customer",
        ),
    ]
    for delay, changes, what in steps:
        if changes:
            _edit(cfg, "C-1000", changes)
        report = poll_cycle(runtime, now + delay)
        print(f"cycle at +{delay}: {what}: {report.summary()}")


def _first_ack(paths: list[Path]) -> EmailMessage | None:
    for path in paths:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if "Case #1000" in str(msg.get("Subject", "")):
            assert isinstance(msg, EmailMessage)
            return msg
    return None
