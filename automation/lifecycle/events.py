"""Names of the emails the lifecycle sends, as they appear in the Sent log.

A Sent log entry names its email by an *event* token.  Customer emails use a
bare kind (``update``); internal ones add the recipient's slug
(``notice~ana-ruiz``) because a retried email is rebuilt from the row and the
Team tab alone, so the entry itself must say whom it is for.
"""

from __future__ import annotations

import hashlib
import re

from automation.tables.owner_tables import Member, Tables

# Customer-facing kinds -> template.
CUSTOMER: dict[str, str] = {
    "ack": "acknowledgement",
    "update": "progress_update",
    "handoff": "handoff",
    "resolution": "resolution",
    "closing": "closing",
    "still-on-it": "still_on_it",
}
# Internal kinds -> template.
INTERNAL: dict[str, str] = {
    "notice": "assignment_notice",  # you have (or back up, or manage) this case
    "alert": "assignment_notice",  # a Critical case: tier 3 hears at once
    "warning": "breach_warning",  # older Sent logs; now warning-first / warning-resolution
    "escalated": "escalation",
    "warning-first": "breach_warning",  # the kind names the deadline the email is about
    "warning-resolution": "breach_warning",
    "escalated-first": "escalation",
    "escalated-resolution": "escalation",
    "reminder": "update_reminder",
}
# Emails a person wrote: these count as a response from us (the ack does not).
HUMAN = frozenset({"update", "handoff", "resolution"})


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "x"


def internal(kind: str, person: Member) -> str:
    return f"{kind}~{slug(person.name)}"


def split(event: str) -> tuple[str, str]:
    """``notice~ana-ruiz`` -> ("notice", "ana-ruiz"); ``update`` -> ("update", "")."""
    kind, _, who = event.partition("~")
    return kind, who


def template_of(event: str) -> str | None:
    kind, who = split(event)
    return (INTERNAL if who else CUSTOMER).get(kind)


def recipient(event: str, tables: Tables) -> Member | None:
    _, who = split(event)
    for person in tables.members:
        if slug(person.name) == who:
            return person
    return None


def digest(text: str) -> str:
    """A short fingerprint of a cell's text (what was already sent)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]
