"""Two sheetdesk processes on one configuration: the flock lets one run.

django-helpdesk 2.6.1, measured (docs/peers.md): two overlapping runs processed
949 of 1,000 messages twice and sent 901 duplicate acknowledgements.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, world

THEIRS = "2 overlapping runs: 949 of 1,000 messages processed twice, 901 duplicate acks"


def _holder(w: World) -> str:
    try:
        return (w.state_dir / "sheetdesk.lock").read_text().strip()
    except OSError:
        return ""


def scenario(w: World, count: int) -> tuple[Figure, list[str]]:
    w.load(backlog(count, seed=21))
    w.configure(max_messages=max(10, count // 4))
    first = w.spawn("run", "--interval", "1")
    while _holder(w) != str(first.pid) and first.poll() is None:
        time.sleep(0.02)  # wait for an event (the lock file naming the holder), not a time
    second_run = w.cli("run", "--interval", "1")
    second_poll = w.cli("poll", "--once")
    while w.user.count("INBOX") > 0 and first.returncode is None:
        time.sleep(0.2)
    first.send_signal(signal.SIGTERM)  # stops between cycles
    done = w.wait(first)
    t = w.tally()
    said = [
        r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        for r in (second_run, second_poll)
    ]
    ours = (
        f"2 processes on one config: the second exited {second_run.code} (run) and "
        f"{second_poll.code} (poll) saying {said[0]!r}; the first processed "
        f"{t.processed} once (exit {done.code}): {t.duplicate_cases} duplicate cases, "
        f"{t.duplicate_emails} duplicate emails, {len(t.lost)} lost"
    )
    return Figure("two overlapping runs", THEIRS, ours), [
        f"{second_run.code} {said[0]}",
        f"{second_poll.code} {said[1]}",
        str(first.pid),
    ]


def test_second_process_is_refused_and_nothing_doubles(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        figure, said = scenario(w, count=60)
        print(figure.ours)
        t = w.tally()
        pid = said[2]
        for line in said[:2]:
            assert line.startswith("75 ") and f"pid {pid}" in line, line
            assert "another sheetdesk process" in line, line
        assert t.duplicate_cases == 0 and t.duplicate_emails == 0 and t.lost == [], figure.ours
        assert t.left_in_inbox == 0 and w.leaks() == []
