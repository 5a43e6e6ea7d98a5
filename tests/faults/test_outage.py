"""IMAP cut mid-FETCH, and the Sheets API failing 30% of calls (429 and 500).

The proxy in front of Dovecot closes the first connections after a chosen
number of bytes (in the middle of a FETCH of 20-200 KB messages); meanwhile the
stand-in answers 429 or 500 to 30% of requests.  Cycles run until the inbox
is empty; the faults are then cleared for one last cycle.  Nothing may be lost
or doubled.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, corpus, world

THEIRS = (
    "IMAP4.abort / SSLError: sys.exit() ends every remaining queue; no retry budget "
    "for the store (not measured as a figure)"
)
CUTS = (250_000, None, 600_000, 40_000, None, 1_500_000)


def scenario(
    w: World, count: int, corpus_count: int | None, max_cycles: int
) -> tuple[Figure, list[int]]:
    w.load(backlog(count, seed=41) + corpus(corpus_count, seed=41))
    w.configure(max_messages=max(40, count // 3))
    w.api.inject(429, probability=0.15, seed=41)
    w.api.inject(500, probability=0.18, seed=42)  # 30% of calls fail, all told
    codes = []
    for _ in range(max_cycles):
        codes.append(w.poll().code)
        if w.user.count("INBOX") == w.tally().inbox_quarantined:
            break
    w.api.clear_faults()
    codes.append(w.poll().code)
    t = w.tally()
    failed = sum(1 for r in w.api.log if r.status != 200)
    cuts = w.proxy.cuts if w.proxy else 0
    ours = (
        f"{cuts} IMAP connections cut mid-stream, {failed} of {len(w.api.log)} Sheets calls "
        f"failed: {len(codes)} cycles (exit codes {codes}), {len(t.lost)} lost, "
        f"{t.duplicate_cases} duplicate cases, {t.duplicate_emails} duplicate emails, "
        f"{t.owed} owed, {t.left_in_inbox} left"
    )
    return Figure("IMAP cut + Sheets 30% errors", THEIRS, ours), codes


def test_cut_connections_and_api_errors_finish_next_cycles(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user, cut_after=CUTS) as w:
        figure, codes = scenario(w, count=80, corpus_count=15, max_cycles=10)
        print(figure.ours)
        t = w.tally()
        assert w.proxy is not None and w.proxy.cuts >= 2, figure.ours
        assert 75 in codes, codes  # a cut cycle says "try again later"
        assert t.lost == [] and t.duplicate_cases == 0 and t.duplicate_emails == 0, figure.ours
        assert t.owed == 0 and t.left_in_inbox == 0, figure.ours
        assert w.leaks() == []
