"""``sheetdesk replay``: what would change if the tabs were different.

Past mail (a folder of ``.eml`` files, a Maildir or an mbox file) goes through
the same parse -> classify -> decide steps the poller uses, at each message's
own Date, twice: once as things stand and once as they would be.  "As things
stand" is the current tabs (or, without ``--tables``, what the Cases tab
recorded for the message); "as they would be" is an edited copy of the tabs
(``--tables other.xlsx``) or the current tabs.  Only the decisions that differ
are printed, each with its old and new Why.  Nothing is written and nothing is
sent: the store is only read, and no outbox is built.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.errors import ConfigError
from automation.mail.classify import classify
from automation.mail.reader import parse_message
from automation.model import Message
from automation.sheet import layout as columns
from automation.tables.owner_tables import Tables

_UNDATED = datetime(1970, 1, 1, tzinfo=UTC)


def read_mail(source: Path) -> Iterator[tuple[str, bytes]]:
    """(name, raw bytes) for each message in a folder of files, a Maildir or an mbox."""
    if source.is_file():
        for key, item in mailbox.mbox(source, create=False).items():
            yield f"{source.name}#{key}", item.as_bytes()
        return
    if not source.is_dir():
        raise ConfigError(f"{source}: no such folder, Maildir or mbox file")
    if (source / "cur").is_dir() or (source / "new").is_dir():
        folders = [source / "new", source / "cur"]
    else:
        folders = [source]
    for folder in folders:
        if folder.is_dir():
            for path in sorted(p for p in folder.iterdir() if p.is_file()):
                yield path.name, path.read_bytes()


@dataclass(frozen=True)
class Verdict:
    """What one side made of a message, in the fields a person compares."""

    is_case: bool
    priority: str = ""
    role: str = ""
    assignee: str = ""
    triggers: str = ""
    why: str = ""

    def differences(self, other: Verdict) -> list[str]:
        fields = ("is_case", "priority", "role", "assignee", "triggers")
        return [
            f"{name} {getattr(self, name) or '-'} -> {getattr(other, name) or '-'}"
            for name in fields
            if getattr(self, name) != getattr(other, name)
        ]


@dataclass(frozen=True)
class Change:
    name: str
    subject: str
    old: Verdict
    new: Verdict


def judge(
    message: Message, tables: Tables, own: frozenset[str], domains: frozenset[str]
) -> Verdict:
    """The poller's verdict on ``message`` with ``tables``, as if it had just arrived
    at its own Date, with nobody's queue counted (a what-if, not a re-run)."""
    protected = frozenset(a.domain for a in tables.accounts)
    verdict = classify(message, own_addresses=own, own_domains=domains, protected_domains=protected)
    if not verdict.is_case:
        return Verdict(False, why=verdict.reason)
    now = (message.date or _UNDATED).astimezone(UTC)
    decision = decide(message, None, tables, TeamLoad(), now)
    return Verdict(
        True,
        decision.priority.label,
        decision.role,
        decision.assignee or "",
        ", ".join(decision.triggers),
        decision.why,
    )


def recorded(message: Message, cases: Sequence[Mapping[str, str]]) -> Verdict | None:
    """What the Cases tab recorded for the case holding ``message``, if any."""
    wanted = message.message_id.lower()
    for row in cases:
        ids = {i.strip().strip("<>").lower() for i in row.get(columns.THREAD_IDS, "").split()}
        if wanted in ids:
            return Verdict(
                True,
                row.get(columns.PRIORITY_AUTO, ""),
                row.get(columns.ROLE, ""),
                row.get(columns.ROUTED_TO, ""),
                row.get(columns.TRIGGERS_FOUND, ""),
                row.get(columns.WHY, ""),
            )
    return None


def replay(
    mail: Iterator[tuple[str, bytes]],
    before: Tables | Sequence[Mapping[str, str]],
    after: Tables,
    own: frozenset[str],
    domains: frozenset[str],
) -> tuple[int, list[Change]]:
    """(messages read, the decisions that differ).  ``before`` is either tables
    or the Cases tab's rows (then each message is compared with its recorded
    case; a message the tab does not hold is skipped)."""
    count = 0
    changes: list[Change] = []
    for name, raw in mail:
        message = parse_message(raw, name)
        count += 1
        new = judge(message, after, own, domains)
        if isinstance(before, Tables):
            old: Verdict | None = judge(message, before, own, domains)
        else:
            old = recorded(message, before)
        if old is not None and old.differences(new):
            changes.append(Change(name, message.subject, old, new))
    return count, changes


def report(count: int, changes: Sequence[Change]) -> list[str]:
    """The lines ``sheetdesk replay`` prints."""
    lines: list[str] = []
    for change in changes:
        lines.append(f"{change.name}  {change.subject[:60]!r}")
        lines.append("  " + "; ".join(change.old.differences(change.new)))
        lines.append(f"  old why: {change.old.why}")
        lines.append(f"  new why: {change.new.why}")
    lines.append(
        f"{count} message{'s' if count != 1 else ''} read, {len(changes)} decision"
        f"{'s' if len(changes) != 1 else ''} would change. Nothing was written or sent."
    )
    return lines
