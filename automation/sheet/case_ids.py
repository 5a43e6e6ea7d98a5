"""Case identities: the stable case ID and the tag in email subjects.

A case ID is ``<prefix><number>`` (``C-1042``); the subject tag comes from the
configured format (``[Case #{number}]``, or ``[BB-{number:05d}]``).  Numbers are
allocated from the sheet itself (highest number seen + 1), so deleting local
state never re-issues a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from automation.errors import ConfigError

_FIELD = re.compile(r"\{number(?::([^}]*))?\}")


@dataclass(frozen=True)
class CaseTagger:
    tag_format: str
    id_prefix: str
    first_number: int

    def __post_init__(self) -> None:
        if len(_FIELD.findall(self.tag_format)) != 1:
            raise ConfigError("business.case_tag: must contain {number} exactly once")
        try:
            self.tag(1)
        except (ValueError, IndexError, KeyError) as exc:
            raise ConfigError(f"business.case_tag: {exc}") from exc

    def tag(self, number: int) -> str:
        return self.tag_format.format(number=number)

    def case_id(self, number: int) -> str:
        return f"{self.id_prefix}{number}"

    def number_of(self, case_id: str) -> int | None:
        if not case_id.startswith(self.id_prefix):
            return None
        rest = case_id[len(self.id_prefix) :]
        return int(rest) if rest.isdigit() else None

    @property
    def pattern(self) -> re.Pattern[str]:
        """A regex matching the tag in a subject; group 1 is the number."""
        match = _FIELD.search(self.tag_format)
        assert match is not None
        before = re.escape(self.tag_format[: match.start()])
        after = re.escape(self.tag_format[match.end() :])
        return re.compile(before + r"\s*(\d{1,12})" + after, re.IGNORECASE)

    def find_number(self, subject: str) -> int | None:
        found = self.pattern.search(subject)
        return int(found.group(1)) if found else None

    def next_number(self, existing_ids: Iterable[str]) -> int:
        numbers = [n for n in (self.number_of(c) for c in existing_ids) if n is not None]
        return max([self.first_number - 1, *numbers]) + 1
