"""Benchmark: arrival -> acknowledgement with ``sheetdesk run`` (IMAP IDLE).

Starts a private Dovecot, an aiosmtpd sink and the Sheets stand-in, runs the
real ``sheetdesk run`` (interval one hour, so only IDLE can wake it) as its own
process, then delivers ``--probes`` messages one at a time (APPEND, as a mail
server's delivery would) and times each from the APPEND to the moment the
acknowledgement reaches the SMTP sink.  Prints every probe, then p50, p95 and
max.  Not a test: figures only.

    .venv/bin/python scripts/bench_idle.py            # 12 probes
    .venv/bin/python scripts/bench_idle.py --probes 20 --gap 3
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from automation import config as config_mod  # noqa: E402
from automation.wiring import init_tabs  # noqa: E402
from tests.cycle.test_e2e_servers import CONFIG  # noqa: E402
from tests.support import mailservers  # noqa: E402
from tests.support.standin import SheetsStandIn  # noqa: E402


def probe(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Probe {n} <probe{n}@customer{n}.example>"
    msg["To"] = "help@acme.example"
    msg["Subject"] = f"Probe {n}: the lamp flickers"
    msg["Message-ID"] = f"<probe-{n}-{time.time_ns()}@customer.example>"
    msg.set_content("Hello, my lamp flickers since yesterday. Can you help?\n")
    return msg.as_bytes()


def acked(smtp: mailservers.SmtpServer, n: int) -> bool:
    return any(f"probe{n}@customer{n}.example" in c.rcpt_tos for c in smtp.messages)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]  # nearest rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probes", type=int, default=12)
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between probes")
    args = parser.parse_args()
    work = mailservers.make_private_dir("sheetdesk-bench-idle-")
    dovecot = mailservers.Dovecot(mailservers.TestPKI.create(work / "pki")).start()
    smtp = mailservers.SmtpServer().start()
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="idle", sheets=("Sheet1",))
    user = dovecot.new_user("idle")
    latencies: list[float] = []
    try:
        with api.serve() as url:
            cfg_path = work / "sheetdesk.toml"
            text = CONFIG.format(
                imap_port=dovecot.port, user=user.name, smtp_port=smtp.port, sheet=sid, api_root=url
            )
            cfg_path.write_text(text)
            env = dict(os.environ, SD_E2E_IMAP_PASSWORD=mailservers.CATCH_ALL_PASSWORD)
            os.environ.update(env)
            init_tabs(config_mod.load(cfg_path))
            cmd = [sys.executable, "-m", "automation.cli", "run", "--config", str(cfg_path)]
            cmd += ["--interval", "3600"]
            log = open(work / "run.log", "wb")  # closed in the finally below
            proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                time.sleep(3.0)  # the first cycle and the IDLE connection
                for n in range(args.probes):
                    start = time.perf_counter()
                    user.append([probe(n)])
                    while not acked(smtp, n):
                        if time.perf_counter() - start > 120 or proc.poll() is not None:
                            raise SystemExit(f"probe {n}: no acknowledgement; see {work}/run.log")
                        time.sleep(0.01)
                    latencies.append(time.perf_counter() - start)
                    print(f"probe {n + 1:>2}: {latencies[-1]:.2f} s", flush=True)
                    time.sleep(args.gap)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
                log.close()
    finally:
        smtp.stop()
        mailservers.stop_all([dovecot])
    print(
        f"arrival -> acknowledgement over {len(latencies)} probes: "
        f"p50 {statistics.median(latencies):.2f} s, p95 {percentile(latencies, 0.95):.2f} s, "
        f"max {max(latencies):.2f} s"
    )


if __name__ == "__main__":
    main()
