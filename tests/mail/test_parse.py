"""parse_message on messages built here with the standard library, and hostile input."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from automation.errors import ParseError
from automation.mail.charsets import decode_text
from automation.mail.classify import classify
from automation.mail.reader import parse_message
from automation.model import Message


def build(**headers: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    return msg


def simple(body: str = "Hello,\n\nThe grinder is stuck.\n\nAnna\n", **headers: str) -> bytes:
    defaults = {
        "From": "Anna Berg <Anna.Berg@Example.ORG>",
        "To": "Support <support@example.com>",
        "Subject": "Grinder stuck",
        "Date": "Mon, 03 Mar 2025 10:12:00 +0100",
        "Message_ID": "<abc.123@example.org>",
    }
    defaults.update(headers)
    msg = build(**defaults)
    msg.set_content(body)
    return msg.as_bytes()


def test_basic_fields() -> None:
    m = parse_message(simple(Cc="Bo <bo@x.example>, carl@y.example"), "k1")
    assert m.key == "k1"
    assert m.sender is not None
    assert (m.sender.name, m.sender.email) == ("Anna Berg", "anna.berg@example.org")
    assert [a.email for a in m.cc] == ["bo@x.example", "carl@y.example"]
    assert m.subject == "Grinder stuck"
    assert m.date is not None and m.date.utcoffset() == timedelta(hours=1)
    assert m.message_id == "abc.123@example.org" and not m.synthetic_id
    assert "The grinder is stuck." in m.body_text
    assert m.header("subject") == "Grinder stuck"
    assert m.content_type == "text/plain"


def test_encoded_words_threading_and_return_path() -> None:
    raw = (
        b"Return-Path: <>\r\nFrom: =?utf-8?q?J=C3=B6rg_H=C3=A4u=C3=9Fler?= <J@Web.de>\r\n"
        b"Subject: =?utf-8?q?Doppelte_Abbuchung_=E2=80=93?=\r\n"
        b" =?utf-8?q?_M=C3=A4rz?=\r\n\tagain\r\n"
        b"In-Reply-To: <a@x>\r\nReferences: <r1@x>\r\n <a@x>\r\nDate: garbage\r\n\r\nHallo\r\n"
    )
    m = parse_message(raw, "k")
    assert m.sender is not None and m.sender.name == "Jörg Häußler"
    assert m.sender.email == "j@web.de"
    assert m.subject == "Doppelte Abbuchung – März again"
    assert m.in_reply_to == ("a@x",) and m.references == ("r1@x", "a@x")
    assert m.date is None
    assert m.return_path == ""  # the null sender
    assert m.synthetic_id and m.message_id.startswith("sha256-")
    assert m.message_id.endswith("@sheetdesk.invalid")
    assert parse_message(raw, "other").message_id == m.message_id  # deterministic


def test_html_only_body_becomes_text_with_links() -> None:
    msg = build(From="a@b.example", Subject="html")
    msg.set_content(
        "<html><head><style>p{color:red}</style><script>evil()</script></head>"
        "<body><p>Checkout fails</p><p>See <a href='https://shop.example/x'>this page</a></p>"
        "</body></html>",
        subtype="html",
    )
    m = parse_message(msg.as_bytes(), "k")
    assert "Checkout fails" in m.body_text
    assert "https://shop.example/x" in m.body_text
    assert "evil" not in m.body_text and "color" not in m.body_text


def test_plain_preferred_over_html_and_attachments_listed() -> None:
    msg = build(From="a@b.example", Subject="att")
    msg.set_content("plain words")
    msg.add_alternative("<p>html words</p>", subtype="html")
    msg.add_attachment(
        b"%PDF-1.4 tiny", maintype="application", subtype="pdf", filename="Rechnung_März.pdf"
    )
    msg.add_attachment(
        b"\x89PNG....", maintype="image", subtype="png", filename="shot.png", disposition="inline"
    )
    m = parse_message(msg.as_bytes(), "k")
    assert m.body_text == "plain words"
    files = {(a.filename, a.content_type, a.size) for a in m.attachments}
    assert ("Rechnung_März.pdf", "application/pdf", 13) in files
    assert ("shot.png", "image/png", 8) in files


def test_inline_image_without_name_is_not_an_attachment() -> None:
    msg = build(From="a@b.example", Subject="img")
    msg.set_content("see image")
    msg.add_related(b"\x89PNG", maintype="image", subtype="png", cid="<img1>")
    assert parse_message(msg.as_bytes(), "k").attachments == ()


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("café €5".encode("cp1252"), "iso-8859-1", "café €5"),  # latin-1 that is cp1252
        ("café".encode(), "us-ascii", "café"),  # utf-8 mislabelled as ascii
        ("café".encode(), "x-unknown", "café"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("naïve".encode("latin-1"), "no-such-charset", "naïve"),
        (b"abc", "zlib_codec", "abc"),  # a bytes codec must never run
        ("日本".encode("shift_jis"), "shift-jis", "日本"),
    ],
)
def test_charset_fallbacks(data: bytes, declared: str, expected: str) -> None:
    assert decode_text(data, declared)[0] == expected


def test_unknown_charset_in_message_is_decoded() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="bogus-9"\r\nContent-Transfer-Encoding: 8bit\r\n'
        b"\r\nCaf\xc3\xa9 ok\r\n"
    )
    m = parse_message(raw, "k")
    assert "Café ok" in m.body_text
    assert any("bogus-9" in d for d in m.defects)


def test_raw_8bit_header_is_decoded() -> None:
    raw = "From: Jörg <j@x.example>\r\nSubject: Grüße\r\n\r\nhi\r\n".encode()
    m = parse_message(raw, "k")
    assert m.subject == "Grüße" and m.sender is not None and m.sender.name == "Jörg"


def test_garbage_addresses_tolerated() -> None:
    raw = b"From: <<<@@>>> broken, real@x.example\r\nTo: undisclosed-recipients:;\r\n\r\nhi\r\n"
    m = parse_message(raw, "k")
    assert m.to == ()
    assert m.sender is None or "@" in m.sender.email


def test_not_an_email_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not an email"):
        parse_message(b"Lorem ipsum dolor sit amet\nconsectetur\n", "k")
    with pytest.raises(ParseError, match="empty"):
        parse_message(b"  \r\n", "k")


# Hostile input --------------------------------------------------------------


def test_oversized_message_is_refused_with_sizes() -> None:
    msg = build(From="a@b.example", Subject="big")
    msg.set_content("see attached")
    msg.add_attachment(
        b"\0" * (30 * 1024 * 1024),
        maintype="application",
        subtype="octet-stream",
        filename="big.bin",
    )
    raw = msg.as_bytes()
    with pytest.raises(ParseError, match=r"message is \d+\.\d MB, over the 25 MB limit"):
        parse_message(raw, "k")
    # With a higher limit the same message parses and only describes the attachment.
    m = parse_message(raw, "k", max_bytes=64 * 1024 * 1024)
    assert [a.size for a in m.attachments] == [30 * 1024 * 1024]


def test_megabyte_subject_of_encoded_words_is_truncated() -> None:
    word = "=?utf-8?q?caf=C3=A9?="
    subject = " ".join([word] * (1024 * 1024 // (len(word) + 1)))
    raw = f"From: a@b.example\r\nSubject: {subject}\r\n\r\nbody\r\n".encode()
    m = parse_message(raw, "k")
    assert m.subject.startswith("café")
    assert m.subject.endswith("…")
    assert len(m.subject) < 2_000
    assert any("Subject truncated" in d for d in m.defects)
    assert m.body_text.strip() == "body"


def test_two_hundred_deep_multipart_is_bounded() -> None:
    body = b"Content-Type: text/plain\r\n\r\ndeep text\r\n"
    for level in range(200):
        b = f"b{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + b
            + b'"\r\n\r\n--'
            + b
            + b"\r\n"
            + body
            + b"--"
            + b
            + b"--\r\n"
        )
    raw = b"From: a@b.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body
    m = parse_message(raw, "k")
    assert m.subject == "deep"
    assert any("nesting" in d for d in m.defects)
    assert "deep text" not in m.body_text  # below the depth cap


def test_thousands_of_parts_are_capped() -> None:
    msg = build(From="a@b.example", Subject="many")
    msg.set_content("first")
    for i in range(700):
        msg.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"f{i}.bin"
        )
    m = parse_message(msg.as_bytes(), "k")
    assert len(m.attachments) < 500
    assert any("more than 500 MIME parts" in d for d in m.defects)


def test_zip_bomb_is_an_attachment_with_its_own_size() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (64 * 1024 * 1024))  # 64 MB unpacked
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    msg = build(From="a@b.example", Subject="zip")
    msg.set_content("see zip")
    msg.add_attachment(bomb, maintype="application", subtype="zip", filename="bomb.zip")
    m = parse_message(msg.as_bytes(), "k")
    assert [(a.filename, a.size) for a in m.attachments] == [("bomb.zip", len(bomb))]


def test_encoded_word_cannot_smuggle_an_address() -> None:
    raw = (
        b"From: =?utf-8?q?Eve=0D=0ABcc:_victim@evil.example?= <eve@customer.example>\r\n"
        b"To: help@acme.example\r\nSubject: hi\r\nMessage-ID: <e1@x>\r\n\r\nbody\r\n"
    )
    msg = parse_message(raw, "k")
    assert msg.sender is not None and msg.sender.email == "eve@customer.example"
    assert "\n" not in msg.sender.name and "\r" not in msg.sender.name
    assert msg.reply_to == ()


# ------------------------------------------------------------------ .eml files
# Raw messages as they arrive on the wire (CRLF, 8-bit, encoded words, broken
# MIME), kept as files under tests/data/ rather than built here.
DATA = Path(__file__).resolve().parents[1] / "data"
OURS = {
    "own_addresses": frozenset({"help@acme.example"}),
    "own_domains": frozenset({"acme.example"}),
}


def eml(name: str) -> Message:
    return parse_message((DATA / name).read_bytes(), name)


def test_eml_reply_keeps_threading_and_cuts_the_quote() -> None:
    m = eml("reply_quoted.eml")
    assert m.subject == "Re: [Case #1042] Grinder stuck"
    assert m.in_reply_to == ("C-1042.ack.3f2a@acme.example",)
    assert m.references == ("first.1@mail.example.org", "C-1042.ack.3f2a@acme.example")
    assert m.new_text == "It is still stuck after the reset you suggested.\n\nAnna"
    assert "Please try a reset first" in m.body_text  # the quote is kept, only cut from new_text
    assert m.return_path == "anna.berg@example.org"


@pytest.mark.parametrize(
    ("name", "subject", "sender", "words"),
    [
        ("latin1_8bit.eml", "Rechnung für März doppelt", "Jörg Müller", "zweimal abgebucht"),
        ("japanese_base64.eml", "ランプが壊れています", "山田太郎", "至急交換してください"),
    ],
)
def test_eml_charsets_and_encoded_words(name: str, subject: str, sender: str, words: str) -> None:
    m = eml(name)
    assert m.subject == subject
    assert m.sender is not None and m.sender.name == sender
    assert words in m.new_text
    assert "\ufffd" not in m.body_text  # nothing lost to replacement characters


def test_eml_html_only_drops_script_and_style() -> None:
    m = eml("html_only.eml")
    assert m.content_type == "text/html"
    assert m.new_text == "My order 5512 arrived damaged.\n\nPlease send a new one."
    assert "alert" not in m.body_text and "color" not in m.body_text


def test_eml_header_injection_never_survives_into_the_subject() -> None:
    m = eml("control_chars.eml")
    assert "\r" not in m.subject and "\n" not in m.subject
    assert m.subject.startswith("Hello Bcc: victim@example.org")  # one harmless line
    assert [a.email for a in m.to] == ["help@acme.example"]  # no recipient smuggled in


def test_eml_broken_multipart_without_message_id_still_parses() -> None:
    m = eml("truncated_multipart_no_id.eml")
    assert m.synthetic_id and m.message_id.endswith("@sheetdesk.invalid")
    assert m.message_id == eml("truncated_multipart_no_id.eml").message_id  # stable: dedupe works
    assert m.new_text == "The printer is offline; a log is attached."
    assert [a.filename for a in m.attachments] == ["log.bin"]
    assert "CloseBoundaryNotFoundDefect" in m.defects


def test_eml_forged_display_name_is_not_our_own_mail() -> None:
    m = eml("forged_display_name.eml")
    assert m.sender is not None and m.sender.email == "spoof@attacker.example"
    verdict = classify(m, **OURS)
    assert verdict.is_case, verdict  # handled as a case, never silently dropped as our own
    assert [a.email for a in m.reply_to] == ["billing-team@attacker.example"]


def test_eml_bounce_is_a_non_case() -> None:
    verdict = classify(eml("bounce_dsn.eml"), **OURS)
    assert verdict.kind.value == "bounce", verdict


def test_eml_not_mail_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not an email"):
        eml("not_mail.bin.eml")
