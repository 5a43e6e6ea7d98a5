"""Is a parsed message a customer case?  Pure rules over ``Message``.

Checked in this order; the first rule that fires decides, and its reason
names the signal:

1. **own mail**: our loop header; a From that is one of the tool's own sending
   addresses; mail that comes back to us with one of our Message-IDs.
2. **bounce**: a delivery-status report (``multipart/report;
   report-type=delivery-status``), an Exchange NDR flag, ``X-Failed-Recipients``,
   a MAILER-DAEMON / postmaster sender, or a null Return-Path ``<>`` together
   with a bounce-like subject.  Also abuse feedback reports (ARF).
   Checked before auto-replies because many bounces carry Auto-Submitted too.
3. **own mail** (staff): From is in one of our business domains and the
   message forwards nobody from outside: a team member's internal note.  Staff
   forwarding a customer's mail (a forward marker, a ``Fwd:`` subject or an
   attached message, with an outside address in it) stays a case.
4. **auto-reply**: Auto-Submitted other than "no"; X-Autoreply / X-Autorespond;
   Precedence: auto_reply; a read receipt (disposition-notification report);
   an out-of-office subject in one of several languages.
   X-Auto-Response-Suppress alone is *not* a signal (Outlook sets it on
   ordinary mail); it only backs out-of-office wording in the new text.
5. **bulk**: newsletters and marketing.  A list header alone is not enough,
   because mail from a customer's own mailing group (Google Groups, Mailman:
   List-Id, List-Unsubscribe, ``Precedence: list``) is still a case, and
   discussion lists send ``Precedence: bulk`` too.  Bulk needs a list header
   *and* either a strong sign of a mass sender (RFC 8058 one-click
   unsubscribe, a bulk-mail service's campaign headers) or at least two more
   marketing signs than human ones (marketing: Precedence bulk/junk, a
   no-reply/newsletter sender, a web unsubscribe link, preference-centre
   wording; human: the message replies in a thread, the list takes posts).
   A spam filter's verdict header and lookalike-domain phishing (a sender
   domain imitating ours that fails SPF/DMARC) are reported as bulk with a
   "spam:" reason, since the verdict kinds have no spam of their own.
6. Otherwise **case**.
"""

from __future__ import annotations

import re

from automation.mail import impersonation as imp
from automation.mail import noncase_signals as sig
from automation.model import Message, Verdict, VerdictKind


def _in_domains(domain: str, domains: frozenset[str]) -> bool:
    domain = domain.lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in domains)


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


def _brand(domain: str) -> str:
    """The registrable label of a domain: brambleandburr in shop.brambleandburr.co.uk."""
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _content_type(msg: Message) -> tuple[str, str]:
    """(media type, report-type parameter) of the top-level part."""
    raw = (msg.header("content-type") or msg.content_type).lower()
    report = re.search(r"report-type\s*=\s*\"?([\w-]+)", raw)
    return msg.content_type.lower(), report.group(1) if report else ""


def _own_mail(
    msg: Message, own_addresses: frozenset[str], own_domains: frozenset[str], loop_header: str
) -> str | None:
    if msg.header(loop_header) is not None:
        return f"own mail: carries our {loop_header} header"
    sender = msg.sender.email if msg.sender else ""
    if sender in own_addresses:
        return f"own mail: sent from our address {sender}"
    mid_domain = msg.message_id.rpartition("@")[2]
    if (
        not msg.synthetic_id
        and _in_domains(mid_domain, own_domains)
        and not (msg.sender and _in_domains(msg.sender.domain, own_domains))
    ):
        return f"own mail: our own Message-ID (@{mid_domain}) came back"
    return None


def _bounce(msg: Message) -> str | None:
    ctype, report = _content_type(msg)
    if ctype == "multipart/report" and report in ("delivery-status", "global-delivery-status"):
        return f"bounce: multipart/report report-type={report}"
    if ctype == "multipart/report" and report == "feedback-report":
        return "bounce: abuse feedback report (report-type=feedback-report)"
    if (msg.header("x-ms-exchange-message-is-ndr") or "").strip().lower() == "true":
        return "bounce: X-MS-Exchange-Message-Is-Ndr"
    if msg.header("x-failed-recipients"):
        return "bounce: X-Failed-Recipients header"
    local = msg.sender.email.partition("@")[0] if msg.sender else ""
    name = msg.sender.name.lower() if msg.sender else ""
    if local in sig.DAEMON_LOCALPARTS or "mailer-daemon" in name:
        return f"bounce: sent by {msg.sender.email if msg.sender else local}"
    if ctype == "message/delivery-status":
        return "bounce: a bare message/delivery-status report"
    subject_bounce = sig.BOUNCE_SUBJECT.search(msg.subject)
    body_bounce = sig.BOUNCE_BODY.search(msg.body_text[:4000])
    if subject_bounce:
        phrase = subject_bounce.group(0)
        if msg.return_path == "":
            return f"bounce: null Return-Path with subject {phrase!r}"
        if msg.sender is None or "delivery" in name or "delivery" in local:
            return f"bounce: subject {phrase!r} from {msg.sender or 'no sender'}"
        if body_bounce:
            return f"bounce: subject {phrase!r} and wording {body_bounce.group(0)!r}"
    if msg.return_path == "" and body_bounce:
        return f"bounce: null Return-Path with wording {body_bounce.group(0)!r}"
    return None


def _forwards_outsider(msg: Message, own_domains: frozenset[str]) -> bool:
    """A staff message hands us someone else's mail to act on."""
    if any(a.content_type == "message/rfc822" for a in msg.attachments):
        return True
    marker = sig.FORWARD_HINT.search(msg.body_text) or sig.FWD_SUBJECT.match(msg.subject)
    if not marker:
        return False
    return any(
        not _in_domains(m.rpartition("@")[2], own_domains) for m in sig.EMAIL.findall(msg.body_text)
    )


def _auto_reply(msg: Message) -> str | None:
    auto = (msg.header("auto-submitted") or "").strip()
    if auto and auto.split(";")[0].strip().lower() != "no":
        return f"auto-reply: Auto-Submitted: {auto[:40]}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"):
        value = msg.header(name)
        if value is not None and value.strip().lower() not in ("no", "false", "0"):
            return f"auto-reply: {name}: {value.strip()[:40] or '(empty)'}"
    precedence = (msg.header("precedence") or "").strip().lower()
    if precedence == "auto_reply":
        return "auto-reply: Precedence: auto_reply"
    ctype, report = _content_type(msg)
    if ctype == "multipart/report" and report == "disposition-notification":
        return "auto-reply: read receipt (report-type=disposition-notification)"
    subject = sig.OOO_SUBJECT.match(msg.subject)
    if subject:
        return f"auto-reply: out-of-office subject {subject.group('phrase')!r}"
    if msg.header("x-auto-response-suppress") and sig.OOO_BODY.search(msg.new_text[:2000]):
        return "auto-reply: out-of-office wording with X-Auto-Response-Suppress"
    return None


# Unsolicited marketing pitches that every small business's support inbox gets
# (SEO, link building, "page 1 of Google"): spam, whatever the trade.  Two
# different pitch phrases are needed, and a reply in a thread never counts, so a
# customer mentioning Google once stays a case.
_PITCH = re.compile(
    r"\b(?:guest[- ]posts?|do-?follow|back-?links?|link[- ]building|seo (?:services|packages?|"
    r"agency|experts?|audit)|search engine optimi[sz]ation|(?:first|1st) page (?:of|on) google|"
    r"page (?:1|one) (?:of|on) google|rank(?:ing)? (?:higher|#?1|first) (?:on|in) google|"
    r"(?:increase|boost|double) your (?:website |site |organic )?traffic|"
    r"(?:our|affordable) (?:seo|web design|app development|lead generation|digital marketing) "
    r"(?:services|packages)|packages start at|outreach (?:manager|team|specialist))\b",
    re.IGNORECASE,
)


def _pitch(msg: Message) -> str | None:
    if msg.in_reply_to or msg.references:
        return None
    found = {m.group(0).lower() for m in _PITCH.finditer(f"{msg.subject}\n{msg.new_text}")}
    if len(found) >= 2:
        shown = ", ".join(f'"{f}"' for f in sorted(found)[:3])
        return f"spam: an unsolicited marketing pitch ({shown})"
    return None


def _spam(msg: Message, own_domains: frozenset[str]) -> str | None:
    flag = (msg.header("x-spam-flag") or "").strip().lower()
    status = (msg.header("x-spam-status") or "").strip().lower()
    if flag == "yes" or status.startswith("yes"):
        return "spam: the receiving spam filter flagged it (X-Spam-Flag/X-Spam-Status)"
    if not msg.sender or _in_domains(msg.sender.domain, own_domains):
        return None
    auth = " ".join(msg.header_all("authentication-results")).lower()
    failed = re.search(r"\b(dmarc|spf)=fail\b", auth)
    brands = {_brand(d) for d in own_domains}
    if failed and any(len(b) >= 5 and b in msg.sender.domain for b in brands):
        return f"spam: {msg.sender.domain} imitates our domain and fails {failed.group(1)}"
    return None


def _bulk(msg: Message) -> str | None:
    """Broadcast mail; see rule 5 in the module docstring.

    Without a strong signal, list mail is weighed: marketing signs against
    signs of people talking (a reply in a thread, a list members post to).
    Discussion lists (vger, Mailman) also send ``Precedence: bulk``, so that
    alone never decides.
    """
    unsubscribe = msg.header("list-unsubscribe")
    if unsubscribe is None and msg.header("list-id") is None:
        return None
    which = "List-Unsubscribe" if unsubscribe is not None else "List-Id"
    if msg.header("list-unsubscribe-post") is not None:
        return "bulk: one-click List-Unsubscribe-Post (a mass sender)"
    for name, _value in msg.headers:
        if name in sig.ESP_HEADERS or name.startswith(sig.ESP_HEADER_PREFIXES):
            return f"bulk: {which} with bulk-mail service header {name}"
    marketing: list[str] = []
    precedence = (msg.header("precedence") or "").strip().lower()
    if precedence in ("bulk", "junk"):
        marketing.append(f"Precedence: {precedence}")
    local = msg.sender.email.partition("@")[0] if msg.sender else ""
    if sig.BULK_LOCALPART.match(local):
        marketing.append(f"sender {local}@")
    if unsubscribe is not None and "http" in unsubscribe.lower():
        marketing.append("web unsubscribe link")
    if sig.MARKETING_BODY.search(msg.body_text[-6000:]):
        marketing.append("preference-centre wording")
    human = 0
    if msg.in_reply_to or msg.references:
        human += 1
    post = (msg.header("list-post") or "").strip().lower()
    if (post and post != "no") or msg.header("x-google-group-id") is not None:
        human += 1  # a list its members post to: a customer's group
    if len(marketing) - human >= 2:
        return f"bulk: {which} with " + ", ".join(marketing)
    return None


def classify(
    msg: Message,
    *,
    own_addresses: frozenset[str],
    own_domains: frozenset[str],
    loop_header: str = "X-Sheetdesk-Loop",
    protected_domains: frozenset[str] = frozenset(),
) -> Verdict:
    """The verdict for ``msg``; addresses and domains are compared lower-case.
    ``protected_domains`` (the key accounts') are, with ours, the domains a
    lookalike sender is spam for imitating (``automation.mail.impersonation``)."""
    own_addresses = frozenset(a.lower() for a in own_addresses)
    own_domains = frozenset(d.lower().lstrip("@") for d in own_domains)
    reason = _own_mail(msg, own_addresses, own_domains, loop_header)
    if reason:
        return Verdict(VerdictKind.OWN_MAIL, reason)
    reason = _bounce(msg)
    if reason:
        return Verdict(VerdictKind.BOUNCE, reason)
    if msg.sender and _in_domains(msg.sender.domain, own_domains):
        if not _forwards_outsider(msg, own_domains):
            return Verdict(
                VerdictKind.OWN_MAIL,
                f"own mail: {msg.sender.email} is staff and forwards no customer",
            )
    reason = _auto_reply(msg)
    if reason:
        return Verdict(VerdictKind.AUTO_REPLY, reason)
    protected = own_domains | frozenset(d.lower() for d in protected_domains)
    reason = (
        _spam(msg, own_domains)
        or imp.impersonates(msg, protected)
        or imp.phishing(msg)
        or _pitch(msg)
        or imp.cold_pitch(msg)
        or _bulk(msg)
    )
    if reason:
        return Verdict(VerdictKind.BULK, reason)
    if msg.sender and _in_domains(msg.sender.domain, own_domains):
        return Verdict(VerdictKind.CASE, f"case: {msg.sender.email} forwards a customer's mail")
    return Verdict(VerdictKind.CASE, "case: no non-case signal")
