"""Who the customer is and when they wrote.

Normally the sender and the Date header.  When a team member forwards a
customer's mail, the case is about the forwarded customer: their address (for
region and key-account checks) comes from the forwarded header block.  The
send time stays the forward's own Date, since that is when the case reached us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from automation.model import Message
from automation.tables.owner_tables import Tables

_FORWARDED_FROM = re.compile(
    r"^\s*>?\s*(?:From|Von|Van|De|Da|Från|Od)\s*:\s*(?:.*?<)?([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)>?",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Origin:
    email: str
    domain: str
    sent: datetime | None
    forwarded_by: str | None = None


def find_origin(message: Message, tables: Tables, now: datetime) -> Origin:
    """The customer's address and the message's send time (``now`` if undated)."""
    sender = message.sender.email if message.sender else ""
    sent = message.date or now
    staff = {m.email for m in tables.members if m.email}
    staff_domains = {e.rpartition("@")[2] for e in staff}
    if sender and (sender in staff or sender.rpartition("@")[2] in staff_domains):
        for match in _FORWARDED_FROM.finditer(message.body_text):
            address = match.group(1).lower()
            domain = address.rpartition("@")[2]
            if address not in staff and domain not in staff_domains:
                return Origin(address, domain, sent, forwarded_by=sender)
    return Origin(sender, sender.rpartition("@")[2], sent)
