"""Who really sent a message, as far as the receiving server could tell.

Authentication-Results (RFC 8601) are read with the ``authres`` package, and
only from a header the receiving server wrote: anyone can put such a header in
a message they send, so only the *topmost* one counts (a server adds its own
on top), or, when the owner names the server (``poll.authserv_ids``), the
topmost one carrying that authserv-id; any other is ignored.

What the verdict is used for (issue 11):

* a key-account floor and key-account routing need ``dmarc=pass`` whenever a
  trusted header exists (a forged From of a key account gets neither);
* an acknowledgement goes to From, not to a Reply-To on another domain, unless
  the sender is authenticated (no backscatter to third parties);
* a sender that *fails* DMARC does not get its subject echoed back.

Pure: headers in, a frozen verdict out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import authres

from automation.model import Address, Message

_HEADER = "authentication-results"


@dataclass(frozen=True)
class SenderAuth:
    """The verdict of the one trusted Authentication-Results header, if any.

    ``authserv_id`` is "" when no trusted header was found; results are the
    lower-cased result words (``pass``, ``fail``, ``none``, ...) or "".
    """

    authserv_id: str = ""
    dmarc: str = ""
    spf: str = ""
    dkim: str = ""

    @property
    def checked(self) -> bool:
        return bool(self.authserv_id)

    @property
    def authenticated(self) -> bool:
        return self.dmarc == "pass"

    @property
    def failed_dmarc(self) -> bool:
        return self.dmarc == "fail"

    def summary(self) -> str:
        if not self.checked:
            return "no trusted Authentication-Results"
        parts = [f"{k}={v}" for k, v in (("dmarc", self.dmarc), ("spf", self.spf)) if v]
        return f"{self.authserv_id}: {' '.join(parts) or 'no results'}"


UNCHECKED = SenderAuth()

# Written into the case's Poller note; the acknowledgement's context then leaves
# out the subject and the display name (``outgoing/contexts.ack_context``).
NO_ECHO_NOTE = "subject not echoed"


def no_echo_note(auth: SenderAuth) -> str:
    """The Poller note line when the sender failed DMARC, else ""."""
    if not auth.failed_dmarc:
        return ""
    return f"{NO_ECHO_NOTE} in the acknowledgement: the sender failed DMARC ({auth.summary()})"


def _parse(value: str) -> tuple[str, dict[str, str]] | None:
    try:
        parsed = authres.AuthenticationResultsHeader.parse_value(value)
    except Exception:  # authres raises its own and generic errors on junk
        return None
    results: dict[str, str] = {}
    for result in parsed.results:
        method = str(result.method).lower()
        # The first result of a method wins; a header may repeat dkim per signature.
        if method == "dkim" and results.get("dkim") == "pass":
            continue
        results.setdefault(method, str(result.result).lower())
        if method == "dkim" and str(result.result).lower() == "pass":
            results["dkim"] = "pass"
    return str(parsed.authserv_id or "").strip().lower(), results


def sender_auth(headers: Sequence[tuple[str, str]], trusted_ids: Iterable[str] = ()) -> SenderAuth:
    """The verdict from ``headers`` ((lower-cased name, value) pairs, topmost first)."""
    trusted = {t.strip().lower() for t in trusted_ids if t.strip()}
    for name, value in headers:
        if name != _HEADER:
            continue
        parsed = _parse(value)
        if parsed is None:
            if trusted:
                continue
            return UNCHECKED  # the topmost header is junk: nothing is trusted
        serv_id, results = parsed
        if trusted and serv_id not in trusted:
            continue
        return SenderAuth(
            authserv_id=serv_id or "unnamed",
            dmarc=results.get("dmarc", ""),
            spf=results.get("spf", ""),
            dkim=results.get("dkim", ""),
        )
    return UNCHECKED


def reply_target(message: Message, auth: SenderAuth) -> tuple[Address | None, str]:
    """Where our acknowledgement may go, and a note when Reply-To was not used.

    Reply-To is honoured when it is on the sender's own domain, or the sender is
    authenticated (DMARC pass); otherwise the reply goes to From, so a forged or
    spam message cannot turn us into a mailer to third parties.
    """
    sender = message.sender
    if not message.reply_to:
        return sender, ""
    wanted = message.reply_to[0]
    if sender is None or wanted.domain == sender.domain or auth.authenticated:
        return wanted, ""
    return sender, (
        f"Reply-To {wanted.email} not used: it is on another domain than the sender "
        f"{sender.email}, who is not authenticated ({auth.summary()})"
    )


UNVERIFIED_SUFFIX = ".unauthenticated.invalid"


def unverified(message: Message, auth: SenderAuth) -> Message:
    """``message`` as the decision core should see it.

    When a trusted header exists and DMARC did not pass, the sender's domain
    proves nothing: the core gets the address under a ``.invalid`` domain, so no
    key-account floor, account-manager routing, region or staff-forward rule can
    be claimed by writing someone else's From.  The case row keeps the real
    address.
    """
    if not auth.checked or auth.authenticated or message.sender is None:
        return message
    sender = message.sender
    marked = Address(sender.name, sender.email + UNVERIFIED_SUFFIX)
    return dataclasses.replace(message, sender=marked)
