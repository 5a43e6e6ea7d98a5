"""Threading and dedupe: which case, if any, a message belongs to.

Built once per cycle from the Cases tab (the record), never from local state:
the "Thread IDs" column lists every Message-ID of the case, customer messages
and the ones we sent alike.  A message joins a case when its subject carries
the case tag, or its In-Reply-To/References name any of those ids.

The Thread IDs cell is poller-owned but people can clear it.  A second record
is kept in the row's Sent log (every email we sent, with its deterministic
Message-ID ``<case>.<event>.<digest>@<domain>``): those ids are indexed too, so
a reply to our acknowledgement still finds its case; and the acknowledgement's
id is derived from the customer's original Message-ID, so a re-delivered
original is recognised (``seen``) even when Thread IDs is empty, and
``damaged`` tells the cycle which rows to repair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from automation.model import CaseRow, Message
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.case_ids import CaseTagger


def split_ids(cell: str) -> list[str]:
    return [part.strip().strip("<>") for part in cell.split() if part.strip()]


@dataclass
class ThreadIndex:
    """Message-ID -> case ID, and case number -> case ID, for one cycle."""

    tagger: CaseTagger
    by_message_id: dict[str, str] = field(default_factory=dict)
    by_number: dict[int, str] = field(default_factory=dict)
    # Rows whose Thread IDs lost their acknowledgement's id: case ID -> ack id.
    damaged: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, tagger: CaseTagger, cases: Iterable[CaseRow]) -> ThreadIndex:
        index = cls(tagger)
        for case in cases:
            thread = split_ids(case.get(columns.THREAD_IDS))
            ours = sentlog.parse(case.get(columns.SENT_LOG))
            index.add_case(case.case_id, [*thread, *(e.message_id for e in ours)])
            known = {t.lower() for t in thread}
            for entry in ours:
                if entry.event == "ack" and entry.message_id.lower() not in known:
                    index.damaged[case.case_id] = entry.message_id
        return index

    def original_of(self, message: Message) -> str | None:
        """The damaged case whose acknowledgement answered exactly this message."""
        for case_id, ack_id in self.damaged.items():
            domain = ack_id.rpartition("@")[2]
            if sentlog.outgoing_id(case_id, "ack", message.message_id, domain) == ack_id:
                return case_id
        return None

    def add_case(self, case_id: str, message_ids: Iterable[str]) -> None:
        number = self.tagger.number_of(case_id)
        if number is not None:
            self.by_number[number] = case_id
        for mid in message_ids:
            self.by_message_id.setdefault(mid.lower(), case_id)

    def add_message(self, case_id: str, message_id: str) -> None:
        self.by_message_id.setdefault(message_id.lower(), case_id)

    def seen(self, message: Message) -> str | None:
        """The case that already holds this exact Message-ID (a re-delivery)."""
        found = self.by_message_id.get(message.message_id.lower())
        return found if found is not None else self.original_of(message)

    def match(self, message: Message) -> tuple[str | None, str]:
        """(case ID or None, how it matched) for a message not seen before."""
        found = self.candidates(message)
        return found[0] if found else (None, "")

    def candidates(self, message: Message) -> list[tuple[str, str]]:
        """Every case the message claims to belong to, best first: the subject
        tag, then In-Reply-To/References (newest first).  The cycle picks the
        first one the sender may join."""
        out: list[tuple[str, str]] = []
        number = self.tagger.find_number(message.subject)
        if number is not None and number in self.by_number:
            out.append((self.by_number[number], f"subject tag {self.tagger.tag(number)}"))
        for ref in reversed(message.thread_ids):
            case_id = self.by_message_id.get(ref.lower())
            if case_id and all(case_id != c for c, _ in out):
                out.append((case_id, f"references <{ref}>"))
        return out
