"""SMTP down for several cycles: cases once, emails held in the Sent log, sent once.

django-helpdesk 2.6.1, measured (docs/peers.md): with SMTP unreachable every
poll created one more duplicate ticket for the first message and processed
nothing else.  Then a 4xx must be retried and a 5xx reported, not retried.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, world

THEIRS = "SMTP outage: a duplicate ticket on every poll, the rest of the queue stuck"


def scenario(w: World, count: int, down_cycles: int) -> tuple[Figure, dict[str, object]]:
    w.load(backlog(count, seed=31))
    w.smtp.stop()
    outage = [w.poll() for _ in range(down_cycles)]
    during = w.tally()
    w.smtp.start()
    back = w.poll()
    after = w.tally()
    # 4xx vs 5xx on fresh mail: one 451 at DATA (retried), one 550 recipient (reported).
    refused = "refused@refused.example"
    fresh = [m for m in backlog(count + 20, seed=32)[count:] if ":new:" in m[0]][:3]
    bad = fresh[0][1].replace(b"@backlog.example>", b"@refused.example>", 1)
    bad = bad.replace(b"From: ", b"X-Old: ", 1).replace(
        b"X-Old: ", f"From: Refused <{refused}>\r\nX-Old: ".encode(), 1
    )
    w.load([*fresh[1:], ("5xx", bad.replace(b"Message-ID: <bl32", b"Message-ID: <x5xx", 1))])
    w.smtp.faults.data_451 = 1
    w.smtp.faults.reject_rcpt = {refused}
    mixed = w.poll()
    retry = w.poll()
    final = w.tally()
    facts: dict[str, object] = {
        "outage": outage,
        "during": during,
        "back": back,
        "after": after,
        "mixed": mixed,
        "retry": retry,
        "final": final,
    }
    ours = (
        f"SMTP down {down_cycles} cycles: {during.cases} cases created once "
        f"({during.duplicate_cases} duplicates), {during.emails} sent, {during.owed} held "
        f"as pending (exit codes {[r.code for r in outage]}); SMTP back: "
        f"{after.emails} sent, {after.duplicate_emails} duplicates, {after.owed} owed; "
        f"451 retried next cycle, 550 marked failed ({final.failed}) and reported "
        f"(exit {mixed.code})"
    )
    return Figure("SMTP outage", THEIRS, ours), facts


def test_smtp_outage_holds_then_sends_once(tmp_path: Path, mail_user: mailservers.MailUser) -> None:
    with world(tmp_path, mail_user) as w:
        figure, f = scenario(w, count=30, down_cycles=3)
        print(figure.ours)
        during, after, final = f["during"], f["after"], f["final"]
        assert during.emails == 0 and during.duplicate_cases == 0  # type: ignore[attr-defined]
        assert during.owed == during.cases - during.suppressed > 0  # type: ignore[attr-defined]
        assert during.health["Emails waiting to be sent"] == str(during.owed)  # type: ignore[attr-defined]
        assert after.owed == 0 and after.duplicate_emails == 0  # type: ignore[attr-defined]
        assert after.emails == during.owed  # type: ignore[attr-defined]
        assert final.duplicate_emails == 0 and final.failed == 1, figure.ours  # type: ignore[attr-defined]
        assert final.owed == 0 and final.lost == [], figure.ours  # type: ignore[attr-defined]
        assert f["mixed"].code == 4  # type: ignore[attr-defined]
        assert w.smtp.faults.data_451 == 0  # the 451 really fired
        # README: "75 try again later (a server was unreachable ...)".
        assert [r.code for r in f["outage"]] == [75, 75, 75], figure.ours  # type: ignore[attr-defined]
        assert w.leaks() == []
