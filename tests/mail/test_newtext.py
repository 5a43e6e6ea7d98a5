"""split_new_text across client styles and languages.

Each sample is a realistic body as the client writes it; ``keep`` must survive
and ``drop`` must be gone.
"""

from __future__ import annotations

import pytest

from automation.mail.new_text import forwarded_text, split_new_text

SAMPLES = [
    (
        "gmail-en",
        "Thanks, that worked.\n\nOn Mon, 3 Mar 2025 at 10:12, Bramble Support "
        "<support@example.com> wrote:\n> Please try resetting the grinder.\n> urgent",
        "Thanks, that worked.",
        "urgent",
    ),
    (
        "gmail-en-wrapped-attribution",
        "Still broken.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Very Long Support Team Name\n"
        "<support@example.com> wrote:\n\n> Did you descale it?\n",
        "Still broken.",
        "descale",
    ),
    (
        "gmail-de",
        "Danke, alles klar.\n\nAm Mo., 3. März 2025 um 10:12 Uhr schrieb Support "
        "<support@example.com>:\n> Bitte dringend antworten.",
        "Danke, alles klar.",
        "dringend",
    ),
    (
        "gmail-fr",
        "Merci beaucoup.\n\nLe lun. 3 mars 2025 à 10:12, Support <support@example.com> a écrit :\n"
        "> C'est urgent ?",
        "Merci beaucoup.",
        "urgent",
    ),
    (
        "gmail-es",
        "Gracias.\n\nEl lun, 3 mar 2025 a las 10:12, Soporte (<support@example.com>) escribió:\n"
        "> ¿Es urgente?",
        "Gracias.",
        "urgente",
    ),
    (
        "gmail-ja",
        "ありがとうございます。\n\n2025年3月3日(月) 10:12 Support <support@example.com>:\n"
        "> 至急ご確認ください。",
        "ありがとうございます。",
        "至急",
    ),
    (
        "ja-kakimashita",
        "確認しました。\n\n2025/03/03 10:12 に Support が書きました:\n> 至急",
        "確認しました。",
        "至急",
    ),
    (
        "apple-mail-ja",
        "了解です。\n\n2025/03/03 10:12、Support <support@example.com>のメッセージ:\n\n> 至急",
        "了解です。",
        "至急",
    ),
    (
        "apple-mail-en",
        "Perfect, thank you!\n\nSent from my iPhone\n\nOn 3 Mar 2025, at 10:12, Support "
        "<support@example.com> wrote:\n\n> The part ships today. Urgent?",
        "Perfect, thank you!",
        "Sent from my iPhone",
    ),
    (
        "outlook-original-message",
        "Please cancel the order.\n\n-----Original Message-----\nFrom: Support\n"
        "Sent: Monday, March 3, 2025 10:12 AM\nTo: Anna\nSubject: Order\n\nWe are furious too",
        "Please cancel the order.",
        "furious",
    ),
    (
        "outlook-header-block-en",
        "Here is the invoice number.\n\n________________________________\n"
        "From: Support <support@example.com>\nSent: Monday, March 3, 2025 10:12\n"
        "To: Anna <anna@example.org>\nSubject: RE: invoice\n\nThis is urgent",
        "Here is the invoice number.",
        "This is urgent",
    ),
    (
        "outlook-de",
        "Anbei die Rechnung.\n\nVon: Support <support@example.com>\n"
        "Gesendet: Montag, 3. März 2025 10:12\nAn: Anna\nBetreff: Rechnung\n\ndringend",
        "Anbei die Rechnung.",
        "dringend",
    ),
    (
        "outlook-fr",
        "Voici la facture.\n\nDe : Support <support@example.com>\n"
        "Envoyé : lundi 3 mars 2025 10:12\nÀ : Anna\nObjet : Facture\n\nurgent",
        "Voici la facture.",
        "Objet",
    ),
    (
        "outlook-es",
        "Adjunto la factura.\n\nDe: Soporte <support@example.com>\n"
        "Enviado: lunes, 3 de marzo de 2025 10:12\nPara: Ana\nAsunto: Factura\n\nurgente",
        "Adjunto la factura.",
        "urgente",
    ),
    (
        "outlook-ja",
        "請求書を添付します。\n\n差出人: Support <support@example.com>\n"
        "送信日時: 2025年3月3日 10:12\n宛先: Anna\n件名: 請求書\n\n至急",
        "請求書を添付します。",
        "至急",
    ),
    (
        "outlook-one-line",
        "See below.\n\nFrom: Support <support@example.com> Sent: Monday, March 3 To: Anna "
        "Subject: RE: order\nurgent stuff",
        "See below.",
        "urgent stuff",
    ),
    (
        "bottom-posting-keeps-answer",
        "On Mon, 3 Mar 2025, Support <support@example.com> wrote:\n> Which model?\n\n"
        "The Orbit 58.\n\n-- \nAnna",
        "The Orbit 58.",
        "Which model",
    ),
    (
        "inline-answers",
        "> Which model?\nOrbit 58\n> Serial number?\nSN-1234\n",
        "SN-1234",
        "Serial number?",
    ),
    (
        "signature-delimiter",
        "My grinder is making a noise.\n\n-- \nAnna Berg\nCafé Berg | urgent deliveries 24/7",
        "grinder is making a noise",
        "urgent deliveries",
    ),
    (
        "mobile-de",
        "Passt, danke!\n\nVon meinem iPhone gesendet\n\nAm 03.03.2025 um 10:12 schrieb Support:\n"
        "dringend",
        "Passt, danke!",
        "iPhone",
    ),
    ("mobile-fr", "Merci !\n\nEnvoyé de mon iPhone", "Merci !", "iPhone"),
    ("mobile-es", "Gracias\n\nEnviado desde mi iPhone", "Gracias", "iPhone"),
    (
        "disclaimer-en",
        "Please resend invoice 211.\n\nKind regards,\nShona\n\nThis email and any attachments "
        "are confidential and intended solely for the addressee. If you received it in error "
        "notify the sender immediately.",
        "Kind regards,\nShona",
        "immediately",
    ),
    (
        "disclaimer-heading",
        "Where is my order?\n\nCONFIDENTIALITY NOTICE: The contents of this email are "
        "confidential. Urgent action is prohibited.",
        "Where is my order?",
        "Urgent",
    ),
    (
        "disclaimer-de",
        "Bitte Rückruf.\n\nDiese E-Mail enthält vertrauliche Informationen. Sofortige "
        "Benachrichtigung erbeten.",
        "Bitte Rückruf.",
        "vertrauliche",
    ),
    (
        "disclaimer-word-in-text-is-kept",
        "Disclaimer: I'm no expert, but the pump sounds broken.\n\nThanks",
        "the pump sounds broken",
        "@@nothing@@",
    ),
    (
        "external-banner-on-top",
        "CAUTION: This email originated from outside of the organization.\n\n"
        "Our espresso machine is down.",
        "espresso machine is down",
        "CAUTION",
    ),
    (
        "forward-gmail",
        "Can you help this customer?\n\n---------- Forwarded message ---------\n"
        "From: Pat <pat@example.net>\nDate: Fri, Apr 4, 2025\nSubject: kettle\n\nLid broke.",
        "Can you help this customer?",
        "Lid broke",
    ),
    (
        "forward-apple",
        "FYI\n\nBegin forwarded message:\n\nFrom: Pat <pat@example.net>\nSubject: x\n\nLid broke.",
        "FYI",
        "Lid broke",
    ),
    (
        "sign-off-kept",
        "The order arrived damaged.\n\nBest regards,\nAnna Berg\nHead of Operations",
        "Best regards,\nAnna Berg",
        "@@nothing@@",
    ),
]


@pytest.mark.parametrize(("style", "body", "keep", "drop"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_split_new_text(style: str, body: str, keep: str, drop: str) -> None:
    new = split_new_text(body)
    assert keep in new, style
    assert drop not in new, style


def test_crlf_and_plain_message_unchanged() -> None:
    body = "Hello,\r\n\r\nThe scale shows Err 3.\r\n\r\nThanks\r\nMo"
    assert split_new_text(body) == "Hello,\n\nThe scale shows Err 3.\n\nThanks\nMo"


def test_quote_only_message_is_empty() -> None:
    assert split_new_text("> all quoted\n> nothing new\n") == ""


def test_weak_attribution_needs_quotes() -> None:
    # "X wrote:" followed by the sender's own words is not a quote heading.
    body = "Here is what my colleague wrote:\nThe valve leaks."
    assert "The valve leaks." in split_new_text(body)


def test_forwarded_text_returns_the_forwarded_message() -> None:
    body = (
        "Logging this for the customer.\n\n---------- Forwarded message ---------\n"
        "From: Pat <pat@example.net>\nDate: Fri, Apr 4, 2025 at 9:48 AM\nSubject: lid\n"
        "To: <caleb@example.com>\n\nThe hinge snapped, this is urgent.\n\n-- \nPat"
    )
    assert forwarded_text(body) == "The hinge snapped, this is urgent."
    assert forwarded_text("no forward here") == ""


def test_long_hostile_line_is_fine() -> None:
    body = "a" * 500_000 + "\n> quoted"
    assert split_new_text(body).startswith("aaa")
