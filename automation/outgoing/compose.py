"""Building our outgoing emails: headers that thread, and no header injection.

Every email carries the case tag in its subject, a deterministic Message-ID,
In-Reply-To/References to the customer's message (so the customer's client shows
one conversation), ``Auto-Submitted: auto-replied`` (RFC 3834, so well-behaved
robots don't answer) and our loop header (so we recognise our own mail).
Display names and subjects come from customers: every CR/LF is removed before
they reach a header, and the address itself is validated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime

from automation.errors import SheetdeskError
from automation.model import Address
from automation.outgoing.templates import Rendered

LOOP_HEADER = "X-Sheetdesk-Loop"
_ADDR = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]{2,}$")


class ComposeError(SheetdeskError):
    """An email could not be built (a recipient address is unusable)."""


def clean_header(value: str, limit: int = 900) -> str:
    """One line, no control characters, bounded length."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    return flat[:limit]


def usable_address(email: str) -> bool:
    """Whether we can send to ``email`` (a real domain, nothing header-breaking)."""
    return bool(_ADDR.match(email))


def _header_address(addr: Address) -> HeaderAddress:
    if not usable_address(addr.email):
        raise ComposeError(f"recipient address {addr.email!r} is not usable")
    user, _, domain = addr.email.partition("@")
    return HeaderAddress(display_name=clean_header(addr.name, 200), username=user, domain=domain)


def build(
    rendered: Rendered,
    *,
    sender: Address,
    to: Sequence[Address],
    message_id: str,
    in_reply_to: str | None,
    references: Sequence[str],
    loop_token: str,
    date: datetime,
    auto_submitted: str = "auto-replied",
) -> EmailMessage:
    """A multipart/alternative email (text + HTML) ready for any Outbox."""
    msg = EmailMessage()
    msg["From"] = _header_address(sender)
    msg["To"] = [_header_address(a) for a in to]
    msg["Subject"] = clean_header(rendered.subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{clean_header(in_reply_to, 400)}>"
    refs = [clean_header(r, 400) for r in references if r][-20:]
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    if auto_submitted:
        msg["Auto-Submitted"] = auto_submitted
    msg[LOOP_HEADER] = loop_token
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg
