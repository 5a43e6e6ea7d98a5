"""``sheetdesk poll --once``, ``run``, ``check`` and ``auth`` signed in with OAuth2.

Real parts only: a Dovecot whose oauth2 passdb asks our token service about
every token, aiosmtpd with XOAUTH2/OAUTHBEARER checking the same service,
google-auth and msal talking to that service over loopback TLS (test CA),
and the local workbook as the sheet.  One poll per token source; then a
token that expires during ``run``, a revoked one, a wrong scope, and a scan
for tokens anywhere they must not be.
"""

from __future__ import annotations

import logging
import threading
import time
import webbrowser
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from automation import cli
from automation.adapters.workbook_store import WorkbookStore
from tests.support import mailservers, oauth_setup
from tests.support.tokenservice import GOOGLE_MAIL, State, TokenService

CONFIG = """
[inbox]
kind = "imap"
[inbox.imap]
host = "127.0.0.1"
port = {imap_port}
security = "plain"
allow_plaintext_loopback = true
username = "{user}"
auth = "oauth2"
processed_folder = "processed"
[outbox]
kind = "smtp"
[outbox.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
allow_plaintext_loopback = true
username = "{user}"
auth = "oauth2"
[store]
kind = "workbook"
[business]
name = "Acme"
support_address = "help@acme.example"
[poll]
interval_seconds = 60
[oauth2]
ca_file = "{ca_file}"
{oauth}
"""

SOURCES: dict[str, str] = {
    "google_service_account": 'source = "google_service_account"\n'
    'credentials_file = "service-account.json"',
    "google_refresh_token": 'source = "google_refresh_token"\nclient_file = "client.json"\n'
    'token_file = "tokens/google.json"',
    "microsoft_app": 'source = "microsoft_app"\ntenant = "{tenant}"\nclient_id = "{app}"\n'
    'client_secret_env = "{secret_env}"\nauthority = "{base}"',
    "microsoft_app_certificate": 'source = "microsoft_app"\ntenant = "{tenant}"\n'
    'client_id = "{app}"\ncertificate_file = "app.pem"\nauthority = "{base}"',
    "microsoft_device": 'source = "microsoft_device"\ntenant = "{tenant}"\nclient_id = "{app}"\n'
    'token_file = "tokens/msal-cache.json"\nauthority = "{base}"',
}


@pytest.fixture
def svc(token_service: TokenService) -> TokenService:
    token_service.state = State()  # a fresh provider per test (the server stays up)
    return token_service


@pytest.fixture
def smtp_oauth(token_service: TokenService) -> Iterator[mailservers.SmtpServer]:
    server = mailservers.SmtpServer(oauth2_url=token_service.introspect_base).start()
    yield server
    server.stop()


class _Browser(webbrowser.BaseBrowser):
    """The owner's browser: follows the consent URL; the service's redirect lands
    on sheetdesk's loopback listener (requests follows it like a browser)."""

    def __init__(self, ca_file: Path) -> None:
        super().__init__("sheetdesk-test-browser")
        self.ca_file = ca_file
        self.visits: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.visits.append(url)

        def visit() -> None:
            requests.get(url, verify=str(self.ca_file), timeout=10)

        threading.Thread(target=visit, daemon=True).start()
        return True


def _setup(
    tmp_path: Path,
    source: str,
    svc: TokenService,
    dovecot: mailservers.Dovecot,
    smtp: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lifetime: float = 3600.0,
) -> tuple[Path, mailservers.MailUser]:
    """Config + accounts for ``source``; runs the one-time consent where it needs one.
    Tokens live ``lifetime`` seconds, from the consent on."""
    svc.state.lifetime = lifetime
    user = dovecot.new_user("oa")
    oauth = SOURCES[source].format(
        tenant=oauth_setup.TENANT,
        app=oauth_setup.MS_APP_ID,
        secret_env=oauth_setup.MS_SECRET_ENV,
        base=svc.base,
    )
    path = tmp_path / "sheetdesk.toml"
    path.write_text(
        CONFIG.format(
            imap_port=dovecot.port,
            smtp_port=smtp.port,
            user=user.name,
            ca_file=dovecot.pki.ca_file,
            oauth=oauth,
        )
    )
    monkeypatch.setenv(oauth_setup.MS_SECRET_ENV, oauth_setup.MS_SECRET)
    if source == "google_service_account":
        oauth_setup.service_account(svc, tmp_path)
    elif source == "google_refresh_token":
        oauth_setup.google_client(svc, tmp_path)
        svc.state.consent_user = user.name
        browser = _Browser(dovecot.pki.ca_file)
        webbrowser.register("sheetdesk-test-browser", None, browser, preferred=True)
        assert cli.main(["auth", "google", "--config", str(path)]) == 0
        assert len(browser.visits) == 1 and "code_challenge_method=S256" in browser.visits[0]
    elif source.startswith("microsoft"):
        oauth_setup.ms_app(svc, user.name, tmp_path)
        if source == "microsoft_device":
            svc.state.device_user = user.name
            assert cli.main(["auth", "microsoft", "--config", str(path)]) == 0
            assert "enter the code" in capsys.readouterr().out
    assert cli.main(["init", "--config", str(path)]) == 0
    capsys.readouterr()
    return path, user


def _health(path: Path) -> dict[str, str]:
    grid = WorkbookStore(path.parent / "sheetdesk.xlsx").load().tabs.get("Health", ())
    return {row[0]: row[1] for row in grid if len(row) >= 2}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_poll_reads_and_answers_mail_signed_in_with_oauth2(
    source: str,
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, user = _setup(tmp_path, source, svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys)
    user.append([mailservers.sample_message(1, subject="Printer on fire")])

    # -v: debug logging (imaplib's commands included) is scanned for tokens too.
    assert cli.main(["-v", "poll", "--once", "--config", str(path)]) == 0
    printed = capsys.readouterr()
    out = printed.out
    assert "1 case created" in out, out
    assert "DEBUG" in printed.err
    # Read through Dovecot (the message left the inbox) and answered through aiosmtpd.
    assert user.count("INBOX") == 0 and user.count("processed") == 1
    assert len(smtp_oauth.messages) == 1
    assert smtp_oauth.messages[0].message["To"] == "Customer 1 <customer@example.org>"
    assert smtp_oauth.auth_attempts == [f"XOAUTH2 {user.name}"]
    assert svc.count("active") >= 2 and svc.count("inactive") == 0  # IMAP and SMTP
    if source == "google_refresh_token":
        token_file = tmp_path / "tokens" / "google.json"
        assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    if source == "microsoft_device":
        cache = tmp_path / "tokens" / "msal-cache.json"
        assert oct(cache.stat().st_mode & 0o777) == "0o600"

    assert cli.main(["-v", "check", "--config", str(path)]) == 0
    checked = capsys.readouterr()
    lines = checked.out
    assert (
        f"ok       oauth2 ({source.removesuffix('_certificate')}): token for {user.name}" in lines
    )
    assert "(XOAUTH2)" in lines  # the SMTP line says how it signed in
    _no_tokens_anywhere(svc, tmp_path, lines + out + printed.err + checked.err, smtp_oauth)


def test_oauthbearer_where_chosen(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, user = _setup(
        tmp_path, "google_service_account", svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys
    )
    path.write_text(path.read_text().replace("[oauth2]\n", '[oauth2]\nmechanism = "oauthbearer"\n'))
    user.append([mailservers.sample_message(2)])
    assert cli.main(["poll", "--once", "--config", str(path)]) == 0
    assert smtp_oauth.auth_attempts == [f"OAUTHBEARER {user.name}"]
    assert "method=OAUTHBEARER" in (dovecot_oauth.root / "dovecot.log").read_text()


def test_token_expiring_during_run_is_refreshed_without_a_failed_cycle(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, user = _setup(
        tmp_path, "google_service_account", svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys
    )
    path.write_text(
        path.read_text().replace("[oauth2]\n", "[oauth2]\nrefresh_margin_seconds = 1\n")
    )
    svc.state.lifetime = 2.5  # every token dies during the run
    stop = threading.Event()

    def customers() -> None:  # a new message every 0.7 s while sheetdesk runs
        n = 10
        while not stop.wait(0.7):
            n += 1
            user.append([mailservers.sample_message(n, sender=f"c{n}@example.org")])

    user.append([mailservers.sample_message(10, sender="c10@example.org")])
    feeder = threading.Thread(target=customers, daemon=True)
    feeder.start()
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    try:
        code = cli.main(["run", "--interval", "1", "--cycles", "6", "--config", str(path)])
    finally:
        stop.set()
        feeder.join()
    elapsed = time.monotonic() - started
    assert code == 0
    assert "poll cycle failed" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert elapsed > 5  # long enough for at least two tokens to expire
    assert svc.count("issue jwt-bearer") >= 3
    assert svc.count("inactive") == 0  # no expired token was ever presented
    assert _health(path)["Last cycle result"] == "ok"
    logins = (
        (dovecot_oauth.root / "dovecot.log")
        .read_text()
        .count(f"user=<{user.name}>, method=XOAUTH2")
    )
    assert logins >= 2  # the IMAP session was renewed before its token ran out
    # Every message read got its answer (the last ones may arrive after the last cycle).
    assert len(smtp_oauth.messages) == user.count("processed") >= 4


def test_revoked_consent_fails_poll_and_check_naming_the_fix(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, user = _setup(
        tmp_path, "google_refresh_token", svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys
    )
    assert cli.main(["poll", "--once", "--config", str(path)]) == 0
    svc.revoke(user.name)  # the owner removed sheetdesk at myaccount.google.com
    user.append([mailservers.sample_message(3)])
    capsys.readouterr()

    assert cli.main(["poll", "--once", "--config", str(path)]) == 3
    err = capsys.readouterr().err
    assert "Token has been expired or revoked" in err and "sheetdesk auth google" in err
    health = _health(path)
    assert health["Last cycle result"] != "ok"
    assert "sheetdesk auth google" in health["Last error"]
    assert user.count("INBOX") == 1  # the mail waits; nothing was lost

    assert cli.main(["check", "--config", str(path)]) != 0
    out = capsys.readouterr().out
    problem = [line for line in out.splitlines() if line.startswith("PROBLEM  oauth2")]
    assert problem and "run `sheetdesk auth google`" in problem[0]
    _no_tokens_anywhere(svc, tmp_path, out + err, smtp_oauth)


def test_revoked_during_run_stops_the_service_with_exit_3(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, user = _setup(
        tmp_path, "microsoft_device", svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys, 1.5
    )
    path.write_text(
        path.read_text().replace("[oauth2]\n", "[oauth2]\nrefresh_margin_seconds = 1\n")
    )
    threading.Timer(2.0, svc.revoke, args=(user.name,)).start()
    code = cli.main(["run", "--interval", "1", "--cycles", "20", "--config", str(path)])
    assert code == 3
    assert "sheetdesk auth microsoft" in _health(path)["Last error"]


def test_wrong_scope_is_refused_by_the_servers_with_a_hint(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    smtp_oauth: mailservers.SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A delegation that allows another scope: Google issues no token at all."""
    path, _ = _setup(
        tmp_path, "google_service_account", svc, dovecot_oauth, smtp_oauth, monkeypatch, capsys
    )
    public, _ = svc.state.service_accounts[oauth_setup.SA_EMAIL]
    svc.add_service_account(
        oauth_setup.SA_EMAIL, public, {"https://www.googleapis.com/auth/gmail.readonly"}
    )
    assert cli.main(["poll", "--once", "--config", str(path)]) == 3
    err = capsys.readouterr().err
    assert "unauthorized_client" in err and "Domain-wide delegation" in err
    assert oauth_setup.SA_CLIENT_ID in err and GOOGLE_MAIL in err


def _no_tokens_anywhere(
    svc: TokenService, folder: Path, printed: str, smtp: mailservers.SmtpServer
) -> None:
    """No access token, refresh token or client secret in what was printed, the
    workbook (every part of the .xlsx), the state files or the mail sent; the
    token files and the owner's own client/key files excepted."""
    secrets = [
        *svc.state.tokens,
        *svc.state.grants,
        oauth_setup.GOOGLE_CLIENT_SECRET,
        oauth_setup.MS_SECRET,
    ]
    places: dict[str, str] = {"output": printed}
    own = ("client.json", "app.pem", "service-account.json")
    for file in folder.rglob("*"):
        if not file.is_file() or file.parent.name == "tokens" or file.name in own:
            continue
        if file.suffix == ".xlsx":
            with zipfile.ZipFile(file) as book:
                text = "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        else:
            text = file.read_bytes().decode("latin-1")
        places[str(file)] = text
    for n, mail in enumerate(smtp.messages):
        places[f"mail {n}"] = mail.data.decode("latin-1")
    leaks = [
        f"{s[:7]}... in {where}" for where, text in places.items() for s in secrets if s in text
    ]
    assert not leaks


def test_over_tls_as_in_production(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """IMAP on implicit TLS and SMTP with STARTTLS (AUTH only after the upgrade),
    both verified against the test CA, with an msal app-only token."""
    smtp = mailservers.SmtpServer(
        dovecot_oauth.pki, mode="starttls", oauth2_url=svc.introspect_base
    ).start()
    try:
        path, user = _setup(
            tmp_path, "microsoft_app", svc, dovecot_oauth, smtp, monkeypatch, capsys
        )
        ca = dovecot_oauth.pki.ca_file
        text = path.read_text()
        text = text.replace(
            f'port = {dovecot_oauth.port}\nsecurity = "plain"',
            f'port = {dovecot_oauth.tls_port}\nsecurity = "tls"\nca_file = "{ca}"',
        )
        text = text.replace(
            f'port = {smtp.port}\nsecurity = "plain"',
            f'port = {smtp.port}\nsecurity = "starttls"\nca_file = "{ca}"',
        )
        assert text.count('security = "plain"') == 0
        path.write_text(text)
        user.append([mailservers.sample_message(5)])
        assert cli.main(["poll", "--once", "--config", str(path)]) == 0
        assert len(smtp.messages) == 1 and smtp.auth_attempts == [f"XOAUTH2 {user.name}"]
        log = (dovecot_oauth.root / "dovecot.log").read_text()
        logins = [
            line for line in log.splitlines() if f"user=<{user.name}>, method=XOAUTH2" in line
        ]
        assert logins and all(", TLS" in line for line in logins), logins
    finally:
        smtp.stop()
