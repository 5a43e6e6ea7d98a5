"""One SMTP mail transaction on an open ``smtplib`` session, without stalls.

Contract: ``transact(smtp, message, before_dot)`` hands one email to the server
and returns ``(SendResult, alive)`` (``alive``: the session can carry the next
email).  The wire sequence is MAIL, RCPT..., DATA, the body, then the final
``.``; ``before_dot`` runs after the body is written and before that dot (the
outbox ledger's ``try`` line), because only from the dot on can the server hold
the message.

Why not ``smtplib.sendmail``: it waits for each command's reply in turn (four
round trips per email) and sends the dot as a separate write after the body.
Here, where the server offers PIPELINING (RFC 2920), MAIL, every RCPT and DATA
go in one write and their replies are read together; without it they go one
by one, exactly as before.  The socket has TCP_NODELAY (set by the outbox), so
the dot's small write leaves at once instead of waiting for the server's
delayed ACK of the body (Nagle), which cost ~42 ms per email.

Replies map as the outbox's contract says: 250 on the dot -> ok (refused
recipients named in ``detail``); 4xx -> temporary; 5xx -> permanent; 421 or a
dropped connection -> the session is gone.
"""

from __future__ import annotations

import copy
import io
import re
import smtplib
from collections.abc import Callable
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import getaddresses

from automation.ports import SendResult
from automation.secrets import scrub

LOST = "connection lost"
_LEADING_DOT = re.compile(rb"(?m)^\.")
_LINE_END = re.compile(rb"\r\n|\r|\n")


def reply_text(reply: bytes | str) -> str:
    """A server reply as one scrubbed line (replies can echo what we sent)."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return scrub(" ".join(text.split()))


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """(sender, recipients) for the SMTP envelope, from the headers."""
    senders = [addr for _, addr in getaddresses([str(v) for v in message.get_all("From", [])])]
    recipients: list[str] = []
    for header in ("To", "Cc", "Bcc"):
        values = [str(v) for v in message.get_all(header, [])]
        recipients += [addr for _, addr in getaddresses(values) if addr]
    return (senders[0] if senders else ""), list(dict.fromkeys(recipients))


def wire_bytes(message: EmailMessage, international: bool) -> bytes:
    """The DATA payload: CRLF line ends, Bcc never transmitted, leading dots
    doubled, ending in CRLF (the terminating dot is sent separately)."""
    out = io.BytesIO()
    policy = message.policy.clone(linesep="\r\n")
    if isinstance(policy, EmailPolicy):
        policy = policy.clone(utf8=international)
    outgoing = copy.copy(message)  # shallow: deleting headers rebinds its own list
    del outgoing["Bcc"]
    del outgoing["Resent-Bcc"]
    BytesGenerator(out, policy=policy).flatten(outgoing, linesep="\r\n")
    body = _LEADING_DOT.sub(b"..", _LINE_END.sub(b"\r\n", out.getvalue()))
    return body if body.endswith(b"\r\n") else body + b"\r\n"


def _refusal(mid: str, code: int, text: str) -> tuple[SendResult, bool]:
    result = SendResult(mid, ok=False, permanent=code >= 500, detail=f"{code} {text}")
    return result, code != 421


def _commands(smtp: smtplib.SMTP, sender: str, recipients: list[str]) -> list[tuple[int, bytes]]:
    """MAIL, RCPT... and DATA, pipelined when offered; the replies in order.
    Without PIPELINING, stops after a refused MAIL or when no RCPT was taken."""
    international = not (sender + "".join(recipients)).isascii()
    options = " SMTPUTF8 BODY=8BITMIME" if international else ""
    lines = [f"MAIL FROM:<{sender}>{options}"] + [f"RCPT TO:<{r}>" for r in recipients] + ["DATA"]
    encoded = [f"{line}\r\n".encode("utf-8" if international else "ascii") for line in lines]
    if smtp.has_extn("pipelining"):
        smtp.send(b"".join(encoded))
        pipelined: list[tuple[int, bytes]] = []
        for _ in encoded:
            pipelined.append(smtp.getreply())
            if pipelined[-1][0] == 421:
                break  # the server is closing: no more replies will come
        return pipelined
    replies: list[tuple[int, bytes]] = []
    for index, line in enumerate(encoded):
        last = index == len(encoded) - 1
        if last and not any(code == 250 for code, _ in replies[1:]):
            break  # no recipient took it: no DATA
        smtp.send(line)
        replies.append(smtp.getreply())
        if index == 0 and replies[0][0] != 250:
            break
    return replies


def _abandon(smtp: smtplib.SMTP, data_code: int | None) -> None:
    """End a transaction that will not carry a message: a DATA the server
    wrongly accepted gets an empty body, then RSET (errors ignored: the next
    command finds out whether the session survived)."""
    try:
        if data_code == 354:
            smtp.send(b".\r\n")
            smtp.getreply()
        smtp.rset()
    except (OSError, smtplib.SMTPException):
        pass


def transact(
    smtp: smtplib.SMTP, message: EmailMessage, mid: str, before_dot: Callable[[], None] | None
) -> tuple[SendResult, bool]:
    """Hand over one message; see the module docstring for the contract."""
    sender, recipients = envelope(message)
    if not sender or not recipients:
        result = SendResult(mid, ok=False, permanent=True, detail="no From or no recipients")
        return result, True
    international = not (sender + "".join(recipients)).isascii()
    if international and not smtp.has_extn("smtputf8"):
        detail = "the server does not offer SMTPUTF8 for these addresses"
        return SendResult(mid, ok=False, permanent=True, detail=detail), True
    try:
        payload = wire_bytes(message, international)
        replies = _commands(smtp, sender, recipients)
        mail_code, mail_text = replies[0]
        rcpt_replies = dict(zip(recipients, replies[1 : 1 + len(recipients)], strict=False))
        data_code = replies[-1][0] if len(replies) == len(recipients) + 2 else None
        if mail_code != 250:
            _abandon(smtp, data_code)
            return _refusal(mid, mail_code, reply_text(mail_text))
        refused = {r: rep for r, rep in rcpt_replies.items() if rep[0] not in (250, 251)}
        if len(refused) == len(recipients):
            _abandon(smtp, data_code)
            codes = [code for code, _ in refused.values()]
            detail = "; ".join(f"{r}: {c} {reply_text(t)}" for r, (c, t) in refused.items())
            result = SendResult(
                mid, ok=False, permanent=all(c >= 500 for c in codes), detail=detail
            )
            return result, all(c != 421 for c in codes)
        if data_code != 354:
            _abandon(smtp, None)
            return _refusal(mid, data_code or 554, reply_text(replies[-1][1]))
        smtp.send(payload)
        if before_dot is not None:
            before_dot()
        smtp.send(b".\r\n")
        code, text = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        return SendResult(mid, ok=False, detail=f"{LOST} ({exc})"), False
    if code != 250:
        return _refusal(mid, code, reply_text(text))
    detail = "; ".join(f"refused {r}: {c} {reply_text(t)}" for r, (c, t) in refused.items())
    return SendResult(mid, ok=True, detail=detail), True
