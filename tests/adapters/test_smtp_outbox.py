"""SmtpOutbox against a real aiosmtpd server (see tests/mailservers.py): no mocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email.message import EmailMessage
from functools import partial
from pathlib import Path

import pytest

from automation.adapters.imap.inbox import ImapInbox
from automation.adapters.smtp_outbox import SmtpOutbox, envelope
from automation.config import ImapConfig, SmtpConfig
from automation.errors import AuthError, OutboxError, SecurityError
from automation.secrets import Secret
from tests.support import mailservers
from tests.support.mailservers import MailUser, SmtpServer

Factory = Callable[..., SmtpServer]


def message(n: int, to: str = "alice@example.org", **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Support <support@example.com>"
    msg["To"] = to
    msg["Subject"] = f"[Case #{1000 + n}] We got your message"
    msg["Message-ID"] = f"<case{n}@example.com>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(f"Reply number {n}\n")
    return msg


def plain_outbox(server: SmtpServer, **overrides: object) -> SmtpOutbox:
    fields: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "plain",
        "allow_plaintext_loopback": True,
        "timeout_seconds": 10,
    }
    fields.update(overrides)
    return SmtpOutbox(SmtpConfig(**fields), Secret(""))  # type: ignore[arg-type]


def tls_outbox(
    server: SmtpServer, security: str, password: str = "", **overrides: object
) -> SmtpOutbox:
    assert server.pki is not None
    fields: dict[str, object] = {
        "host": "localhost",
        "port": server.port,
        "security": security,
        "ca_file": str(server.pki.ca_file),
        "timeout_seconds": 10,
    }
    fields.update(overrides)
    return SmtpOutbox(SmtpConfig(**fields), Secret(password))  # type: ignore[arg-type]


# ------------------------------------------------------------------ sending ---


@pytest.fixture(params=[False, True], ids=["one-by-one", "pipelined"])
def smtp_server(request: pytest.FixtureRequest) -> Iterator[SmtpServer]:
    """Every sending test runs against a server without and with PIPELINING."""
    server = mailservers.SmtpServer(pipelining=request.param).start()
    yield server
    server.stop()


def test_commands_are_pipelined_only_where_offered(smtp_server: SmtpServer) -> None:
    msgs = [message(1), message(2, to="a@example.org, b@example.org")]
    assert [r.ok for r in plain_outbox(smtp_server).send(msgs)] == [True, True]
    assert smtp_server.pipelined_mail == [smtp_server.pipelining] * 2


def test_try_is_recorded_after_the_body_and_before_the_final_dot(
    smtp_server: SmtpServer,
) -> None:
    held_at_try: list[int] = []
    outbox = plain_outbox(smtp_server)
    outbox._on_attempt = lambda mid: held_at_try.append(len(smtp_server.messages))
    results = outbox.send([message(n) for n in range(4)])
    assert [r.ok for r in results] == [True] * 4
    # At each try the server had every earlier email and not this one.
    assert held_at_try == [0, 1, 2, 3]


def test_lines_that_look_like_the_end_of_data_arrive_intact(smtp_server: SmtpServer) -> None:
    msg = message(1)
    body = "first\n.\n..two dots\n.leading\nlast line\n"
    msg.set_content(body)
    assert plain_outbox(smtp_server).send([msg])[0].ok
    got = smtp_server.messages[0].message
    assert got.get_content().replace("\r\n", "\n") == body  # CRLF on the wire
    assert len(smtp_server.messages) == 1


def test_international_address_without_smtputf8_is_refused_not_crashed(
    smtp_server: SmtpServer,
) -> None:
    msg = message(1, to="j\u00fcrgen@example.org")
    results = plain_outbox(smtp_server).send([msg, message(2)])
    assert results[1].ok
    if results[0].ok:  # aiosmtpd offers SMTPUTF8: then it must arrive whole
        assert smtp_server.messages[0].rcpt_tos == ("j\u00fcrgen@example.org",)
    else:
        assert results[0].permanent and "SMTPUTF8" in results[0].detail


def test_sends_each_message_over_one_connection(smtp_server: SmtpServer) -> None:
    results = plain_outbox(smtp_server).send([message(1), message(2), message(3)])
    assert [r.ok for r in results] == [True, True, True]
    assert [r.message_id for r in results] == [
        "case1@example.com",
        "case2@example.com",
        "case3@example.com",
    ]
    assert smtp_server.connections == 1
    subjects = [c.message["Subject"] for c in smtp_server.messages]
    assert subjects[0] == "[Case #1001] We got your message"


def test_envelope_comes_from_headers_and_bcc_is_not_transmitted(smtp_server: SmtpServer) -> None:
    msg = message(
        1,
        to="Alice <alice@example.org>, bob@example.org",
        Cc="carol@example.org",
        Bcc="audit@example.com",
    )
    assert envelope(msg) == (
        "support@example.com",
        ["alice@example.org", "bob@example.org", "carol@example.org", "audit@example.com"],
    )
    plain_outbox(smtp_server).send([msg])
    got = smtp_server.messages[0]
    assert got.mail_from == "support@example.com"
    assert set(got.rcpt_tos) == {
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
        "audit@example.com",
    }
    assert b"audit@example.com" not in got.data and got.message["Bcc"] is None


def test_421_on_mail_reconnects_once_and_carries_on(smtp_server: SmtpServer) -> None:
    smtp_server.faults.mail_421 = 1
    results = plain_outbox(smtp_server).send([message(1), message(2), message(3)])
    assert [(r.ok, r.permanent) for r in results] == [(False, False), (True, False), (True, False)]
    assert results[0].detail.startswith("421")
    assert smtp_server.connections == 2
    assert len(smtp_server.messages) == 2


def test_second_421_leaves_the_rest_for_the_next_cycle(smtp_server: SmtpServer) -> None:
    smtp_server.faults.mail_421 = 5
    results = plain_outbox(smtp_server).send([message(1), message(2), message(3)])
    assert [(r.ok, r.permanent) for r in results] == [(False, False)] * 3
    assert results[2].detail == "not tried: connection lost"
    assert smtp_server.connections == 2  # reconnected once, not more


def test_451_on_data_is_temporary_and_the_session_continues(smtp_server: SmtpServer) -> None:
    smtp_server.faults.data_451 = 1
    results = plain_outbox(smtp_server).send([message(1), message(2)])
    assert (results[0].ok, results[0].permanent) == (False, False)
    assert "451" in results[0].detail
    assert results[1].ok
    assert smtp_server.connections == 1


def test_550_recipient_is_permanent_with_server_text(smtp_server: SmtpServer) -> None:
    smtp_server.faults.reject_rcpt = {"gone@example.org"}
    results = plain_outbox(smtp_server).send([message(1, to="gone@example.org"), message(2)])
    assert (results[0].ok, results[0].permanent) == (False, True)
    assert "550" in results[0].detail and "mailbox unavailable" in results[0].detail
    assert results[1].ok


def test_partly_refused_recipients_still_count_as_sent(smtp_server: SmtpServer) -> None:
    smtp_server.faults.reject_rcpt = {"gone@example.org"}
    [result] = plain_outbox(smtp_server).send([message(1, to="gone@example.org, ok@example.org")])
    assert result.ok and "gone@example.org" in result.detail
    assert smtp_server.messages[0].rcpt_tos == ("ok@example.org",)


def test_message_without_recipients_is_refused_locally(smtp_server: SmtpServer) -> None:
    msg = message(1)
    del msg["To"]
    [result] = plain_outbox(smtp_server).send([msg])
    assert (result.ok, result.permanent) == (False, True)


def test_server_down_is_outbox_error_and_back_up_works(smtp_server: SmtpServer) -> None:
    outbox = plain_outbox(smtp_server)
    smtp_server.stop()
    with pytest.raises(OutboxError, match="cannot connect"):
        outbox.send([message(1)])
    smtp_server.start()
    assert [r.ok for r in outbox.send([message(1)])] == [True]


# ---------------------------------------------------------------- TLS, AUTH ---


def test_starttls_then_auth(smtp_factory: Factory) -> None:
    server = smtp_factory(mode="starttls", auth=("support", "app-pass-1234"))
    outbox = tls_outbox(server, "starttls", "app-pass-1234", username="support")
    assert [r.ok for r in outbox.send([message(1), message(2)])] == [True, True]
    assert server.connections == 1 and server.auth_attempts == ["support"]
    assert "logged in as support" in outbox.probe()


def test_implicit_tls(smtp_factory: Factory) -> None:
    server = smtp_factory(mode="tls")
    assert [r.ok for r in tls_outbox(server, "tls").send([message(1)])] == [True]


def test_implicit_tls_without_our_ca_is_security_error(smtp_factory: Factory) -> None:
    server = smtp_factory(mode="tls")
    with pytest.raises(SecurityError, match="certificate"):
        tls_outbox(server, "tls", ca_file="").send([message(1)])
    assert server.messages == []


def test_wrong_password_is_auth_error_without_the_password(smtp_factory: Factory) -> None:
    server = smtp_factory(mode="starttls", auth=("support", "right-secret"))
    outbox = tls_outbox(server, "starttls", "wrong-secret-99", username="support")
    with pytest.raises(AuthError) as caught:
        outbox.send([message(1)])
    assert "wrong-secret-99" not in str(caught.value) and "535" in str(caught.value)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_starttls_not_offered_is_refused_before_auth(smtp_factory: Factory) -> None:
    server = smtp_factory(mode="plain", auth=("support", "pw-12345"))  # no tls_context at all
    outbox = tls_outbox(server, "starttls", "pw-12345", username="support")
    with pytest.raises(SecurityError, match="does not offer STARTTLS"):
        outbox.send([message(1)])
    assert server.auth_attempts == [] and server.messages == []


@pytest.mark.parametrize(
    "script", [mailservers.smtp_without_starttls, mailservers.smtp_failing_starttls]
)
def test_starttls_missing_or_refused_on_a_stub(script, test_pki) -> None:  # type: ignore[no-untyped-def]
    stub = mailservers.ScriptedServer("220 stub ESMTP", script)
    try:
        cfg = SmtpConfig(
            host="localhost",
            port=stub.port,
            security="starttls",
            username="u",
            ca_file=str(test_pki.ca_file),
            timeout_seconds=5,
        )
        with pytest.raises(SecurityError):
            SmtpOutbox(cfg, Secret("stub-secret-1")).send([message(1)])
        assert not any(line.upper().startswith("AUTH") for line in stub.received)
    finally:
        stub.close()


def test_plaintext_rules(smtp_server: SmtpServer) -> None:
    with pytest.raises(SecurityError, match="allow_plaintext_loopback"):
        plain_outbox(smtp_server, allow_plaintext_loopback=False).send([message(1)])
    with pytest.raises(SecurityError, match="loopback"):
        plain_outbox(smtp_server, host="192.0.2.1").send([message(1)])
    assert smtp_server.connections == 0


# ------------------------------------------------------------ already sent ---


def test_already_sent_without_a_checker_knows_nothing(smtp_server: SmtpServer) -> None:
    assert plain_outbox(smtp_server).already_sent(["case1@example.com"]) == set()


def test_already_sent_asks_the_imap_sent_folder(
    smtp_server: SmtpServer, mail_user: MailUser, tmp_path: Path
) -> None:
    mail_user.append([mailservers.sample_message(1, message_id="case1@example.com")], folder="Sent")
    imap = ImapInbox(
        ImapConfig(
            host="127.0.0.1",
            port=mail_user.server.port,
            security="plain",
            allow_plaintext_loopback=True,
            username=mail_user.name,
        ),
        Secret(mail_user.password),
        tmp_path,
    )
    cfg = SmtpConfig(
        host="127.0.0.1", port=smtp_server.port, security="plain", allow_plaintext_loopback=True
    )
    outbox = SmtpOutbox(cfg, Secret(""), sent_checker=partial(imap.find_message_ids, "Sent"))
    assert outbox.already_sent(["case1@example.com", "case2@example.com"]) == {"case1@example.com"}
    imap.close()


def test_each_accepted_email_is_in_the_ledger_before_the_next_is_sent(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    from automation.outgoing.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.txt")
    seen_at_send: list[set[str]] = []

    def record(mid: str) -> None:
        ledger.add_one(mid)
        seen_at_send.append(Ledger(tmp_path / "ledger.txt").ids())  # re-read from disk

    outbox = SmtpOutbox(
        SmtpConfig(
            host="127.0.0.1", port=smtp_server.port, security="plain", allow_plaintext_loopback=True
        ),
        Secret(""),
        on_accepted=record,
    )
    smtp_server.faults.reject_rcpt.add("nobody@example.org")
    msgs = [message(0), message(1, to="nobody@example.org"), message(2), message(3)]
    results = outbox.send(msgs)
    assert [r.ok for r in results] == [True, False, True, True]
    assert seen_at_send == [
        {"case0@example.com"},
        {"case0@example.com", "case2@example.com"},
        {"case0@example.com", "case2@example.com", "case3@example.com"},
    ]


def test_ledger_tells_refused_from_unconfirmed(tmp_path: Path, smtp_server: SmtpServer) -> None:
    from automation.outgoing.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.txt")
    outbox = SmtpOutbox(
        SmtpConfig(
            host="127.0.0.1", port=smtp_server.port, security="plain", allow_plaintext_loopback=True
        ),
        Secret(""),
        on_accepted=ledger.add_one,
        on_attempt=ledger.attempt,
        on_refused=ledger.refused,
    )
    smtp_server.faults.data_451 = 1
    results = outbox.send([message(0), message(1)])
    assert [r.ok for r in results] == [False, True]
    reread = Ledger(tmp_path / "ledger.txt")
    assert reread.ids() == {"case1@example.com"}  # the 451 one may be retried
    assert reread.unconfirmed() == set()
    # A DATA that never got an answer (the process died) stays unconfirmed.
    reread.attempt("case9@example.com")
    assert Ledger(tmp_path / "ledger.txt").unconfirmed() == {"case9@example.com"}
