"""The local state directory deleted between cycles: nothing re-sent, nothing re-created.

The state (IMAP checkpoint, sent ledger, lock file) is documented as a cache
the sheet and the mailbox make redundant.  Here it is deleted after a cycle,
the same messages are delivered again (a re-delivery, or a person moving them
back to the inbox), and new mail arrives with them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, world

THEIRS = "no Message-ID dedupe: the same message delivered twice gives 2 tickets"


def scenario(w: World, count: int) -> Figure:
    mail = backlog(count + count // 2, seed=51)
    w.load(mail[:count])
    w.poll()
    before = w.tally()
    shutil.rmtree(w.state_dir)
    w.load(mail[: count // 2] + mail[count:])  # old ones again, and new ones
    w.smtp.stop()  # and an outage, so the new acknowledgements are owed ...
    w.poll()
    shutil.rmtree(w.state_dir)  # ... when the state goes again
    w.smtp.start()
    w.poll()
    t = w.tally()
    ours = (
        f"state deleted twice: {t.duplicate_cases} duplicate cases, "
        f"{t.duplicate_emails} duplicate emails ({before.emails} before, {t.emails} "
        f"after for {t.cases} cases), {t.owed} owed, {t.left_in_inbox} left"
    )
    return Figure("local state deleted", THEIRS, ours)


def test_deleting_the_state_resends_and_recreates_nothing(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        figure = scenario(w, count=30)
        print(figure.ours)
        t = w.tally()
        assert t.duplicate_cases == 0 and t.duplicate_emails == 0, figure.ours
        assert t.owed == 0 and t.left_in_inbox == 0 and t.lost == [], figure.ours
        assert w.leaks() == []
