"""The SMTP outbox: hands our mail to a submission server with ``smtplib``.

Contract (on top of ``automation.ports.Outbox``):

* Transport: ``tls`` (implicit, 465), ``starttls`` (587; refused with
  ``SecurityError`` if STARTTLS is not offered or fails, never a plaintext
  fallback) or ``plain`` (loopback only, when explicitly allowed).  AUTH is
  used when a username is configured, and only after TLS is up.
* One connection per ``send`` call, with TCP_NODELAY; each email's MAIL,
  RCPT and DATA are pipelined where the server offers PIPELINING
  (``smtp_session.transact``).  The only exception: after a ``421`` (the
  server closing the session) it reconnects once and carries on with the
  messages not yet handed over.
* Per message: ``250`` -> ok; ``4xx`` (421, 451, ...) -> not ok, not
  permanent (retry later); ``5xx`` (550, ...) -> permanent, with the
  server's text.  If some recipients are refused but others accepted, the
  message counts as sent (ok) and ``detail`` names the refused ones: sending
  it again would duplicate it for the others.
* Envelope sender = the From address; envelope recipients = To, Cc and Bcc.
  The Bcc header itself is never transmitted.
* Connection refused, timeout, or a lost connection before anything was
  handed over -> ``OutboxError``.  Bad credentials -> ``AuthError``.
* ``already_sent``: an SMTP server cannot tell, so it asks the optional
  ``sent_checker`` (e.g. ``partial(imap_inbox.find_message_ids, sent_folder)``)
  or answers "none".

Microsoft 365 is switching SMTP AUTH with passwords off (disabled by default
from the end of 2026; "535 5.7.139" / "550 5.7.30" replies); Gmail wants an app
password.  With ``auth = "oauth2"`` the login step (``_authenticate``) signs in
with a bearer token over XOAUTH2 or OAUTHBEARER instead (``smtplib``'s
``auth``), a fresh token per connection from ``automation.adapters.oauth``.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path

from automation.adapters.oauth import sasl
from automation.adapters.oauth.login import Credential, OAuth2Login
from automation.adapters.smtp_session import LOST, transact
from automation.adapters.smtp_session import envelope as envelope  # re-exported
from automation.adapters.smtp_session import reply_text as _text
from automation.adapters.tls import check_plaintext_allowed, client_context, describe_tls_failure
from automation.config import SmtpConfig
from automation.errors import AuthError, ConfigError, OutboxError, SecurityError, TokenServiceError
from automation.ports import SendResult

# Takes a list: any function accepting a Sequence fits, and so does one typed for lists.
SentFolderChecker = Callable[[list[str]], set[str]]


def alive_answer(result: SendResult) -> bool:
    """Whether the server gave a definite answer (not a connection dropped mid-way,
    after which it may or may not hold the message)."""
    return not result.detail.startswith(LOST)


class SmtpOutbox:
    """``Outbox`` over SMTP submission."""

    def __init__(
        self,
        cfg: SmtpConfig,
        password: Credential,
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
        self.mechanism = "LOGIN" if cfg.username else ""  # how the last sign-in went

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
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    cfg.host,
                    cfg.port,
                    local_hostname=helo,
                    timeout=cfg.timeout_seconds,
                    context=context,
                )
            else:
                smtp = smtplib.SMTP(
                    cfg.host, cfg.port, local_hostname=helo, timeout=cfg.timeout_seconds
                )
        except ssl.SSLError as exc:
            raise describe_tls_failure("SMTP", cfg.host, cfg.port, exc) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise OutboxError(f"cannot connect to {self._where()} ({exc})") from exc
        self.connections += 1
        try:
            # Without this, the final dot (a 3-byte write after the body) waits
            # for the server's delayed ACK: ~40 ms per email (Nagle).
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
        """Sign in when a username is set: password login (app passwords
        included), or a bearer token when ``auth = "oauth2"``."""
        if not self.cfg.username:
            return
        try:
            if self.cfg.auth == "oauth2":
                self._oauth2_login(smtp)
            elif isinstance(self._password, OAuth2Login):
                raise ConfigError("outbox.smtp: a token source was given but auth = 'password'")
            else:
                smtp.login(self.cfg.username, self._password.reveal())
        except smtplib.SMTPAuthenticationError as exc:
            hint = ""
            if self.cfg.auth == "oauth2" and isinstance(self._password, OAuth2Login):
                hint = (
                    f"; the token came from {self._password.tokens.describe()}: check that it "
                    "grants sending (Google: https://mail.google.com/; Microsoft: SMTP.SendAsApp "
                    "or SMTP.Send, and SMTP AUTH enabled for the mailbox)"
                )
            raise AuthError(
                f"{self._where()} rejected the login for {self.cfg.username!r} "
                f"({exc.smtp_code} {_text(exc.smtp_error)}){hint}"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise AuthError(
                f"{self._where()} does not offer AUTH; remove outbox.smtp.username "
                "or use the submission port"
            ) from exc
        except TokenServiceError as exc:
            raise OutboxError(f"signing in to {self._where()}: {exc}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise OutboxError(f"login to {self._where()} failed ({exc})") from exc

    def _oauth2_login(self, smtp: smtplib.SMTP) -> None:
        login = self._password
        if not isinstance(login, OAuth2Login):
            raise ConfigError("outbox.smtp.auth = 'oauth2' needs the [oauth2] section")
        if not smtp.has_extn("auth"):
            raise smtplib.SMTPNotSupportedError("AUTH not offered")
        offered = smtp.esmtp_features.get("auth", "").split()
        mechanism = sasl.choose(login.mechanism, offered, self._where())
        token = login.tokens.token(self.cfg.username).value.reveal()
        if mechanism == sasl.XOAUTH2:
            first = sasl.xoauth2(self.cfg.username, token)
        else:
            first = sasl.oauthbearer(self.cfg.username, token, self.cfg.host, self.cfg.port)
        answers = iter([first])

        # The token goes once; a server that refuses it sends a 334 challenge
        # with the error (JSON), which the client must answer with an empty line.
        def respond(challenge: bytes | None = None) -> str:
            return next(answers, "")

        smtp.auth(mechanism, respond, initial_response_ok=True)
        self.mechanism = mechanism

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
        attempt = self._on_attempt
        return transact(smtp, message, mid, (lambda: attempt(mid)) if attempt else None)

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
        login = (
            f"logged in as {self.cfg.username} ({self.mechanism})"
            if self.cfg.username
            else "no login"
        )
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
