"""Threading and dedupe: which case, if any, a message belongs to.

Built once per cycle from the Cases tab (the record), never from local state:
the "Thread IDs" column lists every Message-ID of the case, customer messages
and the ones we sent alike.  A message joins a case when its subject carries
the case tag, or its In-Reply-To/References name any of those ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from automation.model import CaseRow, Message
from automation.sheet import layout as columns
from automation.sheet.case_ids import CaseTagger


def split_ids(cell: str) -> list[str]:
    return [part.strip().strip("<>") for part in cell.split() if part.strip()]


@dataclass
class ThreadIndex:
    """Message-ID -> case ID, and case number -> case ID, for one cycle."""

    tagger: CaseTagger
    by_message_id: dict[str, str] = field(default_factory=dict)
    by_number: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, tagger: CaseTagger, cases: Iterable[CaseRow]) -> ThreadIndex:
        index = cls(tagger)
        for case in cases:
            index.add_case(case.case_id, split_ids(case.get(columns.THREAD_IDS)))
        return index

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
        return self.by_message_id.get(message.message_id.lower())

    def match(self, message: Message) -> tuple[str | None, str]:
        """(case ID or None, how it matched) for a message not seen before."""
        number = self.tagger.find_number(message.subject)
        if number is not None and number in self.by_number:
            return self.by_number[number], f"subject tag {self.tagger.tag(number)}"
        for ref in reversed(message.thread_ids):
            case_id = self.by_message_id.get(ref.lower())
            if case_id:
                return case_id, f"references <{ref}>"
        return None, ""
