"""Building the ports from the configuration: the only place adapters are chosen.

The embedded default (Maildir inbox, .xlsx workbook, folder of .eml files) needs
no accounts; each real adapter (IMAP, Google Sheets, SMTP) is picked by
``kind`` in its config section.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from automation.adapters.oauth.login import OAuth2Login
from automation.config import Config
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime
from automation.errors import ConfigError, SheetdeskError, TokenError, TokenServiceError
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.ports import CaseStore, Inbox, Lease, MailWatcher, Outbox, TokenSource
from automation.secrets import Secret, resolve
from automation.state import FileStateDir

log = logging.getLogger("sheetdesk.signin")


def build_store(cfg: Config) -> CaseStore:
    if cfg.store.kind == "sheets":
        from automation.adapters.sheets.store import SheetsStore

        return SheetsStore(cfg.store.sheets, base_dir=cfg.base_dir)
    from automation.adapters.workbook_store import WorkbookStore

    return WorkbookStore(cfg.path(cfg.store.workbook.path))


def build_tokens(cfg: Config) -> TokenSource | None:
    """The OAuth2 token source shared by IMAP and SMTP, or None when neither
    signs in with ``auth = "oauth2"``.  Build it once per process: it keeps the
    current token per mailbox and refreshes it ahead of expiry."""
    from automation.adapters.oauth.sources import build

    return build(cfg)


def _credential(
    cfg: Config, key: str, auth: str, env: str, file: str, tokens: TokenSource | None
) -> Secret | OAuth2Login:
    if auth == "oauth2":
        source = tokens if tokens is not None else build_tokens(cfg)
        assert source is not None  # auth = "oauth2" on this very server
        return OAuth2Login(source, cfg.oauth2.mechanism)
    return _ascii(key, resolve(key, env, file, Path(cfg.base_dir)))


def _ascii(key: str, secret: Secret) -> Secret:
    """IMAP LOGIN and SMTP AUTH PLAIN/LOGIN as the standard library sends them carry
    ASCII only; a non-ASCII password used to end in a UnicodeEncodeError traceback."""
    if secret and not secret.reveal().isascii():
        raise ConfigError(
            f"{key}: the password contains non-ASCII characters, which the login "
            "command cannot carry; set an ASCII password (or an app password) for this account"
        )
    return secret


def build_inbox(cfg: Config, tokens: TokenSource | None = None) -> Inbox:
    if cfg.inbox.kind == "imap":
        from automation.adapters.imap.inbox import ImapInbox

        imap = cfg.inbox.imap
        password = _credential(
            cfg, "inbox.imap.password", imap.auth, imap.password_env, imap.password_file, tokens
        )
        return ImapInbox(
            imap,
            password,
            cfg.path(cfg.poll.state_dir),
            base_dir=Path(cfg.base_dir),
            max_bytes=cfg.poll.max_message_bytes,
        )
    from automation.adapters.maildir_inbox import MaildirInbox

    return MaildirInbox(cfg.inbox.maildir, Path(cfg.base_dir), cfg.poll.max_message_bytes)


def build_watcher(cfg: Config, tokens: TokenSource | None = None) -> MailWatcher:
    """What ``sheetdesk run`` waits on between cycles: IMAP IDLE, or the Maildir."""
    if cfg.inbox.kind == "imap":
        from automation.adapters.imap.idle import ImapWatcher

        imap = cfg.inbox.imap
        password = _credential(
            cfg, "inbox.imap.password", imap.auth, imap.password_env, imap.password_file, tokens
        )
        return ImapWatcher(imap, password, Path(cfg.base_dir))
    from automation.adapters.maildir_watcher import MaildirWatcher

    path = Path(cfg.inbox.maildir.path).expanduser()  # as MaildirInbox resolves it
    return MaildirWatcher(path if path.is_absolute() else Path(cfg.base_dir) / path)


def build_outbox(
    cfg: Config,
    inbox: Inbox | None = None,
    ledger: Ledger | None = None,
    tokens: TokenSource | None = None,
) -> Outbox:
    if cfg.outbox.kind == "smtp":
        from automation.adapters.smtp_outbox import SmtpOutbox

        smtp = cfg.outbox.smtp
        password = _credential(
            cfg, "outbox.smtp.password", smtp.auth, smtp.password_env, smtp.password_file, tokens
        )
        checker = None
        # An empty sent_folder means "the server's \\Sent folder" to the IMAP adapter.
        sent_folder = cfg.inbox.imap.sent_folder
        if cfg.inbox.kind == "imap" and inbox is not None:
            finder = getattr(inbox, "find_message_ids", None)
            if finder is not None:

                def checker(ids: list[str]) -> set[str]:
                    found: set[str] = finder(sent_folder, ids)
                    return found

        return SmtpOutbox(
            smtp,
            password,
            sent_checker=checker,
            base_dir=Path(cfg.base_dir),
            on_accepted=ledger.add_one if ledger is not None else None,
            on_attempt=ledger.attempt if ledger is not None else None,
            on_refused=ledger.refused if ledger is not None else None,
        )
    from automation.adapters.file_outbox import FileOutbox

    return FileOutbox(cfg.outbox.files, Path(cfg.base_dir))


def build_templates(cfg: Config) -> TemplateSet:
    owner = cfg.path(cfg.templates.path) if cfg.templates.path else None
    return TemplateSet(owner, sample_context(cfg))


def build_lease(cfg: Config, inbox: Inbox) -> Lease:
    """One runner per mailbox (issue 11): stale after three intervals (at least 5 min)."""
    make = getattr(inbox, "lease", None)
    if make is not None:
        stale = timedelta(seconds=max(3 * cfg.poll.interval_seconds, 300))
        lease: Lease = make(stale)
        return lease
    from automation.adapters.maildir_lease import MaildirLease

    root = getattr(inbox, "root", None)
    return MaildirLease(root if isinstance(root, Path) else cfg.path(cfg.poll.state_dir))


def build_runtime(cfg: Config, tokens: TokenSource | None = None) -> Runtime:
    inbox = build_inbox(cfg, tokens)
    state = FileStateDir(cfg.path(cfg.poll.state_dir))
    ledger = Ledger(state)
    return Runtime(
        config=cfg,
        inbox=inbox,
        outbox=build_outbox(cfg, inbox, ledger, tokens),
        store=build_store(cfg),
        templates=build_templates(cfg),
        decisions=DecisionSource(state),
        ledger=ledger,
        state=state,
        lease=build_lease(cfg, inbox),
    )


def init_tabs(cfg: Config) -> list[str]:
    from automation.sheet.tab_specs import all_tab_specs

    return build_store(cfg).initialize(all_tab_specs())


def oauth2_users(cfg: Config) -> list[str]:
    """The mailboxes that sign in with a token (usually one address for both)."""
    users = []
    if cfg.inbox.kind == "imap" and cfg.inbox.imap.auth == "oauth2":
        users.append(cfg.inbox.imap.username)
    if cfg.outbox.kind == "smtp" and cfg.outbox.smtp.auth == "oauth2":
        users.append(cfg.outbox.smtp.username)
    return list(dict.fromkeys(users))


def sign_in(cfg: Config, tokens: TokenSource | None, store: CaseStore, now: datetime) -> None:
    """Before a cycle: make sure each OAuth2 mailbox has a token with time left
    (a refresh ahead of expiry happens here, not half-way through a cycle).

    A refusal (revoked consent, expired secret) is put on the Health tab (one
    read, one write) and raised as ``TokenError``: the CLI exits 3 with the fix.
    An unreachable token endpoint is left to the cycle, which reports it like
    any unreachable server.
    """
    if tokens is None:
        return
    try:
        for user in oauth2_users(cfg):
            tokens.token(user)
    except TokenServiceError as exc:
        log.warning("%s", exc)
    except TokenError as exc:
        _health_line(cfg, store, now, f"sign-in: {exc}")
        raise


def _health_line(cfg: Config, store: CaseStore, now: datetime, problem: str) -> None:
    from zoneinfo import ZoneInfo

    from automation.ports import ChangeSet
    from automation.review import health

    tz = ZoneInfo(cfg.business.time_zone)

    def fmt(dt: datetime) -> str:
        return dt.astimezone(tz).isoformat(sep=" ", timespec="minutes")

    facts = health.CycleFacts(
        problems=[problem],
        fetched=0,
        fetch_limit=cfg.poll.max_messages_per_cycle,
        new_cases=0,
        new_quarantined=0,
        owed_emails=0,
    )
    try:
        snapshot = store.load()
        grid = health.grid(now, fmt, facts, snapshot, "-")
        store.apply(ChangeSet(replace_tabs={health.TAB: grid}))
    except SheetdeskError as exc:  # the sheet is down too: the exit code and log still say it
        log.warning("could not put the sign-in problem on the Health tab (%s)", exc)
