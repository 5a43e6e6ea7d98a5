"""Poison messages: quarantined with a reason, never blocking the mail behind them.

django-helpdesk 2.6.1, measured (docs/peers.md): one ``charset=unknown-8bit``
message left the 40 messages behind it stuck on every run, exit code 0.
Here the poison sits in the middle of the backlog; one ``poll --once`` must
quarantine it (reason in the Quarantine tab, message tagged in the inbox),
handle every message behind it in the same cycle, exit 4, and say so in the
Health tab.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, world

THEIRS = "1 bad charset: 40 messages stuck forever, exit code 0"
MAX_BYTES = 2_000_000


def _mail(n: int, headers: str, body: bytes = b"Please help.\r\n") -> bytes:
    return (
        f"From: Poison {n} <poison{n}@customer.example>\r\nTo: help@acme.example\r\n"
        f"Date: Mon, 30 Nov 2026 09:{n:02d}:00 +0000\r\n"
        f"Message-ID: <poison{n}@customer.example>\r\n{headers}\r\n"
    ).encode() + body


def poison() -> list[tuple[str, bytes]]:
    """Messages that break parsing, decoding or templates, each labelled."""
    return [
        ("poison:not-mail", b"\x00\x01\x02 this is not an email at all \xff\xfe\r\n" * 20),
        (
            "poison:over-size",
            _mail(1, "Subject: huge\r\nContent-Type: text/plain\r\n", b"x" * (MAX_BYTES + 1000)),
        ),
        (
            "poison:unknown-8bit",
            _mail(
                2,
                "Subject: =?unknown-8bit?q?Gr=FC=DFe?=\r\n"
                "Content-Type: text/plain; charset=unknown-8bit\r\n"
                "Content-Transfer-Encoding: 8bit\r\n",
                "Grüße aus Köln\r\n".encode("latin-1"),
            ),
        ),
        (
            "poison:bogus-charset",
            _mail(
                3,
                "Subject: bogus\r\n"
                "Content-Type: text/plain; charset=x-no-such-charset\r\n"
                "Content-Transfer-Encoding: base64\r\n",
                b"!!!not b64\r\n",
            ),
        ),
        (
            "poison:template-syntax",
            _mail(4, "Subject: {{ 7*7 }} {% for x in y %}\r\nContent-Type: text/plain\r\n").replace(
                b"From: Poison 4", b"From: {{ config }}{% raw %}"
            ),
        ),
        (
            "poison:unsendable-address",
            _mail(5, "Subject: my address has no dot\r\nContent-Type: text/plain\r\n").replace(
                b"poison5@customer.example>", b"root@localhost>"
            ),
        ),
    ]


def scenario(w: World, before: int, after: int) -> tuple[Figure, dict[str, object]]:
    mail = backlog(before + after, seed=11)
    # One cycle must take the whole backlog: the point is what happens behind the poison.
    w.configure(max_bytes=MAX_BYTES, max_messages=before + after + 50)
    w.load(mail[:before] + poison() + mail[before:])
    run = w.poll()
    again = w.poll()  # a poison that survives one cycle shows up here too
    t = w.tally()
    reasons = [r.get("Reason", "") for r in w.tab("Quarantine")]
    behind = [label for label in (lbl for lbl, _ in mail[before:]) if label in t.lost]
    facts: dict[str, object] = {"run": run, "tally": t, "reasons": reasons, "behind": behind}
    ours = (
        f"{len(poison())} poison messages among {before + after}: exit {run.code} "
        f"(then {again.code}), "
        f"{t.inbox_quarantined} quarantined with reasons, {t.left_in_inbox} stuck, "
        f"{len(t.lost)} lost, Health quarantine count "
        f"{t.health.get('Quarantined messages (total)', '?')}, emails owed {t.owed}"
    )
    return Figure("poison messages", THEIRS, ours), facts


def test_poison_is_quarantined_and_the_rest_flows(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        figure, facts = scenario(w, before=20, after=20)
        print(figure.ours, facts["reasons"], w.tally().lost, sep="\n")  # type: ignore[attr-defined]
        t = w.tally()
        run = facts["run"]
        assert run.code == 4, run.output  # type: ignore[attr-defined]
        assert facts["behind"] == [] and t.lost == [], figure.ours
        assert t.inbox_quarantined == t.quarantine_rows >= 2, figure.ours
        assert all(facts["reasons"]), facts["reasons"]
        assert t.left_in_inbox == 0, figure.ours  # nothing waits behind the poison
        assert t.owed == 0 and t.duplicate_emails == 0, figure.ours
        assert w.leaks() == []
        # The Health tab counts what this very cycle quarantined.
        assert t.health["Quarantined messages (total)"] == str(t.quarantine_rows), t.health
