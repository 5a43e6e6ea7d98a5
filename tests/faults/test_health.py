"""The Health tab, read from the outside, and ``sheetdesk check`` on an unhealthy poller.

The Health tab must show: the last successful cycle, the backlog, the
quarantine count, the outbox queue and the last error.  ``check`` must exit
non-zero when the poller is unhealthy (its last cycles failed, or it stopped)
even though every server answers.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import World, backlog, world


def _health(w: World) -> dict[str, str]:
    return {r.get("What", ""): r.get("Value", "") for r in w.tab("Health")}


def test_health_tab_shows_the_five_facts(tmp_path: Path, mail_user: mailservers.MailUser) -> None:
    with world(tmp_path, mail_user) as w:
        w.load(backlog(40, seed=71))
        w.configure(max_messages=25)
        w.smtp.stop()
        w.poll()
        health = _health(w)
        print(health)
        keys = " | ".join(health).lower()
        assert "last successful" in keys, health
        assert "backlog" in keys or "waiting in the inbox" in keys, health
        assert health["Emails waiting to be sent"] != "0", health
        assert health["Last error"], health  # SMTP was down
        assert "quarantine" in keys


def test_check_exits_non_zero_when_the_poller_is_unhealthy(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        w.load(backlog(10, seed=72))
        assert w.poll().code == 0
        assert w.cli("check").code == 0  # healthy: every check passes
        # The poller stopped three hours ago (its Health tab says so).
        rows = w.api.grid(w.sid, "Health")
        row = next(i for i, r in enumerate(rows) if r and r[0] == "Last cycle")
        w.api.human.edit_cell(w.sid, "Health", row, 1, "2020-01-01 09:00+00:00")
        stale = w.cli("check")
        print(stale.stdout)
        assert stale.code != 0, stale.stdout
        assert "health" in stale.stdout.lower(), stale.stdout
