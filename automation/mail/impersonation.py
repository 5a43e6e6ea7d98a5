"""Spam and impersonation by shape: pure rules over ``Message`` that need no
phrase list from any one business.

* a sender domain that imitates one we protect (our own domains and the key
  accounts' domains): one or two edits away, or equal once confusable characters
  are folded (``rn`` for ``m``, ``0`` for ``o``, a hyphen added);
* mail that fails SPF/DMARC and either sends replies to another domain or asks
  the reader to click through to claim, verify or pay;
* an unsolicited pitch: a cold opener, services offered, a call to action and an
  opt-out line, in a message that answers nothing.

A customer reporting phishing writes from their own, authenticated domain and
quotes or attaches the fake; none of these rules looks at quoted or attached
mail, so such a report stays a case.
"""

from __future__ import annotations

import re

from automation.model import Message

_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})
_CONFUSABLE = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("-", ""), ("_", ""))


def brand(domain: str) -> str:
    """The registrable label of a domain: acme in shop.acme.co.uk."""
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _fold(label: str) -> str:
    for fake, real in _CONFUSABLE:
        label = label.replace(fake, real)
    return label


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _within(domain: str, protected: str) -> bool:
    return domain == protected or domain.endswith("." + protected)


def lookalike(domain: str, protected: frozenset[str]) -> tuple[str, str] | None:
    """(the protected domain ``domain`` imitates, how), or None.  The real one is
    not a lookalike of itself, nor are its subdomains.  The same name under
    another top-level domain is returned as "same name": often the company's own
    other domain, so the caller wants more evidence before calling it spam."""
    domain = domain.lower().rstrip(".")
    if not domain or any(_within(domain, p) for p in protected):
        return None
    mine = brand(domain)
    for target in sorted(protected):
        theirs = brand(target)
        if len(theirs) < 6:
            continue  # short names are one edit from too many real ones
        if mine == theirs:
            return target, "same name"
        if _fold(mine) == _fold(theirs):
            return target, "confusable characters"
        edits = _distance(mine, theirs, 2)
        if edits <= (1 if len(theirs) < 8 else 2):
            return target, f"{edits} edit{'s' if edits > 1 else ''} away"
        if mine.startswith(theirs + "-") or mine.endswith("-" + theirs):
            return target, "the name with a word added"
    return None


def impersonates(msg: Message, protected: frozenset[str]) -> str | None:
    """A sender domain imitating one of ``protected`` (ours, the key accounts')."""
    if msg.sender is None:
        return None
    found = lookalike(msg.sender.domain, protected)
    if found is None:
        return None
    target, how = found
    if how == "same name" and auth_failed(msg) is None and not msg.reply_to:
        return None
    return f"spam: {msg.sender.domain} imitates {target} ({how})"


def auth_failed(msg: Message) -> str | None:
    """ "dmarc" or "spf" when the receiving server recorded a failure."""
    results = " ".join(msg.header_all("authentication-results")).lower()
    found = re.search(r"\b(dmarc|spf)=fail\b", results)
    return found.group(1) if found else None


_LURE = re.compile(
    r"\b(?:claim (?:your|the) (?:refund|reward|prize)|"
    r"verify (?:your )?(?:account|identity|details)|"
    r"confirm (?:your )?(?:account|identity|details|payment)|update (?:your )?(?:payment|billing|"
    r"bank) (?:details|information)|(?:log|sign) ?in (?:here|now|to (?:claim|verify|confirm))|"
    r"reset (?:your )?password|new (?:bank )?account details|iban|account suspended)\b",
    re.IGNORECASE,
)


def phishing(msg: Message) -> str | None:
    """Failed authentication plus a redirect of replies or a lure to click or pay."""
    failed = auth_failed(msg)
    if failed is None or msg.sender is None:
        return None
    sender_brand = brand(msg.sender.domain)
    elsewhere = [a.email for a in msg.reply_to if brand(a.domain) != sender_brand]
    lure = _LURE.search(f"{msg.subject}\n{msg.new_text}")
    if elsewhere and (lure or "http" in msg.new_text):
        return f"spam: fails {failed}, replies go to {elsewhere[0]}" + (
            f' and it asks to "{lure.group(0)}"' if lure else ""
        )
    if lure and ("http" in msg.body_text or elsewhere):
        return f'spam: fails {failed} and asks the reader to "{lure.group(0)}" through a link'
    if elsewhere:
        return f"spam: fails {failed} and sends replies to another domain ({elsewhere[0]})"
    return None


_PITCH_PARTS = {
    "cold opener": re.compile(
        r"\b(?:came across|found (?:you|your (?:company|website|business|firm))|loved what you|"
        r"i noticed (?:that )?your|hope this (?:email |message )?finds you|reaching out|"
        r"quick question for you)\b",
        re.IGNORECASE,
    ),
    "services offered": re.compile(
        r"\b(?:we (?:provide|offer|help|specialise|specialize|build|deliver)|from (?:just |only )?"
        r"[$€£]\s?\d|(?:start|starting) at (?:just |only )?[$€£]\s?\d|save (?:up to )?\d+\s?%|"
        r"no contracts?|free (?:trial|audit|consultation|quote|demo)|"
        r"dedicated (?:team|offshore|developers?|bookkeepers?))\b",
        re.IGNORECASE,
    ),
    "call to action": re.compile(
        r"\b(?:can i send|could i send|would you be open|are you open to|worth a (?:quick )?"
        r"(?:call|chat)|book a (?:call|demo|meeting)|\d+[- ]minute (?:call|chat)|just reply "
        r"(?:yes|interested)|let me know if you(?:'d| would) like)\b",
        re.IGNORECASE,
    ),
    "opt-out line": re.compile(
        r"\b(?:reply (?:stop|no|unsubscribe)|don'?t want to hear from (?:me|us)|not interested\?|"
        r"opt[- ]out|unsubscribe)\b",
        re.IGNORECASE,
    ),
}


def cold_pitch(msg: Message) -> str | None:
    """An unsolicited pitch by its shape: three of the four parts, and no thread."""
    if msg.in_reply_to or msg.references:
        return None
    text = f"{msg.subject}\n{msg.body_text[:6000]}"
    parts = [name for name, pattern in _PITCH_PARTS.items() if pattern.search(text)]
    if len(parts) >= 3:
        return "spam: an unsolicited pitch (" + ", ".join(parts) + ")"
    return None
