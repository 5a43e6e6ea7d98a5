"""Building the ports from the configuration: the only place adapters are chosen.

The embedded default (Maildir inbox, .xlsx workbook, folder of .eml files) needs
no accounts; each real adapter (IMAP, Google Sheets, SMTP) is picked by
``kind`` in its config section.
"""

from __future__ import annotations

from pathlib import Path

from automation.config import Config
from automation.cycle.decisions import DecisionSource
from automation.cycle.poll import Runtime
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.ports import CaseStore, Inbox, Outbox
from automation.secrets import resolve
from automation.state import FileStateDir


def build_store(cfg: Config) -> CaseStore:
    if cfg.store.kind == "sheets":
        from automation.adapters.sheets.store import SheetsStore

        return SheetsStore(cfg.store.sheets, base_dir=cfg.base_dir)
    from automation.adapters.workbook_store import WorkbookStore

    return WorkbookStore(cfg.path(cfg.store.workbook.path))


def build_inbox(cfg: Config) -> Inbox:
    if cfg.inbox.kind == "imap":
        from automation.adapters.imap.inbox import ImapInbox

        imap = cfg.inbox.imap
        password = resolve(
            "inbox.imap.password", imap.password_env, imap.password_file, Path(cfg.base_dir)
        )
        return ImapInbox(imap, password, cfg.path(cfg.poll.state_dir), base_dir=Path(cfg.base_dir))
    from automation.adapters.maildir_inbox import MaildirInbox

    return MaildirInbox(cfg.inbox.maildir, Path(cfg.base_dir))


def build_outbox(cfg: Config, inbox: Inbox | None = None, ledger: Ledger | None = None) -> Outbox:
    if cfg.outbox.kind == "smtp":
        from automation.adapters.smtp_outbox import SmtpOutbox

        smtp = cfg.outbox.smtp
        password = resolve(
            "outbox.smtp.password", smtp.password_env, smtp.password_file, Path(cfg.base_dir)
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


def build_runtime(cfg: Config) -> Runtime:
    inbox = build_inbox(cfg)
    state = FileStateDir(cfg.path(cfg.poll.state_dir))
    ledger = Ledger(state)
    return Runtime(
        config=cfg,
        inbox=inbox,
        outbox=build_outbox(cfg, inbox, ledger),
        store=build_store(cfg),
        templates=build_templates(cfg),
        decisions=DecisionSource(state),
        ledger=ledger,
        state=state,
    )


def init_tabs(cfg: Config) -> list[str]:
    from automation.sheet.tab_specs import all_tab_specs

    return build_store(cfg).initialize(all_tab_specs())
