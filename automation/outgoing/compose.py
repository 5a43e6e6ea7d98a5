"""Building our outgoing emails: headers that thread, and no header injection.

Every email carries the case tag in its subject, a deterministic Message-ID,
In-Reply-To/References to the customer's message (so the customer's client shows
one conversation), ``Auto-Submitted: auto-replied`` (RFC 3834, so well-behaved
robots don't answer) and our loop header (so we recognise our own mail).
Display names and subjects come from customers: every CR/LF is removed before
they reach a header, and the address itself is validated.

Cost: the message is built with ``POLICY``: compat32's plain-string headers
(``policy.default`` parses every header as it is set and again when the message
is written out, ~6 ms per email, more than the rest of a cycle's work on it)
with the modern content manager, so ``get_body``/``get_content`` work as usual.
Non-ASCII text is still encoded correctly: addresses go through ``formataddr``
(RFC 2047 display names) and other headers are encoded when written.  An
address with a non-ASCII mailbox name (SMTPUTF8), or an email with attachments
(the weekly review), takes the ``policy.default`` path, which writes those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.contentmanager import raw_data_manager
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import Compat32
from email.utils import format_datetime, formataddr

from automation.errors import ComposeError
from automation.model import Address
from automation.outgoing.templates import Rendered
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.threads import split_ids

LOOP_HEADER = "X-Sheetdesk-Loop"
_ADDR = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]{2,}$")


class _PlainHeaders(Compat32):
    """compat32 headers with ``policy.default``'s content manager (see above)."""

    content_manager = raw_data_manager


POLICY = _PlainHeaders()


@dataclass(frozen=True)
class Outgoing:
    """One email ready for ``deliver``, with the Sent log entry it settles.

    ``case_id`` is the case whose Sent log records it, or a name outside the
    case IDs (``"review"``) for mail recorded elsewhere; ``label`` is how it is
    counted ("email sent", "review sent")."""

    case_id: str
    entry: sentlog.Entry
    email: EmailMessage
    label: str = "email"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str
    subtype: str


def thread_headers(values: Mapping[str, str], own_id: str) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) for an email on this case: the customer's first
    message, then everything else on the thread before our own id."""
    ids = [i for i in split_ids(values.get(columns.THREAD_IDS, "")) if i != own_id]
    return (ids[0] if ids else None), ids


def clean_header(value: str, limit: int = 900) -> str:
    """One line, no control characters, bounded length."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    return flat[:limit]


def usable_address(email: str) -> bool:
    """Whether we can send to ``email`` (a real domain, nothing header-breaking)."""
    return bool(_ADDR.match(email))


def _checked(addr: Address) -> Address:
    if not usable_address(addr.email):
        raise ComposeError(f"recipient address {addr.email!r} is not usable")
    return Address(clean_header(addr.name, 200), addr.email)


def _header_address(addr: Address) -> HeaderAddress:
    user, _, domain = addr.email.partition("@")
    return HeaderAddress(display_name=addr.name, username=user, domain=domain)


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
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """A multipart/alternative email (text + HTML), with any attachments,
    ready for any Outbox.  Raises ``ComposeError`` for an unusable address."""
    people = [_checked(sender), *(_checked(a) for a in to)]
    if not attachments and all(p.email.isascii() for p in people):
        msg = EmailMessage(policy=POLICY)
        msg["From"] = formataddr((people[0].name, people[0].email), "utf-8")
        msg["To"] = ", ".join(formataddr((p.name, p.email), "utf-8") for p in people[1:])
    else:
        msg = EmailMessage()
        msg["From"] = _header_address(people[0])
        msg["To"] = [_header_address(p) for p in people[1:]]
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
    for a in attachments:
        name = clean_header(a.filename, 200)
        msg.add_attachment(a.data, maintype=a.maintype, subtype=a.subtype, filename=name)
    return msg
