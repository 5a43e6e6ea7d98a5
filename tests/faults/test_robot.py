"""An auto-responder that answers every acknowledgement, without Auto-Submitted.

The robot (``robot@bots.example``) opens a new ticket on its side for each of
our emails and writes back with a fresh subject and no threading headers, so
each answer is a new case here.  At most ``poll.ack_limit_per_sender`` acks
may reach it within the window; the loop must be recorded on the cases.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, world

THEIRS = "no per-sender limit: an auto-responder without Auto-Submitted loops forever"
ROBOT = "robot@bots.example"


def _robot_mail(n: int) -> bytes:
    return (
        f"From: Helpdesk Robot <{ROBOT}>\r\nTo: help@acme.example\r\n"
        f"Subject: Your request ROBO-{n} has been received\r\n"
        f"Message-ID: <robo{n}@bots.example>\r\nDate: Mon, 30 Nov 2026 10:{n:02d}:00 +0000\r\n"
        "Content-Type: text/plain\r\n\r\nThank you, we will get back to you.\r\n"
    ).encode()


def scenario(w: World, rounds: int, limit: int) -> Figure:
    w.configure(ack_limit=limit)
    w.load([("robot:0", _robot_mail(0))])
    answered = 0
    for n in range(1, rounds + 1):
        w.poll()
        to_robot = [m for m in w.smtp.messages if ROBOT in m.rcpt_tos]
        if len(to_robot) > answered:  # the robot answers each new email of ours
            answered = len(to_robot)
            w.load([(f"robot:{n}", _robot_mail(n))])
        else:
            w.load([(f"robot:{n}", _robot_mail(n))])  # it keeps writing on its own, too
    w.poll()
    t = w.tally()
    notes = [c.get("Poller note", "") for c in w.tab("Cases")]
    flagged = sum(1 for note in notes if "auto-responder" in note)
    ours = (
        f"robot wrote {rounds + 1} times: {t.per_recipient[ROBOT]} acks reached it "
        f"(limit {limit}), {t.suppressed} suppressed and recorded, {flagged} cases "
        "carry the loop note"
    )
    return Figure("auto-responder loop", THEIRS, ours)


def test_robot_gets_at_most_the_cap(tmp_path: Path, mail_user: mailservers.MailUser) -> None:
    with world(tmp_path, mail_user) as w:
        figure = scenario(w, rounds=5, limit=2)
        print(figure.ours)
        t = w.tally()
        assert t.per_recipient[ROBOT] == 2, figure.ours
        assert t.suppressed == t.cases - 2 >= 3, figure.ours
        notes = [c.get("Poller note", "") for c in w.tab("Cases")]
        assert sum("auto-responder" in n for n in notes) == t.suppressed, notes
        assert t.duplicate_emails == 0 and t.lost == []
