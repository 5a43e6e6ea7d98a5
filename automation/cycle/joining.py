"""Who may join a case, and when a known Message-ID really is the same message.

Pure rules used by intake (issue 11):

* **Dedupe only when sender and content agree.**  A Message-ID already on a
  case is a re-delivery only if the sender is that case's customer and, for the
  case's first message, the subject is the case's subject.  Otherwise another
  sender (or a mailer that reuses ids) wrote a different message: it gets a
  derived id (``<id>.reused-<digest>``, deterministic, so its own re-delivery
  is still deduped) and is handled like any new message.  Nothing vanishes.
* **Joining checks who writes.**  A message that names a case (subject tag,
  In-Reply-To/References) joins it only when its sender is the case's customer,
  or, where the owner allows it (``poll.thread_same_domain``), someone at the
  customer's domain, and the sender did not fail DMARC.  Anyone else gets a case
  of their own whose Poller note links the case they wrote about: the victim's
  case is not reopened, re-prioritised or re-routed, and the stranger's text
  never lands in its "Latest from customer".

Why sender checks rather than an unguessable check part in the subject tag:
a tag is copied into every reply, forward and quote, so a secret in it leaks
to everyone the customer forwards to, and people retype tags from a phone;
what must not happen is a *different person* steering the case, and the
sender is what the poller can check on every message.  Our own outgoing
Message-IDs already carry an unguessable digest, so a reference to one of them
is evidence of having seen our email, but it is still subject to the sender
rule.  The remaining gap is a forged From of the customer where the receiving
server adds no Authentication-Results header; configure ``poll.authserv_ids``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping

from automation.mail.sender_auth import SenderAuth
from automation.model import Message
from automation.sheet import layout as columns
from automation.sheet.storable import storable
from automation.sheet.threads import split_ids


def _norm(subject: str) -> str:
    return " ".join(subject.split()).casefold()


def same_message(case: Mapping[str, str], message: Message) -> bool:
    """Whether ``message`` (whose id is already on ``case``) is that same message."""
    customer = case.get(columns.CUSTOMER_EMAIL, "").strip().lower()
    sender = message.sender.email if message.sender else ""
    if customer and customer not in {sender, *(a.email for a in message.reply_to)}:
        return False
    thread = split_ids(case.get(columns.THREAD_IDS, ""))
    first = thread[0].lower() if thread else ""
    if first == message.message_id.lower():
        # The store kept the subject capped and made storable: compare like with like.
        stored = storable(case.get(columns.SUBJECT, ""))
        return _norm(storable(columns.cap_cell(message.subject))) == _norm(stored)
    return True


def with_reused_id(message: Message) -> Message:
    """``message`` under a derived, deterministic id (its own id was reused)."""
    sender = message.sender.email if message.sender else ""
    digest = hashlib.sha256(
        "\0".join((sender, message.subject, message.body_text)).encode("utf-8", "replace")
    ).hexdigest()[:16]
    local, _, domain = message.message_id.partition("@")
    fresh = f"{local}.reused-{digest}@{domain}" if domain else f"{local}.reused-{digest}"
    return dataclasses.replace(message, message_id=fresh)


def may_join(
    case: Mapping[str, str], message: Message, auth: SenderAuth, same_domain: bool
) -> bool:
    """Whether the sender of ``message`` may add to ``case``."""
    if auth.failed_dmarc or message.sender is None:
        return False
    customer = case.get(columns.CUSTOMER_EMAIL, "").strip().lower()
    sender = message.sender.email
    if not customer or sender == customer:
        return True
    return same_domain and sender.rpartition("@")[2] == customer.rpartition("@")[2]


def stranger_note(case_id: str, how: str, message: Message) -> str:
    sender = message.sender.email if message.sender else "an unknown sender"
    return (
        f"DIFFERENT SENDER: {sender} wrote about {case_id} ({how}) but is not that case's "
        f"customer, so this is its own case; {case_id} was not changed"
    )
