"""classify() rule by rule, on messages built as real bytes and parsed."""

from __future__ import annotations

import pytest

from automation.mail.classify import classify
from automation.mail.reader import parse_message
from automation.model import VerdictKind

OWN_ADDRESSES = frozenset({"help@acme-tools.example", "notify@acme-tools.example"})
OWN_DOMAINS = frozenset({"acme-tools.example", "desk.acme-tools.example"})


def message(headers: str, body: str = "Hello, my drill stopped working.\n") -> bytes:
    base = "Date: Tue, 04 Mar 2025 09:00:00 +0000\nMessage-ID: <m1@mail.example.net>\n"
    return (base + headers.strip("\n") + "\n\n" + body).replace("\n", "\r\n").encode()


def verdict(raw: bytes) -> tuple[VerdictKind, str]:
    v = classify(parse_message(raw, "k"), own_addresses=OWN_ADDRESSES, own_domains=OWN_DOMAINS)
    return v.kind, v.reason


CUSTOMER = "From: Ann <ann@customer.example>\nTo: help@acme-tools.example\n"

CASES = [
    ("plain customer", CUSTOMER + "Subject: Drill broken", VerdictKind.CASE),
    ("loop header", CUSTOMER + "Subject: x\nX-Sheetdesk-Loop: 1", VerdictKind.OWN_MAIL),
    ("own address", "From: notify@acme-tools.example\nSubject: New order", VerdictKind.OWN_MAIL),
    (
        "dsn report",
        "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>\nSubject: Undelivered\n"
        "Auto-Submitted: auto-replied\nContent-Type: multipart/report; "
        'report-type="delivery-status"; boundary="b"',
        VerdictKind.BOUNCE,
    ),
    (
        "postmaster",
        "From: postmaster@customer.example\nSubject: Delivery report",
        VerdictKind.BOUNCE,
    ),
    (
        "null return path bounce",
        "Return-Path: <>\nFrom: ops@customer.example\nSubject: Undeliverable: Re: your order",
        VerdictKind.BOUNCE,
    ),
    (
        "own relay bounce",
        "From: MAILER-DAEMON@desk.acme-tools.example\nSubject: Returned mail",
        VerdictKind.BOUNCE,
    ),
    (
        "auto-submitted",
        CUSTOMER + "Subject: Re: x\nAuto-Submitted: auto-replied",
        VerdictKind.AUTO_REPLY,
    ),
    ("auto-submitted no", CUSTOMER + "Subject: Re: x\nAuto-Submitted: no", VerdictKind.CASE),
    ("x-autoreply", CUSTOMER + "Subject: Re: x\nX-Autoreply: yes", VerdictKind.AUTO_REPLY),
    (
        "precedence auto_reply",
        CUSTOMER + "Subject: Re: x\nPrecedence: auto_reply",
        VerdictKind.AUTO_REPLY,
    ),
    (
        "suppress alone is normal outlook mail",
        CUSTOMER + "Subject: Invoice question\nX-Auto-Response-Suppress: All",
        VerdictKind.CASE,
    ),
    (
        "customer says out of office hours",
        CUSTOMER + "Subject: Out of office hours support?",
        VerdictKind.CASE,
    ),
    (
        "bulk newsletter",
        "From: Shop News <news@brand.example>\nSubject: Spring deals\nPrecedence: bulk\n"
        "List-Unsubscribe: <https://brand.example/unsub?u=1>",
        VerdictKind.BULK,
    ),
    (
        "one-click unsubscribe",
        "From: Deals <hello@brand.example>\nSubject: Sale\n"
        "List-Unsubscribe: <https://brand.example/u>\nList-Unsubscribe-Post: "
        "List-Unsubscribe=One-Click",
        VerdictKind.BULK,
    ),
    (
        "customer google group stays a case",
        "From: Ann via Orders <orders@customer.example>\nSubject: Standing order change\n"
        "List-Id: <orders.customer.example>\nList-Post: <mailto:orders@customer.example>\n"
        "List-Unsubscribe: <mailto:googlegroups-manage+1+unsubscribe@googlegroups.com>\n"
        "Precedence: list\nX-Google-Group-Id: 1234",
        VerdictKind.CASE,
    ),
    (
        "discussion list with precedence bulk stays a case",
        "From: Bo <bo@customer.example>\nSubject: Re: firmware\nIn-Reply-To: <p@x>\n"
        "List-Id: <users.lists.example>\nPrecedence: bulk",
        VerdictKind.CASE,
    ),
    ("spam flag", CUSTOMER + "Subject: win\nX-Spam-Flag: YES", VerdictKind.BULK),
    (
        "lookalike phishing",
        "From: Acme Payouts <pay@acme-tools-payouts.example>\nSubject: Verify your account\n"
        "Authentication-Results: mx.acme-tools.example; spf=fail; dmarc=fail",
        VerdictKind.BULK,
    ),
]


@pytest.mark.parametrize(("name", "headers", "kind"), CASES, ids=[c[0] for c in CASES])
def test_rules(name: str, headers: str, kind: VerdictKind) -> None:
    got, reason = verdict(message(headers))
    assert got is kind, (name, reason)
    assert reason.startswith(("case", "own mail", "bounce", "auto-reply", "bulk", "spam"))


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Re: order 12",
        "Automatic reply: Re: invoice",
        "Auto-Reply: your message",
        "Away from the office",
        "Abwesenheitsnotiz: Re: Dichtungen",
        "Automatische Antwort: Rechnung",
        "Nicht im Büro: Re: x",
        "Absence du bureau : Re: x",
        "Réponse automatique : x",
        "Fuera de la oficina: x",
        "Respuesta automática: x",
        "Afwezig: Re: x",
        "Automatisch antwoord: x",
        "Fuori sede: Re: x",
        "Risposta automatica: Re: x",
        "Ausente: Re: x",
        "Resposta automática: x",
        "不在: Re: x",
        "Re: [Ticket 5] Automatic reply: x",
    ],
)
def test_out_of_office_subjects(subject: str) -> None:
    kind, reason = verdict(message(CUSTOMER + f"Subject: {subject}"))
    assert kind is VerdictKind.AUTO_REPLY, reason
    assert "out-of-office subject" in reason


def test_bounce_wins_over_auto_submitted() -> None:
    kind, reason = verdict(
        message(
            "From: MAILER-DAEMON@mx.customer.example\nSubject: failure notice\n"
            "Auto-Submitted: auto-replied"
        )
    )
    assert kind is VerdictKind.BOUNCE, reason


def test_staff_note_is_own_mail_but_staff_forward_is_a_case() -> None:
    note = message(
        "From: Kim <kim@acme-tools.example>\nTo: help@acme-tools.example\n"
        "Subject: Heads-up: stocktake Friday",
        "Please don't ship after 3pm.\n",
    )
    kind, reason = verdict(note)
    assert kind is VerdictKind.OWN_MAIL and "forwards no customer" in reason
    forward = message(
        "From: Kim <kim@acme-tools.example>\nTo: help@acme-tools.example\n"
        "Subject: Fwd: drill broken",
        "Please log this.\n\n---------- Forwarded message ---------\n"
        "From: Ann <ann@customer.example>\nSubject: drill broken\n\nIt stopped.\n",
    )
    kind, reason = verdict(forward)
    assert kind is VerdictKind.CASE, reason


def test_our_message_id_coming_back_is_own_mail() -> None:
    raw = message(CUSTOMER + "Subject: Re: x").replace(
        b"<m1@mail.example.net>", b"<c-1.abc@desk.acme-tools.example>"
    )
    kind, reason = verdict(raw)
    assert kind is VerdictKind.OWN_MAIL and "Message-ID" in reason


def test_out_of_office_body_with_suppress_header() -> None:
    raw = message(
        CUSTOMER + "Subject: Re: your order\nX-Auto-Response-Suppress: All",
        "I am out of the office until Monday with limited access to email.\n",
    )
    kind, _ = verdict(raw)
    assert kind is VerdictKind.AUTO_REPLY


def test_disclaimer_text_does_not_make_an_auto_reply() -> None:
    raw = message(
        CUSTOMER + "Subject: Grinder\nX-Auto-Response-Suppress: All",
        "The grinder jams.\n\nThis email is confidential. If you are out of the "
        "office please forward it.\n",
    )
    kind, _ = verdict(raw)
    assert kind is VerdictKind.CASE


@pytest.mark.parametrize(
    ("headers", "body", "kind"),
    [
        (
            "From: Ann <ann@growth-agency.example>\nSubject: Guest post on your blog?\n",
            "I'd like to offer a guest post with a do-follow link. "
            "Our SEO packages start at $99.\n",
            VerdictKind.BULK,
        ),
        (
            "From: Ann <ann@example.org>\nSubject: Your shop is not on Google\n",
            "I searched for you on Google and could not find your opening hours. Can you help?\n",
            VerdictKind.CASE,
        ),
        (
            "From: Ann <ann@example.org>\nSubject: Re: guest post\nIn-Reply-To: <ours@acme>\n",
            "About the guest post and the backlinks we agreed: here is the text.\n",
            VerdictKind.CASE,
        ),
    ],
    ids=["pitch", "customer mentions google", "reply in a thread"],
)
def test_unsolicited_marketing_pitch(headers: str, body: str, kind: VerdictKind) -> None:
    assert verdict(message(headers, body))[0] is kind
