"""Issue 11, finding 5: the same configuration on two hosts (two state directories).

Before the mailbox lease, two ``sheetdesk run`` processes on one mailbox and one
sheet, each with its own state directory (two hosts, or the state directory
deleted under a running one), both worked: 150 messages produced 67 emails
delivered twice.  Now the second is refused by the lease in the mailbox before
it reads the sheet, and the backlog is handled once.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, world

THEIRS = "before the lease: 2 runners on 2 state dirs, 150 messages -> 67 emails delivered twice"


def scenario(w: World, count: int) -> tuple[Figure, dict[str, object]]:
    w.load(backlog(count, seed=31))
    w.configure(max_messages=max(10, count // 5))
    other = w.root / "host-b.toml"
    text = w.config.read_text().replace(str(w.state_dir), str(w.root / "state-host-b"))
    other.write_text(text)
    first = w.spawn("run", "--interval", "1")
    second = w.spawn("run", "--interval", "1", config=other)
    deadline = time.monotonic() + 600
    while w.user.count("INBOX") > 0 and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(3)  # let the last cycle's second write and sends finish
    for proc in (first, second):
        proc.send_signal(signal.SIGTERM)
    runs = [w.wait(first), w.wait(second)]
    t = w.tally()
    refused = sum(r.output.count("holds the mailbox lease") for r in runs)
    ours = (
        f"2 runners on 2 state dirs, {count} messages: {t.duplicate_cases} duplicate cases, "
        f"{t.duplicate_emails} duplicate emails, {len(t.lost)} lost, {t.left_in_inbox} left; "
        f"{refused} cycle(s) refused by the lease"
    )
    return Figure("two runners, two hosts", THEIRS, ours), {"tally": t, "runs": runs}


def test_two_runners_on_two_state_dirs_duplicate_nothing(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        figure, _facts = scenario(w, count=60)
        print(figure.ours)
        t = w.tally()
        assert t.duplicate_cases == 0 and t.duplicate_emails == 0, figure.ours
        assert t.lost == [] and t.left_in_inbox == 0, figure.ours
        assert "refused by the lease" in figure.ours and not figure.ours.endswith(
            " 0 cycle(s) refused by the lease"
        )
        assert w.leaks() == []
