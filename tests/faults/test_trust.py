"""Issue 11 as fault-harness scenarios: real Dovecot, aiosmtpd, the Sheets stand-in,
the real ``sheetdesk`` command.

* **vanishing ids**: customers whose mailers reuse a Message-ID another customer
  already used; before, each was counted "1 duplicate" and moved away with no row.
* **hijack**: strangers write ``Re: [Case #N]`` or put a victim's Message-ID in
  In-Reply-To; before, their text became the victim's "Latest from customer",
  the priority and route changed and a Resolved case reopened.
* **team clears poller cells**: Thread IDs cleared on every row, then the
  originals re-delivered and replies that match only by In-Reply-To; before, a
  second case and a second acknowledgement each.
* **poison characters**: NUL/ESC/form feed in subjects and bodies, invalid UTF-8
  in Message-IDs: each becomes a case on the Sheets path too, nothing behind waits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from automation.sheet.threads import split_ids
from tests.support import mailservers
from tests.support.faults import Figure, World, rows_of, world

WHEN = format_datetime(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))


def _mail(sender: str, subject: str, mid: str, body: str = "Please help.", **extra: str) -> bytes:
    head = "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in extra.items())
    return (
        f"From: {sender}\r\nTo: help@acme.example\r\nSubject: {subject}\r\nDate: {WHEN}\r\n"
        f"Message-ID: <{mid}>\r\n{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def _cases(w: World) -> list[dict[str, str]]:
    return rows_of(w.api.grid(w.sid, "Cases"))


def _emails(w: World) -> list[str]:
    return [str(m.message.get("Message-ID", "")) for m in w.smtp.messages]


def scenario(w: World, count: int) -> tuple[Figure, dict[str, int]]:
    # 1. vanishing ids: `count` customers, then `count` more reusing their ids.
    first = [
        _mail(f"c{i}@one.example", f"Lamp {i} broken", f"shared{i}@mailer.example")
        for i in range(count)
    ]
    reused = [
        _mail(f"d{i}@two.example", f"Invoice {i} wrong", f"shared{i}@mailer.example")
        for i in range(count)
    ]
    w.user.append(first)
    w.poll()
    w.user.append(reused)
    w.poll()
    cases = _cases(w)
    senders = {c["Customer email"] for c in cases}
    vanished = sum(1 for i in range(count) if f"d{i}@two.example" not in senders)
    # 2. hijack: a stranger per victim, by subject tag and by In-Reply-To; victims resolved.
    status_col = w.api.grid(w.sid, "Cases")[0].index("Status")
    before = {c["Case ID"]: dict(c) for c in cases}
    for row in range(1, len(cases) + 1):
        w.api.human.edit_cell(w.sid, "Cases", row, status_col, "Resolved")
    victims = [c for c in cases if c["Customer email"].endswith("@one.example")]
    attacks = []
    for n, victim in enumerate(victims):
        number = victim["Case ID"].split("-")[-1]
        attacks.append(
            _mail(
                "Eve <eve@attacker.example>",
                f"Re: [Case #{number}]",
                f"evil-t{n}@attacker.example",
                "Our bank details changed: pay IBAN XX00 EVIL",
            )
        )
        attacks.append(
            _mail(
                "Eve <eve@attacker.example>",
                "bank details",
                f"evil-r{n}@attacker.example",
                "Send the refund to eve@attacker.example",
                In_Reply_To=f"<shared{n}@mailer.example>",
            )
        )
    w.user.append(attacks)
    w.poll()
    after = {c["Case ID"]: c for c in _cases(w)}
    watched = ("Latest from customer", "Priority (auto)", "Routed to", "Messages")
    hijacked = sum(
        1
        for cid, old in before.items()
        if any(after[cid].get(k) != old.get(k) for k in watched)
        or "REOPENED" in after[cid].get("Poller note", "")
        or "EVIL" in after[cid].get("Latest from customer", "")
    )
    marked = sum(
        1 for c in after.values() if c.get("Poller note", "").startswith("DIFFERENT SENDER")
    )
    # 3. the team clears every Thread IDs cell; originals re-delivered, replies by In-Reply-To.
    grid = w.api.grid(w.sid, "Cases")
    thread_col = grid[0].index("Thread IDs")
    acks = {r[0]: split_ids(r[thread_col])[1:2] for r in grid[1:] if len(r) > thread_col}
    for row in range(1, len(grid)):
        w.api.human.edit_cell(w.sid, "Cases", row, thread_col, "")
    cases_before, emails_before = len(_cases(w)), len(_emails(w))
    replies = [
        _mail(
            f"c{i}@one.example",
            "thanks",
            f"reply{i}@one.example",
            "Any news?",
            In_Reply_To=f"<{acks[victims[i]['Case ID']][0]}>",
        )
        for i in range(count)
        if acks.get(victims[i]["Case ID"])
    ]
    w.user.append(first + replies)
    w.poll()
    new_cases = len(_cases(w)) - cases_before
    acks_again = sum(1 for mid in _emails(w)[emails_before:] if ".ack." in mid)
    # 4. poison characters on the Sheets path.
    poison = [
        _mail(
            f"p{i}@three.example",
            f"Refund\x00 now\x01\x1b[31m\x0c {i}",
            f"poison{i}\x01@three.example",
            "Body with \x00 NUL and \x1b escape",
        )
        for i in range(count)
    ]
    w.user.append([*poison, _mail("ok@four.example", "Behind the poison", "ok@four.example")])
    run = w.poll()
    poisoned = sum(1 for c in _cases(w) if c["Customer email"].startswith("p"))
    behind = any(c["Customer email"] == "ok@four.example" for c in _cases(w))
    t = w.tally()
    figures = {
        "vanished": vanished,
        "hijacked": hijacked,
        "marked": marked,
        "attacks": len(attacks),
        "duplicate cases after clearing": new_cases,
        "second acks after clearing": acks_again,
        "poison cases": poisoned,
        "poison exit": run.code,
        "behind": int(behind),
        "duplicate emails": t.duplicate_emails,
        "left in inbox": t.left_in_inbox,
    }
    ours = (
        f"{count} reused ids: {vanished} vanished; {len(attacks)} hijack attempts: {hijacked} "
        f"cases changed, {marked} marked DIFFERENT SENDER; Thread IDs cleared on every row: "
        f"{new_cases} duplicate cases, {acks_again} second acknowledgements; {count} poison "
        f"messages: {poisoned} cases, mail behind {'through' if behind else 'STUCK'} "
        f"(exit {run.code}); {t.duplicate_emails} duplicate emails overall"
    )
    return Figure("trust (issue 11)", "before: every one of these failed", ours), figures


def test_trust_scenarios(tmp_path: Path, mail_user: mailservers.MailUser) -> None:
    with world(tmp_path, mail_user) as w:
        figure, f = scenario(w, count=6)
        print(figure.ours)
        assert f["vanished"] == 0, figure.ours
        assert f["hijacked"] == 0 and f["marked"] == f["attacks"], figure.ours
        assert f["duplicate cases after clearing"] == 0, figure.ours
        assert f["second acks after clearing"] == 0, figure.ours
        assert f["poison cases"] == 6 and f["behind"] == 1 and f["poison exit"] == 0, figure.ours
        assert f["duplicate emails"] == 0 and f["left in inbox"] == 0, figure.ours
        assert w.leaks() == []
