"""The ports: small Protocols the poll cycle talks to.

Each port has a real adapter (IMAP, SMTP, Google Sheets) and an embedded one
(Maildir, a folder of .eml files, a local .xlsx workbook), one per module in
``automation.adapters``.  Adapters raise only ``automation.errors`` types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from automation.model import CaseRow, InboxItem
from automation.secrets import Secret


class Inbox(Protocol):
    """Where customer mail arrives.  Mail is never deleted."""

    def fetch(self, limit: int) -> Iterator[InboxItem]:
        """Yield up to ``limit`` messages not yet processed nor quarantined, oldest
        first, reading in chunks.  Fetching must not mark anything as read."""
        ...

    def mark_processed(self, keys: Sequence[str]) -> None:
        """Move these messages to the processed folder (or flag them where the
        server cannot move), and advance the checkpoint past them."""
        ...

    def mark_quarantined(self, keys: Sequence[str]) -> None:
        """Leave these messages where they are, tagged so later cycles skip them."""
        ...

    def close(self) -> None: ...


class MailWatcher(Protocol):
    """Tells ``sheetdesk run`` that new mail arrived (IMAP IDLE; the Maildir's
    directory).  Never raises for server trouble: it then only sleeps."""

    def wait(self, seconds: float) -> bool:
        """True as soon as new mail may be waiting; False after ``seconds``."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SendResult:
    message_id: str
    ok: bool
    permanent: bool = False  # a 5xx: retrying will not help
    detail: str = ""


class Outbox(Protocol):
    """Where our outgoing mail goes.  One connection per ``send`` call."""

    def send(self, messages: Sequence[EmailMessage]) -> list[SendResult]:
        """Hand over each message; report per message, never raise for one bad
        recipient.  Raises ``OutboxError`` when the server can't be reached."""
        ...

    def already_sent(self, message_ids: Sequence[str]) -> set[str]:
        """Which of these Message-IDs demonstrably went out already (a Sent folder,
        or the files written).  Used before any resend."""
        ...


Grid = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Snapshot:
    """Everything one cycle reads from the store, in one read.

    ``tabs`` holds every other tab's cells as text, keyed by tab title, for the
    pure table parsers.  ``problems`` lists what the store noticed (a deleted
    case row, a stale row anchor), as sentences for the log and Health tab.
    """

    cases: tuple[CaseRow, ...]
    tabs: Mapping[str, Grid] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def by_id(self) -> dict[str, CaseRow]:
        return {case.case_id: case for case in self.cases}


@dataclass(frozen=True)
class NewCase:
    case_id: str
    values: Mapping[str, str]  # every column, team columns' starting values included


@dataclass(frozen=True)
class CaseUpdate:
    case_id: str
    values: Mapping[str, str]  # poller-owned columns only; others are refused


@dataclass(frozen=True)
class TabRows:
    """Rows to append to a log tab (Quarantine, Non-cases); created if missing."""

    tab: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ChangeSet:
    creates: tuple[NewCase, ...] = ()
    updates: tuple[CaseUpdate, ...] = ()
    appends: tuple[TabRows, ...] = ()
    replace_tabs: Mapping[str, Grid] = field(default_factory=dict)  # Health, Metrics

    @property
    def empty(self) -> bool:
        return not (self.creates or self.updates or self.appends or self.replace_tabs)


@dataclass(frozen=True)
class ApplyResult:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # case rows a person deleted: reported, never re-aimed
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class TabSpec:
    """A tab that ``sheetdesk init`` creates when it is missing.

    ``notes`` are shown on the header cells; ``choices`` become dropdowns on the
    whole column below the header.  Existing tabs are never overwritten.
    """

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Lease(Protocol):
    """One runner per mailbox, whatever its host or state directory (issue 11).

    Real adapter: a folder in the IMAP mailbox (``adapters/imap/lease.py``);
    embedded: an ``flock`` in the Maildir's root (``adapters/maildir_lease.py``).
    """

    def hold(self, now: datetime) -> None:
        """Acquire or renew before a cycle; ``LockHeldError`` when another runner has it."""
        ...

    def release(self) -> None:
        """Give it up at exit (only if still ours); never raises."""
        ...


class CaseStore(Protocol):
    """The spreadsheet: the Cases tab plus the owner-edited tabs.

    ``load`` costs one read.  ``apply`` costs at most two writes whatever the
    size of the change set, and locates each existing row at write time by its
    case's identity, never by a row number read earlier.
    """

    def load(self) -> Snapshot: ...

    def apply(self, changes: ChangeSet) -> ApplyResult: ...

    def initialize(self, specs: Sequence[TabSpec]) -> list[str]:
        """Create the tabs in ``specs`` that don't exist yet (header row frozen,
        notes, dropdowns, starter rows); return the titles created."""
        ...


class StateDir(Protocol):
    """The local state directory: caches only, addressed by file name.

    The real adapter is ``automation.state.FileStateDir``; the embedded one
    ``automation.adapters.memory_state.MemoryStateDir``.  Writes raise
    ``OSError``; every caller holds only a cache and carries on."""

    def read(self, name: str) -> str | None:
        """The file's text, or None when it is missing or unreadable."""
        ...

    def write(self, name: str, text: str) -> None:
        """Replace the file at once: a reader sees the old text or the new one."""
        ...

    def append(self, name: str, text: str, sync: bool = True) -> None:
        """Append ``text`` (written before this returns); with ``sync``, on disk
        before this returns (fsync), together with any earlier append."""
        ...


@dataclass(frozen=True)
class AccessToken:
    """An OAuth2 bearer token for a mail server, and when it stops working (UTC)."""

    value: Secret
    expires_at: datetime


class TokenSource(Protocol):
    """Where OAuth2 access tokens for a mailbox come from (``auth = "oauth2"``).

    ``token`` returns one that is valid for at least the configured margin, or
    raises ``TokenError`` (a refusal a person must fix; the message names the
    fix) or ``TokenServiceError`` (the token endpoint is unreachable: retry).
    """

    def token(self, user: str) -> AccessToken: ...

    def describe(self) -> str: ...
