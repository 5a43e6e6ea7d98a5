"""Peak memory and time of ``poll --once`` on oversized mail over real IMAP (issue 11).

Five messages of ``--mb`` MB each (default 100) plus 20 ordinary ones go into a
private Dovecot; one ``sheetdesk poll --once`` runs as a child process against
the Sheets stand-in.  Printed: the child's peak RSS, wall time, what was
quarantined and whether the ordinary mail became cases.  Before the size-first
fetch, five 100 MB messages reached 1.56 GB peak RSS.

    .venv/bin/python scripts/bench_bounded_fetch.py [--mb 100] [--count 5]
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TIME = "/usr/bin/time"  # GNU time: the peak RSS of exactly the sheetdesk process
sys.path.insert(0, str(REPO))

from tests.support import mailservers  # noqa: E402
from tests.support.faults import backlog, world  # noqa: E402


def big(n: int, size: int) -> bytes:
    head = (
        f"From: Big {n} <big{n}@customer.example>\r\nTo: help@acme.example\r\n"
        f"Subject: huge attachment {n}\r\nMessage-ID: <big{n}@customer.example>\r\n"
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    line = b"x" * 998 + b"\r\n"
    return head + line * (size // len(line))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--count", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pki_dir = Path(tmp) / "pki"
        pki_dir.mkdir()
        dovecot = mailservers.Dovecot(mailservers.TestPKI.create(pki_dir)).start()
        try:
            _measure(dovecot.new_user(), Path(tmp) / "w", args.mb, args.count)
        finally:
            dovecot.stop()
    return 0


def _measure(user: mailservers.MailUser, root: Path, mb: int, count: int) -> None:
    root.mkdir()
    with world(root, user, max_messages=200) as w:
        # Appended one at a time and never fetched back here, so this process stays
        # small: a forked child's peak RSS would otherwise include the parent's pages.
        for n in range(count):
            w.user.append([big(n, mb * 1024 * 1024)])
            w.inputs[f"big{n}@customer.example"] = f"big:{n}"
        gc.collect()
        w.load(backlog(20, seed=3))
        # Through /usr/bin/time: a child forked straight from this (large) process
        # would count the parent's pages in its peak RSS.
        command = [TIME, "-f", "maxrss_kb=%M", sys.executable, "-m", "automation.cli"]
        command += ["poll", "--once", "--config", str(w.config)]
        start = time.monotonic()
        run = subprocess.run(command, env=w.env(), cwd=REPO, capture_output=True, text=True)
        took = time.monotonic() - start
        peak_kb = int(run.stderr.rsplit("maxrss_kb=", 1)[1].split()[0])
        t = w.tally()
        print(
            f"{count} x {mb} MB + 20 ordinary over IMAP: exit {run.returncode}, "
            f"peak RSS {peak_kb / 1024:.0f} MB, {took:.1f} s; "
            f"{t.quarantine_rows} quarantined, {t.cases} cases, {len(t.lost)} lost, "
            f"{t.duplicate_emails} duplicate emails"
        )


if __name__ == "__main__":
    sys.exit(main())
