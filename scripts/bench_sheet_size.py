"""Benchmark: one poll cycle (10 new messages) against a Cases tab of 100,
5,000 and 50,000 rows.  Not a test: figures only.

The sheet is grown realistically: a real cycle over 100 messages writes 100
case rows (with their anchors, Sent logs and Thread IDs) into the Sheets
stand-in; those rows are then copied, with fresh Case IDs, anchors and
Message-IDs and Status "Closed" (a big sheet is mostly history), up to the
target size.  Then 10 new messages arrive and one
``sheetdesk poll --once`` runs as its own process; its wall time and peak RSS
(``/usr/bin/time``) are printed per size, with the ratio to the 100-row time.

    .venv/bin/python scripts/bench_sheet_size.py            # 100, 5000, 50000
    .venv/bin/python scripts/bench_sheet_size.py 100 5000
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from automation import config as config_mod  # noqa: E402
from automation.cycle.poll import poll_cycle  # noqa: E402
from automation.wiring import build_runtime, init_tabs  # noqa: E402
from tests.cycle.test_e2e_servers import CONFIG  # noqa: E402
from tests.support import mailservers  # noqa: E402
from tests.support.standin import SheetsStandIn  # noqa: E402
from tests.support.standin.cells import CellValue, formatted  # noqa: E402
from tests.support.standin.state import Cell, DevMeta, Row  # noqa: E402


def mails(n: int, tag: str) -> list[bytes]:
    out = []
    for i in range(n):
        msg = EmailMessage()
        msg["From"] = f"Customer {i} <c{i}.{tag}@customers{i % 17}.example>"
        msg["To"] = "help@acme.example"
        msg["Subject"] = f"Question {i} about order {1000 + i}"
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = f"<size-{tag}-{i}@customers.example>"
        msg.set_content(f"Hello, order #{1000 + i} has not arrived yet. Can you check?\n")
        out.append(msg.as_bytes())
    return out


def grow(api: SheetsStandIn, sid: str, target: int) -> None:
    """Copy the Cases tab's case rows (below the header) until it has ``target``."""
    book = api.book(sid)
    sheet = next(s for s in book.sheets if s.title == "Cases")
    header = api.grid(sid, "Cases")[0]
    id_col = sheet.cols[header.index("Case ID")]
    status_col = sheet.cols[header.index("Status")]
    seeds = [r for r in sheet.rows[1:] if r.cells.get(id_col) and r.cells[id_col].value]
    made = len(seeds)
    while made < target:
        seed = seeds[made % len(seeds)]
        old_id = formatted(seed.cells[id_col].value)
        new_id = f"C-{100000 + made}"
        cells = {}
        for col, cell in seed.cells.items():
            value = cell.value
            if value is not None and isinstance(getattr(value, "value", None), str):
                text = str(value.value).replace(old_id, new_id)
                value = replace(value, value=text.replace("@customers.example", f".{made}@x"))
            cells[col] = Cell(value, dict(cell.extra))
        # A grown sheet is mostly history: the copies are settled cases.
        cells[status_col] = Cell(CellValue("string", "Closed"))
        row = Row(cells)
        sheet.rows.append(row)
        meta_id = book.allocate_id()
        book.metadata.append(
            DevMeta(meta_id, "sheetdesk.case", new_id, "DOCUMENT", "ROW", sheet, [row], [])
        )
        made += 1


def measure(rows: int, dovecot: mailservers.Dovecot, work: Path) -> tuple[float, float]:
    api = SheetsStandIn(strict=True)
    smtp = mailservers.SmtpServer().start()
    user = dovecot.new_user("s")
    sid = api.create_spreadsheet(title="size", sheets=("Sheet1",))
    try:
        with api.serve() as url:
            cfg_path = work / f"rows{rows}.toml"
            text = CONFIG.format(
                imap_port=dovecot.port, user=user.name, smtp_port=smtp.port, sheet=sid, api_root=url
            )
            cfg_path.write_text(text.replace('state_dir = "state"', f'state_dir = "state{rows}"'))
            os.environ["SD_E2E_IMAP_PASSWORD"] = mailservers.CATCH_ALL_PASSWORD
            cfg = config_mod.load(cfg_path)
            init_tabs(cfg)
            user.append(mails(100, f"seed{rows}"))
            runtime = build_runtime(cfg)
            poll_cycle(runtime, datetime.now(UTC))  # 100 real case rows
            runtime.inbox.close()
            grow(api, sid, rows)
            user.append(mails(10, f"new{rows}"))
            peak = work / f"rows{rows}.rss"
            cli = [sys.executable, "-m", "automation.cli", "poll", "--once", "--config"]
            cmd = ["/usr/bin/time", "-f", "%M", "-o", str(peak), *cli, str(cfg_path)]
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - start
            if proc.returncode not in (0, 4):
                raise SystemExit(proc.stdout + proc.stderr)
            return wall, int(peak.read_text().split()[-1]) / 1024
    finally:
        smtp.stop()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 5000, 50000]
    work = mailservers.make_private_dir("sheetdesk-bench-size-")
    dovecot = mailservers.Dovecot(mailservers.TestPKI.create(work / "pki")).start()
    try:
        base = None
        print(f"{'Cases rows':>10} {'cycle s':>8} {'x 100 rows':>10} {'peak RSS MB':>12}")
        for rows in sizes:
            wall, rss = measure(rows, dovecot, work)
            base = base or wall
            print(f"{rows:>10} {wall:>8.2f} {wall / base:>10.2f} {rss:>12.1f}", flush=True)
    finally:
        mailservers.stop_all([dovecot])


if __name__ == "__main__":
    main()
