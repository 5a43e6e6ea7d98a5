"""Opening an IMAP connection: TLS rules, STARTTLS refusal, login, command counting.

``open_client`` returns a logged-in ``CountingClient`` or raises
``SecurityError`` (plaintext not allowed, STARTTLS missing or failed, a bad
certificate), ``AuthError`` (login refused) or ``InboxError`` (unreachable).

Providers:

* Gmail: log in with an *app password* (needs 2-Step Verification); plain
  account passwords stopped working for IMAP in 2024.  Folders are labels:
  moving out of INBOX into ``sheetdesk/processed`` removes the Inbox label and
  adds that one (the mail stays in All Mail).  System folders live under
  ``[Gmail]/`` with localised names, so the Sent folder is found by its
  SPECIAL-USE flag, not its name.  Never point ``processed_folder`` at Trash or
  Spam: Gmail deletes from there, and this adapter refuses those folders.
* Microsoft 365: basic authentication for IMAP was switched off in late 2022,
  and app passwords do not bring it back; it needs OAuth2 (XOAUTH2).

Sign-in is a password (``LOGIN``) or, with ``auth = "oauth2"``, a bearer token
from ``automation.adapters.oauth`` over XOAUTH2 or OAUTHBEARER (imapclient's
``oauth2_login`` / ``oauthbearer_login``).  A client signed in with a token
carries ``renew_at``; ``session_expiring`` tells the inbox to sign in afresh
before the token runs out (Exchange Online ends such sessions at expiry).
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imapclient.imap4 import IMAP4WithTimeout
from imapclient.imapclient import IMAPClient
from imapclient.tls import IMAP4_TLS

from automation.adapters.oauth import sasl
from automation.adapters.oauth.login import Credential, OAuth2Login, renew_at
from automation.adapters.tls import check_plaintext_allowed, client_context, describe_tls_failure
from automation.config import ImapConfig
from automation.errors import AuthError, ConfigError, InboxError, SecurityError, TokenServiceError
from automation.secrets import scrub

log = logging.getLogger(__name__)


class _CountingPlain(IMAP4WithTimeout):  # type: ignore[misc]
    """imaplib over TCP, counting tagged commands (every command gets a new tag)."""

    commands = 0

    def _new_tag(self) -> Any:
        self.commands += 1
        return super()._new_tag()


class _CountingTLS(IMAP4_TLS):  # type: ignore[misc]
    commands = 0

    def _new_tag(self) -> Any:
        self.commands += 1
        return super()._new_tag()


class CountingClient(IMAPClient):  # type: ignore[misc]
    """IMAPClient whose imaplib layer counts commands, including the CAPABILITY
    imaplib sends while connecting (a wrapper installed later would miss it)."""

    renew_at: datetime | None = None  # signed in with a token: sign in afresh from then
    mechanism: str = "LOGIN"

    def _create_IMAP4(self) -> Any:
        connect_timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _CountingTLS(self.host, self.port, self.ssl_context, connect_timeout)
        return _CountingPlain(self.host, self.port, connect_timeout)


def uid_set(uids: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1:3,7"``: short command lines for large batches."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def bare_id(value: str) -> str:
    return value.strip().strip("<>").strip()


def header_search(ids: Sequence[str]) -> str:
    """``OR HEADER Message-ID "a" HEADER Message-ID "b"``, every value quoted.

    Built as one string because imapclient leaves atoms like ``a%b]`` unquoted,
    and those characters are not allowed unquoted in IMAP.
    """
    terms = []
    for mid in ids:
        escaped = mid.replace("\\", "\\\\").replace('"', '\\"')
        terms.append(f'HEADER Message-ID "{escaped}"')
    return " ".join(["OR"] * (len(terms) - 1) + terms)


def _where(cfg: ImapConfig) -> str:
    return f"IMAP server {cfg.host}:{cfg.port}"


def open_client(
    cfg: ImapConfig, password: Credential, base_dir: Path | None, on_abandon: Callable[[int], None]
) -> CountingClient:
    """A connected, upgraded (TLS/STARTTLS) and logged-in client.

    ``on_abandon`` receives the number of commands a connection spent before it
    was given up (a refused STARTTLS, a failed login), so round trips add up.
    """
    context: ssl.SSLContext | None = None
    if cfg.security == "plain":
        check_plaintext_allowed("IMAP", cfg.host, cfg.allow_plaintext_loopback)
    else:
        context = client_context(cfg.ca_file, base_dir)
    try:
        client = CountingClient(
            cfg.host,
            cfg.port,
            ssl=cfg.security == "tls",
            ssl_context=context,
            timeout=cfg.timeout_seconds,
        )
    except ssl.SSLError as exc:
        raise describe_tls_failure("IMAP", cfg.host, cfg.port, exc) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise InboxError(f"cannot connect to {_where(cfg)} ({exc})") from exc
    client.normalise_times = False  # keep INTERNALDATE's own offset
    try:
        if cfg.security == "starttls":
            _starttls(cfg, client, context)
        _authenticate(cfg, password, client)
        # Cache the CAPABILITY that came with the login reply now: SELECT
        # flushes it, and imapclient would then spend a command asking again.
        client.capabilities()
    except BaseException:
        on_abandon(int(client._imap.commands))
        quietly_shutdown(client)
        raise
    return client


def _starttls(cfg: ImapConfig, client: CountingClient, context: ssl.SSLContext | None) -> None:
    if not client.has_capability("STARTTLS"):
        raise SecurityError(
            f"{_where(cfg)} does not offer STARTTLS; refusing to "
            "continue in plaintext (use security = 'tls' if it has port 993)"
        )
    try:
        client.starttls(context)
    except ssl.SSLError as exc:
        raise describe_tls_failure("IMAP", cfg.host, cfg.port, exc) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SecurityError(
            f"STARTTLS with {_where(cfg)} failed ({exc}); refusing to continue in plaintext"
        ) from exc


def _authenticate(cfg: ImapConfig, credential: Credential, client: CountingClient) -> None:
    """Sign in with the password (app passwords included) or, for ``auth =
    "oauth2"``, with a token over the chosen SASL mechanism."""
    if cfg.auth == "oauth2":
        if not isinstance(credential, OAuth2Login):
            raise ConfigError("inbox.imap.auth = 'oauth2' needs the [oauth2] section")
        _oauth2_login(cfg, credential, client)
        return
    if isinstance(credential, OAuth2Login):
        raise ConfigError("inbox.imap: a token source was given but auth = 'password'")
    try:
        client.login(cfg.username, credential.reveal())
    except imaplib.IMAP4.abort as exc:
        raise InboxError(f"{_where(cfg)} dropped the connection during login") from exc
    except imaplib.IMAP4.error as exc:
        hint = ""
        host = cfg.host.lower()
        if host.endswith(("office365.com", "outlook.com")):
            hint = "; Microsoft 365 accepts only OAuth2 for IMAP (auth = 'oauth2')"
        elif host.endswith(("gmail.com", "googlemail.com")):
            hint = "; Gmail needs an app password (2-Step Verification on) or auth = 'oauth2'"
        raise AuthError(
            f"{_where(cfg)} rejected the login for {cfg.username!r} ({scrub(str(exc))}){hint}"
        ) from exc


def _oauth2_login(cfg: ImapConfig, login: OAuth2Login, client: CountingClient) -> None:
    offered = [
        c.decode("ascii", "replace")[5:]
        for c in client.capabilities()
        if c.upper().startswith(b"AUTH=")
    ]
    mechanism = sasl.choose(login.mechanism, offered, _where(cfg))
    try:
        token = login.tokens.token(cfg.username)
    except TokenServiceError as exc:
        raise InboxError(f"signing in to {_where(cfg)}: {exc}") from exc
    try:
        if mechanism == sasl.XOAUTH2:
            client.oauth2_login(cfg.username, token.value.reveal())
        else:
            client.oauthbearer_login(cfg.username, token.value.reveal())
    except imaplib.IMAP4.abort as exc:
        raise InboxError(f"{_where(cfg)} dropped the connection during sign-in") from exc
    except imaplib.IMAP4.error as exc:
        raise AuthError(
            f"{_where(cfg)} refused the {mechanism} sign-in for {cfg.username!r} "
            f"({scrub(str(exc))}); the token came from {login.tokens.describe()}: check that "
            "it grants mail access to this mailbox (Google: the https://mail.google.com/ scope; "
            "Microsoft: IMAP.AccessAsApp plus the Exchange service principal's mailbox "
            "permission, or IMAP.AccessAsUser.All)"
        ) from exc
    client.mechanism = mechanism
    client.renew_at = renew_at(datetime.now(UTC), token.expires_at)


def session_expiring(client: CountingClient) -> bool:
    """Whether a token-signed session should be replaced before its next use."""
    return client.renew_at is not None and datetime.now(UTC) >= client.renew_at


def quietly_shutdown(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # already closed; closing twice is harmless
        log.debug("IMAP socket was already closed")
