"""Benchmark: one poll cycle over an IMAP backlog (real Dovecot, aiosmtpd, Sheets stand-in).

Prints, for each backlog size, the IMAP round trips of the cycle (counted by the
adapter: every tagged command) and the wall time of ``sheetdesk poll --once``
run as its own process against the same servers.  Not a test: figures only.

    .venv/bin/python scripts/bench_poll.py            # backlogs of 50, 200 and 500
    .venv/bin/python scripts/bench_poll.py 200
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
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


def backlog(n: int, tag: str) -> list[bytes]:
    out = []
    for i in range(n):
        msg = EmailMessage()
        msg["From"] = f"Customer {i} <c{i}@customers{i % 17}.example>"
        msg["To"] = "help@acme.example"
        msg["Subject"] = f"Question {i} about my order"
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = f"<bench-{tag}-{i}@customers.example>"
        msg.set_content(f"Hello, order #{1000 + i} has not arrived yet. Can you check?\n" * 3)
        out.append(msg.as_bytes())
    return out


def measure(n: int, dovecot: mailservers.Dovecot, pki_dir: Path) -> tuple[int, float, str]:
    api = SheetsStandIn(strict=True)
    smtp = mailservers.SmtpServer().start()
    work = mailservers.make_private_dir("sheetdesk-bench-")
    try:
        results = []
        for mode in ("in-process", "subprocess"):
            user = dovecot.new_user("b")
            sid = api.create_spreadsheet(title="bench", sheets=("Sheet1",))
            with api.serve() as url:
                cfg_path = work / f"{mode}.toml"
                cfg_path.write_text(
                    CONFIG.format(
                        imap_port=dovecot.port,
                        user=user.name,
                        smtp_port=smtp.port,
                        sheet=sid,
                        api_root=url,
                    )
                )
                os.environ["SD_E2E_IMAP_PASSWORD"] = mailservers.CATCH_ALL_PASSWORD
                cfg = config_mod.load(cfg_path)
                init_tabs(cfg)
                user.append(backlog(n, f"{mode}-{n}"))
                before = len(api.log)
                if mode == "in-process":
                    runtime = build_runtime(cfg)
                    report = poll_cycle(runtime, datetime.now(UTC))
                    trips = int(runtime.inbox.round_trips)  # type: ignore[attr-defined]
                    runtime.inbox.close()
                    results.append((trips, report.summary()))
                else:
                    start = time.perf_counter()
                    proc = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "automation.cli",
                            "poll",
                            "--once",
                            "--config",
                            str(cfg_path),
                        ],
                        capture_output=True,
                        text=True,
                        stdin=subprocess.DEVNULL,
                        check=False,
                    )
                    wall = time.perf_counter() - start
                    if proc.returncode != 0:
                        raise SystemExit(proc.stdout + proc.stderr)
                    sheet_calls = len(api.log) - before
                    results.append((sheet_calls, f"{wall:.2f}"))
        trips, summary = results[0]
        sheet_calls, wall_text = results[1]
        return trips, float(wall_text), f"{summary}; sheets requests {sheet_calls}"
    finally:
        smtp.stop()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [50, 200, 500]
    pki_dir = mailservers.make_private_dir("sheetdesk-bench-pki-")
    pki = mailservers.TestPKI.create(pki_dir)
    dovecot = mailservers.Dovecot(pki).start()
    try:
        print(f"dovecot {dovecot.version}, fetch_chunk 50")
        print(f"{'backlog':>8} {'IMAP round trips':>17} {'poll --once wall s':>19}  outcome")
        for n in sizes:
            trips, wall, summary = measure(n, dovecot, pki_dir)
            print(f"{n:>8} {trips:>17} {wall:>19.2f}  {summary}")
    finally:
        mailservers.stop_all([dovecot])


if __name__ == "__main__":
    main()
