"""The demo's inbox: a dozen realistic messages to a small lighting shop.

Written for sheetdesk's demo (not taken from anywhere).  They cover the
ordinary case, the angry repeat customer, an outage, a security worry, a legal
threat, a wholesale prospect, a German and a Japanese customer, an out-of-office reply, a
bounce and a newsletter; the demo adds a customer's reply in its second cycle.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

SUPPORT = "support@lumenandloom.example"

# (from, subject, body, extra headers, minutes before "now")
MESSAGES: list[tuple[str, str, str, dict[str, str], int]] = [
    (
        "Hannah Moore <hannah.moore@mailbox.example.org>",
        "Where is my order #4471?",
        "Hi,\n\nI ordered two pendant lamps ten days ago (order #4471) and the tracking page\n"
        "still says 'label created'. Could you check what is going on?\n\nThanks,\nHannah",
        {},
        95,
    ),
    (
        "Raj Patel <raj@patel-design.example.co.uk>",
        "Charged twice for the same invoice",
        "Hello,\n\nOur card was charged twice for invoice INV-2291 (GBP 418.00 each time).\n"
        "The bank statement and the Stripe receipt don't match the delivery either - we only\n"
        "received one box. Please refund the duplicate.\n\nRaj Patel\nPatel Design Studio",
        {},
        90,
    ),
    (
        "Olivia Grant <ops@brightside-hotels.example.com>",
        "URGENT: order portal down, can't place orders",
        "Hi team,\n\nYour trade portal has been returning error 500 since 7am and none of our\n"
        "12 hotels can place their weekly orders. Our operations are stopped until this works.\n"
        "We need this fixed today.\n\nOlivia Grant\nHead of Operations, Brightside Hotels",
        {"Importance": "high"},
        80,
    ),
    (
        "Mark Ellison <mark.ellison@example.net>",
        "Third time I write about my broken lamp",
        "This is the third time I write about this. The floor lamp arrived with a cracked\n"
        "shade and NOBODY HAS REPLIED TO ME AT ALL. Frankly this is unacceptable and I am\n"
        "considering leaving a review and going elsewhere.\n\nMark",
        {},
        70,
    ),
    (
        "Sofia Ruiz <sofia.ruiz@example.org>",
        "Out of office: Re: your newsletter",
        "I am out of the office until Monday 8 December with limited access to email.\n"
        "For urgent matters please contact my colleague.\n\nSofia",
        {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
        65,
    ),
    (
        "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that "
        "your message could not be delivered to one or more recipients.\n\n"
        "<old.customer@example.net>: host mx.example.net said: 550 5.1.1 user unknown",
        {"Auto-Submitted": "auto-replied"},
        60,
    ),
    (
        "Lighting Trade Weekly <news@lighting-weekly.example.com>",
        "This week: 10 trends in LED retail",
        "Read this week's issue online. You receive this because you subscribed.\n"
        "Unsubscribe: https://lighting-weekly.example.com/u/123",
        {
            "Precedence": "bulk",
            "List-Unsubscribe": "<https://lighting-weekly.example.com/u/123>",
            "List-Id": "Lighting Trade Weekly <weekly.lighting-weekly.example.com>",
        },
        55,
    ),
    (
        "Daniel Okafor <d.okafor@greenleaf-cafes.example.com>",
        "Wholesale pricing for 30 locations",
        "Good morning,\n\nWe run a chain of 30 cafes and are planning a lighting refit next\n"
        "quarter. Could you send wholesale pricing and lead times for about 400 fittings?\n"
        "We'd be looking at an annual contract.\n\nBest regards,\nDaniel Okafor\nProcurement",
        {},
        45,
    ),
    (
        "Emma Lindqvist <emma.lindqvist@example.se>",
        "Suspicious email asking for my card details",
        "Hi,\n\nI just got an email that looks like it is from you, asking me to confirm my\n"
        "card details on a site that isn't yours. Was your customer data leaked? I'm worried\n"
        "my account was hacked.\n\nEmma",
        {},
        40,
    ),
    (
        "Thomas Berg <t.berg@berg-interiors.example.de>",
        "Dringend: Lieferung unvollständig",
        "Guten Tag,\n\nunsere Lieferung vom Montag ist unvollständig, es fehlen 6 Wandleuchten.\n"
        "Wir brauchen sie dringend bis Freitag für eine Eröffnung.\n\nMit freundlichen Grüßen\n"
        "Thomas Berg",
        {},
        30,
    ),
    (
        "Yuki Tanaka <y.tanaka@hikari-design.example.jp>",
        "ペンダントライトの納期について",
        "お世話になっております。\n\n先週注文したペンダントライト(注文番号 #4630)の納期を教えて"
        "いただけますでしょうか。\n店舗の改装に合わせて設置したいと考えております。\n\n"
        "よろしくお願いいたします。\n田中 由紀",
        {},
        25,
    ),
    (
        "Grace Liu <grace@liu-architects.example.com>",
        "Breach of contract - installation project",
        "Dear Sir or Madam,\n\nThe fittings for the Harbour Street project were delivered five\n"
        "weeks late, in breach of our contract. Unless we agree a settlement this week our\n"
        "solicitor will start legal action.\n\nGrace Liu\nLiu Architects",
        {},
        20,
    ),
    (
        "Ben Carter <ben.carter@example.com>",
        "Do you sell replacement bulbs for the Aria lamp?",
        "Hello! Just wondering whether you sell replacement bulbs for the Aria table lamp,\n"
        "and which wattage it takes. No rush at all.\n\nCheers, Ben\n\nSent from my iPhone",
        {},
        10,
    ),
]


def build_messages(now: datetime) -> list[bytes]:
    out = []
    for number, (sender, subject, body, extra, minutes) in enumerate(MESSAGES, start=1):
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = SUPPORT
        msg["Subject"] = subject
        msg["Date"] = format_datetime(now - timedelta(minutes=minutes))
        msg["Message-ID"] = f"<demo-{number:02d}.{int(now.timestamp())}@customers.example>"
        for key, value in extra.items():
            msg[key] = value
        msg.set_content(body)
        out.append(msg.as_bytes())
    return out


def reply_to(ack: EmailMessage, now: datetime) -> bytes:
    """The first customer's answer to our acknowledgement, quoting it."""
    msg = EmailMessage()
    msg["From"] = "Hannah Moore <hannah.moore@mailbox.example.org>"
    msg["To"] = SUPPORT
    msg["Subject"] = f"Re: {ack['Subject']}"
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<demo-reply.{int(now.timestamp())}@customers.example>"
    msg["In-Reply-To"] = ack["Message-ID"]
    msg["References"] = ack["Message-ID"]
    body = ack.get_body(("plain",))
    text = str(body.get_content()) if body is not None else ""
    quoted = "\n".join("> " + line for line in text.splitlines())
    msg.set_content(
        "Thanks - one more thing: the order number is #4471 and it was paid by PayPal.\n\n"
        f"On {ack['Date']}, Lumen & Loom Support wrote:\n{quoted}\n"
    )
    return msg.as_bytes()


# What the shop's owner types into the tabs after `init` (the demo does it for her).
TEAM_ROWS: list[dict[str, str]] = [
    {
        "Name": "Maya Chen",
        "Email": "maya@lumenandloom.example",
        "Roles": "legal, sales, retention",
        "Tier": "3",
        "Time zone": "Europe/London",
        "Working days": "Mon-Fri",
        "Start": "09:00",
        "End": "17:30",
        "Max open cases": "8",
        "Backup": "Sam Okoye",
        "Languages": "en",
        "Active": "Yes",
    },
    {
        "Name": "Sam Okoye",
        "Email": "sam@lumenandloom.example",
        "Roles": "general, billing, refunds",
        "Tier": "2",
        "Time zone": "Europe/London",
        "Working days": "Mon-Fri",
        "Start": "08:30",
        "End": "17:00",
        "Max open cases": "6",
        "Backup": "Lena Fischer",
        "Languages": "en, fr",
        "Active": "Yes",
    },
    {
        "Name": "Lena Fischer",
        "Email": "lena@lumenandloom.example",
        "Roles": "technical, general",
        "Tier": "2",
        "Time zone": "Europe/Berlin",
        "Working days": "Mon-Fri",
        "Start": "09:00",
        "End": "17:00",
        "Max open cases": "5",
        "Backup": "Sam Okoye",
        "Languages": "de, en",
        "Active": "Yes",
    },
    {
        "Name": "Jordan Diaz",
        "Email": "jordan@lumenandloom.example",
        "Roles": "general, refunds, sales",
        "Tier": "1",
        "Time zone": "America/New_York",
        "Working days": "Mon-Fri",
        "Start": "09:00",
        "End": "17:00",
        "Max open cases": "5",
        "Backup": "Sam Okoye",
        "Languages": "en, es",
        "Active": "Yes",
    },
]
ACCOUNT_ROWS: list[dict[str, str]] = [
    {
        "Domain": "brightside-hotels.example.com",
        "Company": "Brightside Hotels",
        "Plan": "Trade",
        "Contract value per year": "48000",
        "Account manager": "Maya Chen",
    },
]
