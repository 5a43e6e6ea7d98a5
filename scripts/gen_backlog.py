"""Generate a reproducible support-inbox backlog (seeded).

    .venv/bin/python scripts/gen_backlog.py --count 1000 --seed 6 --out /tmp/backlog

Writes ``NNNN.eml`` files (and nothing into the repository unless told to).
The same ``--count``/``--seed`` always gives byte-identical messages.  The mix:

* new requests in plain text, in several charsets and transfer encodings
  (utf-8, iso-8859-1, windows-1252, koi8-r, iso-2022-jp, shift_jis, gb2312,
  big5, iso-8859-7; 8bit, quoted-printable, base64);
* HTML mail (multipart/alternative, and HTML only);
* attachments of 20-200 KB (pdf, png, zip, csv);
* customer replies to earlier messages (In-Reply-To / References, "Re:");
* auto-replies (Auto-Submitted, "Out of office") and bounces (DSN from
  MAILER-DAEMON, multipart/report).

``generate()`` is what the fault harness and the tests import.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DOMAIN = "backlog.example"
SUPPORT = "help@acme.example"
BASE_DATE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

# (charset, sample text in that script, Content-Transfer-Encoding)
TEXTS: tuple[tuple[str, str, str], ...] = (
    ("utf-8", "Hello, my order arrived broken. Can you help? Grüße, ½ price?", "8bit"),
    ("iso-8859-1", "Bonjour, la lampe ne s'allume plus. Merci, Hélène", "quoted-printable"),
    ("windows-1252", "Hi – the invoice shows €120 instead of €100. “Please” fix it.", "8bit"),
    ("koi8-r", "Здравствуйте, не работает доставка. Спасибо.", "base64"),
    ("iso-2022-jp", "こんにちは、注文した商品がまだ届きません。", "7bit"),
    ("shift_jis", "ログインできません。パスワードを再設定してください。", "base64"),
    ("gb2312", "您好，我的账户被锁定了，请帮忙。", "base64"),
    ("big5", "您好，退款還沒有到帳，請協助處理。", "quoted-printable"),
    ("iso-8859-7", "Γεια σας, η παραγγελία μου καθυστερεί.", "quoted-printable"),
)
TOPICS = (
    "Lamp not working",
    "Invoice question",
    "Refund please",
    "Cannot log in",
    "Delivery late",
    "Broken on arrival",
    "Change my address",
    "Urgent: outage",
    "Question about pricing",
    "Cancel my subscription",
)
FIRST = ("Noor", "Hélène", "Jürgen", "Aiko", "Wei", "Olga", "Sam", "Priya", "Kofi", "Maria")
LAST = ("Haddad", "Dubois", "Müller", "Tanaka", "Chen", "Ivanova", "Reed", "Patel", "Mensah")
ATTACH = (
    ("report.pdf", "application", "pdf"),
    ("photo.png", "image", "png"),
    ("logs.zip", "application", "zip"),
    ("export.csv", "text", "csv"),
)


@dataclass(frozen=True)
class Made:
    message_id: str
    kind: str  # new, html, attachment, reply, auto-reply, bounce
    raw: bytes


def _sender(rng: random.Random, n_senders: int) -> tuple[str, str]:
    k = rng.randrange(n_senders)
    name = f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"
    return name, f"customer{k}@{DOMAIN}"


def _base(i: int, seed: int, name: str, email: str, subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{name} <{email}>"
    msg["To"] = SUPPORT
    msg["Subject"] = subject
    msg["Date"] = format_datetime(BASE_DATE + timedelta(minutes=i))
    msg["Message-ID"] = f"<bl{seed}.{i}@{DOMAIN}>"
    return msg


def _text_part(msg: EmailMessage, rng: random.Random, i: int) -> None:
    charset, text, cte = TEXTS[rng.randrange(len(TEXTS))]
    body = f"{text}\n\nOrder {1000 + i}.\n"
    msg.set_content(
        body.encode(charset), maintype="text", subtype="plain", cte=cte, params={"charset": charset}
    )


def _html(msg: EmailMessage, rng: random.Random, i: int, alternative: bool) -> None:
    charset, text, _ = TEXTS[rng.randrange(len(TEXTS))]
    html = (
        f"<html><body><p>{text}</p><p><b>Order {1000 + i}</b></p>"
        "<blockquote>quoted earlier text</blockquote></body></html>"
    )
    if alternative:
        msg.set_content(f"{text}\nOrder {1000 + i}\n")
        msg.add_alternative(html, subtype="html", charset="utf-8")
    else:
        msg.set_content(
            html.encode(charset, "replace"),
            maintype="text",
            subtype="html",
            cte="quoted-printable",
            params={"charset": charset},
        )


def _attachment(msg: EmailMessage, rng: random.Random, i: int) -> None:
    _text_part(msg, rng, i)
    filename, maintype, subtype = ATTACH[rng.randrange(len(ATTACH))]
    size = rng.randint(20_000, 200_000)
    msg.add_attachment(rng.randbytes(size), maintype=maintype, subtype=subtype, filename=filename)


def _auto_reply(i: int, seed: int, rng: random.Random, n_senders: int) -> EmailMessage:
    name, email = _sender(rng, n_senders)
    msg = _base(i, seed, name, email, f"Automatic reply: {rng.choice(TOPICS)}")
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content("I am out of the office until Monday and will read your mail then.\n")
    return msg


def _bounce(i: int, seed: int, rng: random.Random) -> EmailMessage:
    msg = _base(
        i,
        seed,
        "Mail Delivery System",
        f"MAILER-DAEMON@mx.{DOMAIN}",
        "Undelivered Mail Returned to Sender",
    )
    msg.set_content("This is the mail system. Your message could not be delivered.\n")
    status = EmailMessage()
    status.set_content(
        f"Reporting-MTA: dns; mx.{DOMAIN}\n\nFinal-Recipient: rfc822; "
        f"gone{i}@{DOMAIN}\nAction: failed\nStatus: 5.1.1\n"
    )
    msg.make_mixed()
    msg.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
    msg.attach(status)
    return msg


def generate(count: int = 1000, seed: int = 6, n_senders: int | None = None) -> list[Made]:
    """``count`` messages, the same bytes for the same arguments."""
    rng = random.Random(seed)
    senders = n_senders or max(10, count)  # mostly distinct: the ack cap is tested elsewhere
    made: list[Made] = []
    openers: list[tuple[str, str, str, str]] = []  # (mid, name, email, subject)
    for i in range(count):
        roll = rng.random()
        if roll < 0.12 and openers:
            mid, name, email, subject = openers[rng.randrange(len(openers))]
            msg = _base(i, seed, name, email, f"Re: {subject}")
            msg["In-Reply-To"] = f"<{mid}>"
            msg["References"] = f"<{mid}>"
            msg.set_content("Any news on this? It is still not fixed.\n\n> earlier text\n")
            kind = "reply"
        elif roll < 0.17:
            msg, kind = _auto_reply(i, seed, rng, senders), "auto-reply"
        elif roll < 0.20:
            msg, kind = _bounce(i, seed, rng), "bounce"
        else:
            name, email = _sender(rng, senders)
            subject = f"{rng.choice(TOPICS)} #{i}"
            msg = _base(i, seed, name, email, subject)
            if roll < 0.33:
                _html(msg, rng, i, alternative=roll < 0.28)
                kind = "html"
            elif roll < 0.43:
                _attachment(msg, rng, i)
                kind = "attachment"
            else:
                _text_part(msg, rng, i)
                kind = "new"
            openers.append((f"bl{seed}.{i}@{DOMAIN}", name, email, subject))
        for k, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_bl{seed}_{i}_{k}")  # the library's are random
        made.append(Made(f"bl{seed}.{i}@{DOMAIN}", kind, msg.as_bytes()))
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, required=True, help="folder for the .eml files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    made = generate(args.count, args.seed)
    for n, item in enumerate(made):
        (args.out / f"{n:04d}.eml").write_bytes(item.raw)
    kinds: dict[str, int] = {}
    for item in made:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    total = sum(len(m.raw) for m in made)
    print(
        f"{len(made)} messages, {total / 1e6:.1f} MB, in {args.out}: "
        + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
