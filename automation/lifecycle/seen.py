"""The "Seen" cell: what the poller last acted on, kept in the sheet itself.

Contract: ``parse(render(s)) == s`` for every ``Seen``; ``parse`` never raises
(a person may have typed in the cell: unknown keys and broken values are
dropped, the rest is kept).  Because this record lives in a poller-owned cell
of the case's own row, deleting the local state directory loses nothing: every
transition is judged against this cell, so each is recognised exactly once.

The cell is one line of ``key=value`` pairs separated by ``; `` so it stays
legible in the sheet, e.g.::

    status=in progress; assignee=Ana Ruiz; priority=High; msg=3f2a9c1d; msgs=2
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

_TIME = "%Y%m%dT%H%MZ"


@dataclass(frozen=True)
class Seen:
    """The team's cells as last acted on, plus the clocks' bookkeeping.

    ``known`` is False for a row the poller never stamped (a row from before
    the lifecycle existed): its first sighting is a baseline, not a transition.
    """

    known: bool = False
    status: str = ""  # case-folded Status
    assignee: str = ""
    priority: str = ""
    msg: str = ""  # digest of the "Message to customer" text already sent ("" = none)
    msgs: int = 0  # the case's message count when last looked at (a rise = a reply)
    pause_from: datetime | None = None  # the response clock is paused since then
    paused: int = 0  # seconds of counted (working) time spent paused so far
    resolved_at: datetime | None = None  # resolution email sent; awaiting confirmation
    resolved_msgs: int = 0
    closed_at: datetime | None = None
    reopens: int = 0
    resolutions: int = 0
    first_at: datetime | None = None  # first email a person wrote to the customer
    last_update: datetime | None = None  # last email to the customer (update cadence)
    holder: str = ""  # who the case was last escalated to ("" = not escalated)
    escalations: int = 0
    flags: frozenset[str] = field(default_factory=frozenset)

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def flag(self, *names: str) -> Seen:
        return replace(self, flags=self.flags | set(names))

    def unflag(self, *names: str) -> Seen:
        return replace(self, flags=self.flags - set(names))


def _clean(text: str) -> str:
    # The separators must not appear inside a value.
    return " ".join(text.replace(";", ",").replace("=", "-").split())


def _encode(value: Any) -> str | None:
    if value is None or value == "" or value == 0 or value == frozenset():
        return None
    if isinstance(value, bool):
        return None  # ``known`` is implied by the cell being non-empty
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime(_TIME)
    if isinstance(value, frozenset):
        return ",".join(sorted(_clean(v) for v in value))
    return _clean(str(value))


def render(seen: Seen) -> str:
    parts = ["v=1"]
    for f in fields(Seen):
        text = _encode(getattr(seen, f.name))
        if text is not None:
            parts.append(f"{f.name}={text}")
    return "; ".join(parts)


def _decode(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text)
    if kind == "datetime | None":
        return datetime.strptime(text, _TIME).replace(tzinfo=UTC)
    if kind == "frozenset[str]":
        return frozenset(t for t in text.split(",") if t)
    return text


def parse(cell: str) -> Seen:
    if not cell.strip():
        return Seen()
    kinds = {f.name: str(f.type) for f in fields(Seen) if f.name != "known"}
    values: dict[str, Any] = {}
    for part in cell.split(";"):
        key, sep, text = part.strip().partition("=")
        if not sep or key not in kinds:
            continue
        try:
            values[key] = _decode(kinds[key], text.strip())
        except ValueError:
            continue
    return Seen(known=True, **values)
