"""Security from the outside: plaintext refusals, secrets, injection, hostile mail.

* ``sheetdesk check`` refuses plaintext to a non-loopback host (IMAP and SMTP).
* No configured password in any log line (``-v`` included), in the sheet, or in
  ``check`` output, also when a login fails.
* CR/LF in a customer's name or subject never becomes a header; customer text
  starting with ``= + - @`` never becomes a formula.
* Hostile mail (30 MB attachment, 1 MB encoded-word subject, 3,000-deep MIME
  nesting, a zip bomb) is quarantined or truncated with a note, and the
  poller's peak RSS is reported.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, formula_cells, world


def _mail(n: int, head: str, body: bytes = b"Hello.\r\n") -> bytes:
    return (
        f"To: help@acme.example\r\nDate: Mon, 30 Nov 2026 11:{n:02d}:00 +0000\r\n"
        f"Message-ID: <hostile{n}@customer.example>\r\n{head}\r\n"
    ).encode() + body


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * 200_000_000)  # ~200 KB on the wire, 200 MB inside
    return buf.getvalue()


def hostile() -> list[tuple[str, bytes]]:
    crlf_name = "=?utf-8?q?Eve=0D=0ABcc:_victim@evil.example?="
    crlf_subject = (
        "=?utf-8?b?"
        + base64.b64encode(b"Refund\r\nBcc: victim@evil.example\r\n\r\nInjected body").decode()
        + "?="
    )
    big_subject = " ".join(
        ["=?utf-8?b?" + base64.b64encode(b"A" * 45).decode() + "?="] * 16_000
    )  # ~1 MB of encoded words
    depth = 3000
    nested = (
        "".join(
            f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(depth)
        )
        + "Content-Type: text/plain\r\n\r\ndeep\r\n"
    )
    zipped = base64.encodebytes(_zip_bomb()).decode()
    return [
        (
            "hostile:crlf-name",
            _mail(1, f"From: {crlf_name} <eve@customer.example>\r\nSubject: hello\r\n"),
        ),
        (
            "hostile:crlf-subject",
            _mail(2, f"From: Eve <eve2@customer.example>\r\nSubject: {crlf_subject}\r\n"),
        ),
        (
            "hostile:formula",
            _mail(
                3,
                """From: "=HYPERLINK(""http://evil.example"")" """
                "<eve3@customer.example>\r\n"
                'Subject: =IMPORTXML("http://evil.example","//a")\r\n',
            ),
        ),
        (
            "hostile:formula-at",
            _mail(4, "From: +cmd <eve4@customer.example>\r\nSubject: @SUM(1+1) -2+3\r\n"),
        ),
        (
            "hostile:30MB",
            _mail(
                5,
                "From: Big <big@customer.example>\r\nSubject: big\r\n"
                "Content-Type: application/octet-stream\r\n"
                "Content-Transfer-Encoding: base64\r\n",
                base64.encodebytes(b"\x5a" * 30_000_000),
            ),
        ),
        (
            "hostile:1MB-subject",
            _mail(6, f"From: Long <long@customer.example>\r\nSubject: {big_subject}\r\n"),
        ),
        (
            "hostile:deep-mime",
            _mail(
                7,
                "From: Deep <deep@customer.example>\r\nSubject: deep\r\nMIME-Version: 1.0\r\n",
                nested.encode(),
            ),
        ),
        (
            "hostile:zip-bomb",
            _mail(
                8,
                "From: Zip <zip@customer.example>\r\nSubject: logs\r\n"
                "Content-Type: multipart/mixed; boundary=z\r\n",
                (
                    "--z\r\nContent-Type: text/plain\r\n\r\nsee zip\r\n--z\r\n"
                    "Content-Type: application/zip; name=logs.zip\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n" + zipped + "--z--\r\n"
                ).encode(),
            ),
        ),
    ]


def scenario(w: World, count: int) -> tuple[Figure, dict[str, object]]:
    w.load(
        backlog(count, seed=61)[: count // 2] + hostile() + backlog(count, seed=61)[count // 2 :]
    )
    run = w.cli("-v", "poll", "--once")
    cases = {c.get("Customer email", ""): c for c in w.tab("Cases")}
    quarantine = w.tab("Quarantine")
    facts: dict[str, object] = {"run": run, "cases": cases, "quarantine": quarantine}
    subject = cases.get("long@customer.example", {}).get("Subject", "")
    ours = (
        f"hostile mail in a {count}-message backlog: exit {run.code}, peak RSS "
        f"{run.max_rss_kb // 1024} MB, {len(quarantine)} quarantined "
        f"({'; '.join(q.get('Reason', '')[:60] for q in quarantine)}), 1 MB subject "
        f"stored as {len(subject)} chars, {len(formula_cells(w.api, w.sid))} formulas in the "
        "sheet"
    )
    return Figure("hostile mail", "no inbound size cap (whole message in memory)", ours), facts


def test_hostile_mail_is_bounded_and_injection_free(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        figure, f = scenario(w, count=20)
        print(figure.ours)
        run, cases = f["run"], f["cases"]
        assert run.code == 4, run.output[-2000:]  # type: ignore[attr-defined]
        assert run.max_rss_kb < 1024 * 1024, figure.ours  # type: ignore[attr-defined]
        reasons = " ".join(q.get("Reason", "") for q in f["quarantine"])  # type: ignore[attr-defined]
        assert "over the" in reasons, reasons  # the 30 MB message
        assert formula_cells(w.api, w.sid) == [], formula_cells(w.api, w.sid)
        long = cases["long@customer.example"]  # type: ignore[index]
        assert len(long["Subject"]) <= 50_000 and long["Subject"].endswith("…")
        for mail in w.smtp.messages:  # CR/LF never made a header or a recipient
            assert all("evil.example" not in r for r in mail.rcpt_tos), mail.rcpt_tos
            assert mail.message.get("Bcc") is None
            assert "\n" not in str(mail.message["Subject"])
        assert {"eve@customer.example", "eve2@customer.example"} <= set(cases)  # type: ignore[arg-type]
        assert w.tally().left_in_inbox == 0
        assert w.leaks() == []


def test_check_refuses_plaintext_to_a_remote_host_and_hides_secrets(
    tmp_path: Path, mail_user: mailservers.MailUser
) -> None:
    with world(tmp_path, mail_user) as w:
        w.load(backlog(5, seed=62))
        assert w.cli("-v", "poll", "--once").code == 0
        remote = tmp_path / "remote.toml"
        remote.write_text(w.config.read_text().replace('host = "127.0.0.1"', 'host = "192.0.2.10"'))
        check = w.cli("check", config=remote)
        assert check.code != 0, check.output
        problems = [line for line in check.stdout.splitlines() if line.startswith("PROBLEM")]
        assert any("IMAP" in p and "loopback" in p for p in problems), check.stdout
        assert any("SMTP" in p and "loopback" in p for p in problems), check.stdout
        wrong = tmp_path / "wrong.toml"  # a refused login must not echo the secret it tried
        wrong.write_text(
            w.config.read_text().replace(
                'password_env = "SD_FAULT_IMAP_PASSWORD"', 'password_env = "SD_FAULT_SMTP_PASSWORD"'
            )
        )
        w.smtp.auth = ("sheetdesk-bot", "another-password")
        assert w.cli("check", config=wrong).code != 0
        assert w.cli("-v", "poll", "--once", config=wrong).code != 0
        assert w.leaks() == [], w.leaks()
