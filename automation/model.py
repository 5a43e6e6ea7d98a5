"""Frozen values that flow through a poll cycle.

Nothing here does I/O.  Every adapter and the pure core speak in these types:

* ``InboxItem``: raw bytes plus the inbox's own stable key, as fetched.
* ``Message``: the parsed, normalised view of one email.
* ``Verdict``: whether a message is a case, a non-case (with kind and reason),
  or quarantined (with reason).
* ``Decision``: triggers, priority, routing and the plain-words "why".
* ``CaseRow``: one row of the Cases tab as read, keyed by its case ID.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


def frozen_map(data: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """A read-only copy of ``data``, safe to keep inside a frozen dataclass."""
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Address:
    """A mailbox: display name (may be empty) and lower-cased address."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True)
class Attachment:
    """An attachment's description; its body is never kept."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class InboxItem:
    """One raw message as fetched, with the key the inbox uses to mark it later."""

    key: str
    raw: bytes
    received_at: datetime | None = None
    # The message's full size when ``raw`` holds its header only (it was over the
    # size limit, so the inbox never downloaded the body); None when ``raw`` is whole.
    oversized: int | None = None


@dataclass(frozen=True)
class Message:
    """A parsed email.

    ``message_id``, ``in_reply_to`` and ``references`` hold ids without angle
    brackets.  A message without a Message-ID gets a synthetic, deterministic one
    derived from its bytes (``synthetic_id`` is then True), so dedupe still works.
    ``new_text`` is the sender's own new text: quoted history and signatures
    removed.  ``headers`` keeps (lower-cased name, decoded value) pairs.
    """

    key: str
    message_id: str
    sender: Address | None
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    date: datetime | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    body_text: str
    new_text: str
    attachments: tuple[Attachment, ...] = ()
    content_type: str = "text/plain"
    defects: tuple[str, ...] = ()
    size: int = 0
    synthetic_id: bool = False
    return_path: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    def header_all(self, name: str) -> tuple[str, ...]:
        wanted = name.lower()
        return tuple(value for key, value in self.headers if key == wanted)

    @property
    def reply_address(self) -> Address | None:
        """Where a reply to the customer goes: Reply-To if given, else From."""
        return self.reply_to[0] if self.reply_to else self.sender

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Every Message-ID this message says it answers."""
        return tuple(dict.fromkeys(self.in_reply_to + self.references))


class VerdictKind(enum.Enum):
    CASE = "case"
    AUTO_REPLY = "auto-reply"
    BOUNCE = "bounce"
    OWN_MAIL = "own-mail"
    BULK = "bulk"
    QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Verdict:
    """Whether a message opens/joins a case, and why not if it doesn't."""

    kind: VerdictKind
    reason: str

    @property
    def is_case(self) -> bool:
        return self.kind is VerdictKind.CASE


class Priority(enum.IntEnum):
    """Ordered so that ``max()`` gives the more urgent one."""

    LOW = 1
    HIGH = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def parse(cls, text: str) -> Priority:
        try:
            return cls[text.strip().upper()]
        except KeyError as exc:
            raise ValueError(f"unknown priority {text!r} (use Low, High or Critical)") from exc


@dataclass(frozen=True)
class Decision:
    """What the pure core decided for one message."""

    triggers: tuple[str, ...]
    priority: Priority
    role: str
    assignee: str | None
    backup: str | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    why: str
    queued: bool = False
    tier: int | None = None
    language: str | None = None
    region: str | None = None
    notify: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseRow:
    """One row of the Cases tab as read: values by header name."""

    case_id: str
    values: Mapping[str, str] = field(default_factory=frozen_map)
    row_number: int | None = None  # for messages to humans only; never for writes

    def get(self, column: str) -> str:
        return self.values.get(column, "")
