"""Spam and impersonation by shape: lookalike domains, failed authentication with
replies redirected or a lure, cold pitches in any wording; a customer reporting
phishing (the fake attached or quoted) stays a case."""

from __future__ import annotations

import pytest

from automation.mail.classify import classify
from automation.mail.impersonation import lookalike
from automation.mail.reader import parse_message
from automation.model import VerdictKind

OWN = frozenset({"acme-tools.example"})
DOMAINS = frozenset({"acmetools.ie", "desk.acmetools.ie"})
KEY_ACCOUNTS = frozenset({"harbourhotels.ie", "northwind.co.uk"})
FAIL = (
    "Authentication-Results: mx.acmetools.ie; spf=fail smtp.mailfrom={d}; dkim=none; "
    "dmarc=fail header.from={d}\n"
)
PASS = (
    "Authentication-Results: mx.acmetools.ie; spf=pass smtp.mailfrom={d}; dkim=pass; "
    "dmarc=pass header.from={d}\n"
)


def raw(sender: str, subject: str, body: str, extra: str = "") -> bytes:
    head = (
        f"From: {sender}\nTo: support@acmetools.ie\nSubject: {subject}\n"
        "Date: Tue, 04 Mar 2025 09:00:00 +0000\nMessage-ID: <m1@mail.example.net>\n" + extra
    )
    return (head + "\n" + body).replace("\n", "\r\n").encode()


def verdict(data: bytes) -> tuple[VerdictKind, str]:
    v = classify(
        parse_message(data, "k"),
        own_addresses=OWN,
        own_domains=DOMAINS,
        protected_domains=KEY_ACCOUNTS,
    )
    return v.kind, v.reason


SPAM = [
    (
        "key account lookalike, one letter dropped, reply elsewhere",
        raw(
            "Ria <ria@harbourhotls.ie>",
            "Confidential: salary account change",
            "Please update the salary account before Friday. IBAN IE29 NWBK 9000 0155 4422 18",
            FAIL.format(d="harbourhotls.ie") + "Reply-To: ria <ria.people@outlook-mail.net>\n",
        ),
        "imitates harbourhotels.ie (1 edit away)",
    ),
    (
        "our own name with a word added",
        raw(
            "Payouts <pay@acmetools-payouts.com>",
            "Your payout is on hold",
            "Confirm your details to release the payout: https://acmetools-payouts.com/x",
        ),
        "imitates acmetools.ie (the name with a word added)",
    ),
    (
        "confusable letters (rn for m)",
        raw("Ops <ops@northwirnd.co.uk>", "Invoice", "See the attached invoice."),
        "imitates northwind.co.uk",
    ),
    (
        "authority refund lure that fails DMARC",
        raw(
            "Tax Office <no-reply@tax-refunds-online.example>",
            "Tax refund notification",
            "You are eligible for a refund. Claim your refund within 48 hours: "
            "https://tax-refunds-online.example/claim",
            FAIL.format(d="tax-refunds-online.example"),
        ),
        'asks the reader to "Claim your refund"',
    ),
    (
        "cold pitch worded like no list",
        raw(
            "Ritu <ritu@scaleteam.example>",
            "Scale your practice",
            "Hi there,\nI came across your firm on LinkedIn. We provide dedicated offshore "
            "bookkeepers from just $7/hour, no contracts.\nCan I send over a few CVs this "
            "week?\nIf you don't want to hear from me again, reply STOP.",
        ),
        "unsolicited pitch (cold opener, services offered, call to action, opt-out line)",
    ),
]


@pytest.mark.parametrize(("name", "data", "reason"), SPAM)
def test_spam_by_shape(name: str, data: bytes, reason: str) -> None:
    kind, why = verdict(data)
    assert kind is VerdictKind.BULK, why
    assert why.startswith("spam: ") and reason in why


CASES = [
    (
        "the key account itself, from a subdomain",
        raw("Ann <ann@mail.harbourhotels.ie>", "Rota question", "Can you check the rota?"),
    ),
    (
        "a customer reporting phishing that imitates us, the fake quoted",
        raw(
            "Deirdre <deirdre@bakery.example>",
            "Is this invoice from you?",
            "I got the mail below, supposedly from your accounts team, asking us to pay a new "
            "account. Is this real?\n\n> From: accounts@acmetools-billing.com\n> Claim your "
            "refund: https://acmetools-billing.com/pay\n",
            PASS.format(d="bakery.example"),
        ),
    ),
    (
        "a customer whose reply-to is their own other address",
        raw(
            "Bo <bo@shop.example>",
            "Order 12",
            "Where is my order? Please reply to my gmail.",
            PASS.format(d="shop.example") + "Reply-To: bo <bo.shop@gmail.com>\n",
        ),
    ),
    (
        "a customer answering our pitch-like newsletter in a thread",
        raw(
            "Cy <cy@cafe.example>",
            "Re: offer",
            "I came across your offer, we provide coffee to 3 cafes; can I send our order? "
            "reply stop? no!",
            "In-Reply-To: <n1@acmetools.ie>\n",
        ),
    ),
]


@pytest.mark.parametrize(("name", "data"), CASES)
def test_cases_stay_cases(name: str, data: bytes) -> None:
    kind, why = verdict(data)
    assert kind is VerdictKind.CASE, why


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("harbourhotels.ie", None),
        ("www.harbourhotels.ie", None),
        ("harbourhotels.com", ("harbourhotels.ie", "same name")),
        ("harb0urhotels.ie", ("harbourhotels.ie", "confusable characters")),
        ("gmail.com", None),
        ("", None),
    ],
)
def test_lookalike(domain: str, expected: tuple[str, str] | None) -> None:
    assert lookalike(domain, KEY_ACCOUNTS) == expected


def test_same_name_other_tld_needs_more_evidence() -> None:
    plain = raw("Ann <ann@harbourhotels.com>", "Rota", "Can you check the rota?")
    assert verdict(plain)[0] is VerdictKind.CASE
    failing = raw(
        "Ann <ann@harbourhotels.com>",
        "Rota",
        "Can you check the rota?",
        FAIL.format(d="harbourhotels.com"),
    )
    assert verdict(failing)[0] is VerdictKind.BULK
