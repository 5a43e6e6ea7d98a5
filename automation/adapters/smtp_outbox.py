"""The SMTP outbox: hands our mail to a submission server with ``smtplib``.

Contract (on top of ``automation.ports.Outbox``):

* Transport: ``tls`` (implicit, 465), ``starttls`` (587; refused with
  ``SecurityError`` if STARTTLS is not offered or fails, never a plaintext
  fallback) or ``plain`` (loopback only, when explicitly allowed).  AUTH is
  used when a username is configured, and only after TLS is up.
* One connection per ``send`` call.  The only exception: after a ``421`` (the
  server closing the session) it reconnects once and carries on with the
  messages not yet handed over.
* Per message: ``250`` -> ok; ``4xx`` (421, 451, ...) -> not ok, not
  permanent (retry later); ``5xx`` (550, ...) -> permanent, with the
  server's text.  If some recipients are refused but others accepted, the
  message counts as sent (ok) and ``detail`` names the refused ones: sending
  it again would duplicate it for the others.
* Envelope sender = the From address; envelope recipients = To, Cc and Bcc.
  The Bcc header itself is never transmitted (smtplib strips it).
* Connection refused, timeout, or a lost connection before anything was
  handed over -> ``OutboxError``.  Bad credentials -> ``AuthError``.
* ``already_sent``: an SMTP server cannot tell, so it asks the optional
  ``sent_checker`` (e.g. ``partial(imap_inbox.find_message_ids, sent_folder)``)
  or answers "none".

Microsoft 365 is switching SMTP AUTH with passwords off (disabled by default
from the end of 2026; "535 5.7.139" / "550 5.7.30" replies); Gmail wants an app
password.  The login is one method (``_authenticate``) so OAuth2 can slot in.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer

from automation.adapters.tls import check_plaintext_allowed, client_context, describe_tls_failure
from automation.config import SmtpConfig
from automation.errors import AuthError, ConfigError, OutboxError, SecurityError
from automation.ports import SendResult
from automation.secrets import Secret, scrub

# Takes a list: any function accepting a Sequence fits, and so does one typed for lists.
SentFolderChecker = Callable[[list[str]], set[str]]


_LOST = "connection lost"


def alive_answer(result: SendResult) -> bool:
    """Whether the server gave a definite answer (not a connection dropped mid-way,
    after which it may or may not hold the message)."""
    return not result.detail.startswith(_LOST)


class _TrackedSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` whose DATA calls ``before_data`` just before the final
    ``.``: until that line is sent the server cannot hold the message, and from
    then on it may, even if we never hear its reply.  So the attempt is
    recorded (the ledger's "try" line) at the last moment that is still safe,
    and the unsure window is only the server's own processing of the dot."""

    before_data: Callable[[], None] | None = None

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        return _data(self, msg)


class _TrackedSMTPSSL(smtplib.SMTP_SSL):
    before_data: Callable[[], None] | None = None

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        return _data(self, msg)


def _data(smtp: _TrackedSMTP | _TrackedSMTPSSL, msg: Buffer | str) -> tuple[int, bytes]:
    """RFC 5321 DATA as smtplib does it (CRLF line ends, leading dots doubled),
    with the terminating dot sent on its own after the hook."""
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    if isinstance(msg, str):  # like smtplib: only text gets its line ends fixed
        text = re.sub(r"\r\n|\r|\n", "\r\n", msg).encode("ascii")
    else:
        text = bytes(msg)
    body = re.sub(rb"(?m)^\.", b"..", text)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    hook, smtp.before_data = smtp.before_data, None  # one hook per message
    if hook is not None:
        hook()
    smtp.send(b".\r\n")
    return smtp.getreply()


def _text(reply: bytes | str) -> str:
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


class SmtpOutbox:
    """``Outbox`` over SMTP submission."""

    def __init__(
        self,
        cfg: SmtpConfig,
        password: Secret,
        *,
        sent_checker: SentFolderChecker | None = None,
        base_dir: Path | None = None,
        on_accepted: Callable[[str], None] | None = None,
        on_attempt: Callable[[str], None] | None = None,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        if not cfg.host:
            raise ConfigError("outbox.smtp.host: required")
        self.cfg = cfg
        self._on_accepted = on_accepted
        self._on_attempt = on_attempt
        self._on_refused = on_refused
        self._password = password
        self._sent_checker = sent_checker
        self._base_dir = base_dir
        self.connections = 0  # opened by this outbox, for tests and benchmarks

    def _where(self) -> str:
        return f"SMTP server {self.cfg.host}:{self.cfg.port}"

    def _context(self) -> ssl.SSLContext:
        return client_context(self.cfg.ca_file, self._base_dir)

    def _open(self) -> smtplib.SMTP:
        cfg = self.cfg
        if cfg.security == "plain":
            check_plaintext_allowed("SMTP", cfg.host, cfg.allow_plaintext_loopback)
        context = None if cfg.security == "plain" else self._context()
        # An explicit EHLO name: smtplib would otherwise call getfqdn(), which
        # can stall for seconds on DNS.
        helo = socket.gethostname() or "localhost"
        try:
            if cfg.security == "tls":
                smtp: smtplib.SMTP = _TrackedSMTPSSL(
                    cfg.host,
                    cfg.port,
                    local_hostname=helo,
                    timeout=cfg.timeout_seconds,
                    context=context,
                )
            else:
                smtp = _TrackedSMTP(
                    cfg.host, cfg.port, local_hostname=helo, timeout=cfg.timeout_seconds
                )
        except ssl.SSLError as exc:
            raise describe_tls_failure("SMTP", cfg.host, cfg.port, exc) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise OutboxError(f"cannot connect to {self._where()} ({exc})") from exc
        self.connections += 1
        try:
            smtp.ehlo()
            if cfg.security == "starttls":
                self._starttls(smtp, context)
            self._authenticate(smtp)
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp

    def _starttls(self, smtp: smtplib.SMTP, context: ssl.SSLContext | None) -> None:
        if not smtp.has_extn("starttls"):
            raise SecurityError(
                f"{self._where()} does not offer STARTTLS; refusing to "
                "continue in plaintext (use security = 'tls' for port 465)"
            )
        try:
            code, reply = smtp.starttls(context=context)
        except ssl.SSLError as exc:
            raise describe_tls_failure("SMTP", self.cfg.host, self.cfg.port, exc) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SecurityError(
                f"STARTTLS with {self._where()} failed ({exc}); refusing to continue in plaintext"
            ) from exc
        if code != 220:
            raise SecurityError(
                f"{self._where()} refused STARTTLS ({code} {_text(reply)}); "
                "refusing to continue in plaintext"
            )
        smtp.ehlo()

    def _authenticate(self, smtp: smtplib.SMTP) -> None:
        """Password login (app passwords included) when a username is set."""
        if not self.cfg.username:
            return
        try:
            smtp.login(self.cfg.username, self._password.reveal())
        except smtplib.SMTPAuthenticationError as exc:
            raise AuthError(
                f"{self._where()} rejected the login for {self.cfg.username!r} "
                f"({exc.smtp_code} {_text(exc.smtp_error)})"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise AuthError(
                f"{self._where()} does not offer AUTH; remove outbox.smtp.username "
                "or use the submission port"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise OutboxError(f"login to {self._where()} failed ({exc})") from exc

    def send(self, messages: Sequence[EmailMessage]) -> list[SendResult]:
        if not messages:
            return []
        smtp: smtplib.SMTP | None = self._open()
        reconnected = False
        results: list[SendResult] = []
        try:
            for message in messages:
                mid = str(message.get("Message-ID", "")).strip().strip("<>").strip()
                if smtp is None:
                    results.append(SendResult(mid, ok=False, detail="not tried: connection lost"))
                    continue
                result, alive = self._send_one(smtp, message, mid)
                results.append(result)
                if result.ok and self._on_accepted is not None:
                    # Recorded before the next email: a crash now cannot resend this one.
                    self._on_accepted(mid)
                elif not result.ok and alive_answer(result) and self._on_refused is not None:
                    self._on_refused(mid)  # the server answered: it does not hold this one
                if not alive:
                    _quietly_close(smtp)
                    smtp = None
                    if not reconnected:
                        reconnected = True
                        try:
                            smtp = self._open()
                        except (OutboxError, SecurityError, AuthError):
                            smtp = None  # the rest are reported as not tried
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (OSError, smtplib.SMTPException):
                    _quietly_close(smtp)
        return results

    def _send_one(
        self, smtp: smtplib.SMTP, message: EmailMessage, mid: str
    ) -> tuple[SendResult, bool]:
        """Hand over one message; returns the result and whether the session survives."""
        sender, recipients = envelope(message)
        if not sender or not recipients:
            return SendResult(
                mid, ok=False, permanent=True, detail="message has no From or no recipients"
            ), True
        if isinstance(smtp, _TrackedSMTP | _TrackedSMTPSSL) and self._on_attempt is not None:
            attempt = self._on_attempt
            smtp.before_data = lambda: attempt(mid)
        try:
            refused = smtp.send_message(message, from_addr=sender, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(
                f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in exc.recipients.items()
            )
            return SendResult(
                mid, ok=False, permanent=all(c >= 500 for c in codes), detail=detail
            ), all(c != 421 for c in codes)
        except smtplib.SMTPResponseException as exc:  # sender refused, DATA error, ...
            code = exc.smtp_code
            return (
                SendResult(
                    mid, ok=False, permanent=code >= 500, detail=f"{code} {_text(exc.smtp_error)}"
                ),
                code != 421,
            )
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            return SendResult(mid, ok=False, detail=f"{_LOST} ({exc})"), False
        detail = "; ".join(
            f"refused {rcpt}: {code} {_text(text)}" for rcpt, (code, text) in refused.items()
        )
        return SendResult(mid, ok=True, detail=detail), True

    def already_sent(self, message_ids: Sequence[str]) -> set[str]:
        if self._sent_checker is None or not message_ids:
            return set()
        return set(self._sent_checker(list(message_ids)))

    def probe(self) -> str:
        """Connect, upgrade, log in, NOOP, QUIT: a one-line status for ``check``."""
        smtp = self._open()
        try:
            code, _ = smtp.noop()
            size = smtp.esmtp_features.get("size", "")
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                _quietly_close(smtp)
        login = f"logged in as {self.cfg.username}" if self.cfg.username else "no login"
        limit = f", size limit {size} bytes" if size else ""
        return (
            f"SMTP {self.cfg.host}:{self.cfg.port} ({self.cfg.security}): {login}, "
            f"NOOP {code}{limit}"
        )


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass  # already closed
