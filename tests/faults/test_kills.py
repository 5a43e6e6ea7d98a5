"""kill -9 at seeded points through a backlog run, then one clean run.

django-helpdesk 2.6.1, measured (docs/peers.md): 5 kills gave 5 extra tickets
and 3 duplicate acknowledgements.  Here: every kill lands at a seeded point
(mid-FETCH, just before a Sheets request is answered, mid-send), each
``sheetdesk run`` is SIGKILLed there, and after the last one a single clean
``poll --once`` must leave 0 lost, 0 duplicate cases and 0 duplicate emails.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, corpus, kill_points, world

THEIRS = "5 kills: 5 extra tickets (2 empty orphans), 3 duplicate acknowledgements, 0 lost"


def scenario(w: World, kills: int, seed: int) -> tuple[Figure, list[str]]:
    """Kill ``kills`` times, then one clean cycle; returns the figure and the kill log."""
    w.configure(max_messages=30)
    done = []
    for point in kill_points(kills, seed):
        run = w.run_until_killed(point)
        done.append(f"{point.describe()}: {'killed' if run.killed else f'exit {run.code}'}")
    w.configure(max_messages=5000)
    w.poll()
    t = w.tally()
    ours = (
        f"{kills} kills + 1 clean run: {len(t.lost)} lost, {t.duplicate_cases} duplicate "
        f"cases, {t.duplicate_emails} duplicate emails, {t.owed} owed, "
        f"{t.left_in_inbox} left in the inbox ({t.line()})"
    )
    return Figure("kill -9", THEIRS, ours), done


def test_kills_lose_nothing_and_duplicate_nothing(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user, proxy=True) as w:
        w.load(backlog(100) + corpus(20))
        figure, done = scenario(w, kills=5, seed=6)
        t = w.tally()
        print(figure.ours, *done, t.lost, sep="\n")
        assert all("killed" in d for d in done), done
        assert t.lost == [] and t.duplicate_cases == 0 and t.duplicate_emails == 0, figure.ours
        assert t.owed == 0 and t.left_in_inbox == 0, figure.ours
        assert t.sent_not_delivered == 0 and t.delivered_not_recorded == 0, figure.ours
        assert max(t.cases_per_id) <= 1
