"""Token sources against the loopback token service: refusals name their fix,
outages are transient, files are private, tokens never leak, and the mail
adapters refuse a token a server does not accept with a useful hint."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation import config as config_mod
from automation.adapters.imap.inbox import ImapInbox
from automation.adapters.oauth import sasl, sources, token_file
from automation.adapters.oauth.fixed import FixedTokens
from automation.adapters.oauth.google_consent import pkce_pair
from automation.adapters.oauth.login import OAuth2Login, renew_at
from automation.adapters.oauth.refresh import RefreshAhead
from automation.adapters.smtp_outbox import SmtpOutbox
from automation.config import Config, ImapConfig, SmtpConfig
from automation.errors import AuthError, ConfigError, TokenError, TokenServiceError
from automation.secrets import scrub
from tests.support import mailservers, oauth_setup
from tests.support.tokenservice import GOOGLE_MAIL, State, TokenService


@pytest.fixture
def svc(token_service: TokenService) -> TokenService:
    token_service.state = State()
    return token_service


def _cfg(tmp_path: Path, svc: TokenService, **oauth: object) -> Config:
    data = {
        "inbox": {
            "kind": "imap",
            "imap": {"host": "127.0.0.1", "username": "bob", "auth": "oauth2"},
        },
        "oauth2": {"ca_file": str(svc.ca_file), **oauth},
    }
    return config_mod.from_dict(data, str(tmp_path))


# ------------------------------------------------------------- config ---


def test_config_rejects_unknown_keys_and_auth_values() -> None:
    with pytest.raises(ConfigError, match=r"oauth2\.refresh_token: unknown key"):
        config_mod.from_dict({"oauth2": {"refresh_token": "x"}})
    with pytest.raises(
        ConfigError, match=r"inbox\.imap\.auth: expected one of 'password', 'oauth2'"
    ):
        config_mod.from_dict({"inbox": {"imap": {"auth": "oauth"}}})
    with pytest.raises(ConfigError, match=r"oauth2\.source"):
        config_mod.from_dict({"oauth2": {"source": "yahoo"}})


def test_missing_files_are_config_errors(tmp_path: Path, svc: TokenService) -> None:
    cfg = _cfg(tmp_path, svc, source="google_service_account")
    with pytest.raises(ConfigError, match=r"oauth2.credentials_file: required"):
        sources.build(cfg)
    cfg = _cfg(tmp_path, svc, source="google_service_account", credentials_file="nope.json")
    with pytest.raises(ConfigError, match=r"nope.json not found"):
        sources.build(cfg)
    cfg = _cfg(tmp_path, svc, source="microsoft_app", tenant="t", client_id="c")
    with pytest.raises(ConfigError, match=r"client_secret_env or oauth2.client_secret_file"):
        sources.build(cfg)
    (tmp_path / "client.json").write_text(json.dumps({"web": {"client_id": "x"}}))
    cfg = _cfg(tmp_path, svc, source="google_refresh_token", client_file="client.json")
    with pytest.raises(ConfigError, match=r"Desktop-app OAuth client"):
        sources.build(cfg)


# --------------------------------------------------------------- SASL ---


def test_sasl_choice_and_strings() -> None:
    assert sasl.choose("auto", ["PLAIN", "XOAUTH2", "OAUTHBEARER"], "x") == "XOAUTH2"
    assert sasl.choose("auto", ["oauthbearer"], "x") == "OAUTHBEARER"
    assert sasl.choose("oauthbearer", ["XOAUTH2", "OAUTHBEARER"], "x") == "OAUTHBEARER"
    with pytest.raises(AuthError, match=r"does not offer XOAUTH2 or OAUTHBEARER.*PLAIN"):
        sasl.choose("auto", ["PLAIN"], "SMTP server h:1")
    assert sasl.xoauth2("a@b", "T") == "user=a@b\x01auth=Bearer T\x01\x01"
    assert sasl.oauthbearer("a=b,c", "T", "h", 587) == (
        "n,a=a=3Db=2Cc,\x01host=h\x01port=587\x01auth=Bearer T\x01\x01"
    )


def test_pkce_pair_is_s256_of_the_verifier() -> None:
    import base64
    import hashlib

    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128 and "=" not in verifier + challenge
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge == digest.decode() and pkce_pair()[0] != verifier


# ---------------------------------------------------------- the cache ---


def test_refresh_ahead_of_expiry_and_old_tokens_leave_the_scrub_list() -> None:
    now = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    source = FixedTokens({"bob": "token-one-abc"}, lifetime=timedelta(minutes=60))
    tokens = RefreshAhead(source, timedelta(minutes=5), clock=lambda: now[0])
    source.fetch = _clocked(source, now)  # type: ignore[method-assign]
    first = tokens.token("bob")
    assert tokens.token("bob") is first and tokens.fetches == 1
    assert scrub("got token-one-abc") == "got ***"
    now[0] += timedelta(minutes=54)  # 6 minutes left: still good
    assert tokens.token("bob") is first
    now[0] += timedelta(minutes=2)  # 4 minutes left: inside the margin
    source._tokens["bob"] = "token-two-def"
    second = tokens.token("bob")
    assert second is not first and tokens.fetches == 2
    assert scrub("old token-one-abc") == "old token-one-abc"  # retired
    assert scrub("new token-two-def") == "new ***"
    with pytest.raises(TokenError, match=r"no token for carol"):
        tokens.token("carol")


def _clocked(source: FixedTokens, now: list[datetime]):  # type: ignore[no-untyped-def]
    original = FixedTokens.fetch

    def fetch(user: str):  # type: ignore[no-untyped-def]
        token = original(source, user)
        return type(token)(token.value, now[0] + timedelta(minutes=60))

    return fetch


def test_session_renewal_time() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert renew_at(now, now + timedelta(hours=1)) == now + timedelta(minutes=59)
    assert renew_at(now, now + timedelta(seconds=4)) == now + timedelta(seconds=2)


# --------------------------------------------------------- token files ---


def test_token_files_are_private_and_refused_when_others_can_read(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "tok.json"
    token_file.write_private(path, '{"a": 1}')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["tok.json"]  # no temp file left
    assert token_file.read_json(path, "fix it") == {"a": 1}
    os.chmod(path, 0o644)
    with pytest.raises(TokenError, match=f"run `chmod 600 {path}`"):
        token_file.read_private(path, "fix it")
    with pytest.raises(TokenError, match=r"no token file at .*: run sheetdesk auth"):
        token_file.read_private(tmp_path / "missing", "run sheetdesk auth")
    path.write_text("not json")
    os.chmod(path, 0o600)
    with pytest.raises(TokenError, match=r"not what sheetdesk wrote: again"):
        token_file.read_json(path, "again")


# -------------------------------------------------------------- Google ---


def test_service_account_without_delegation_names_the_admin_console_step(
    tmp_path: Path, svc: TokenService
) -> None:
    oauth_setup.service_account(svc, tmp_path, delegated=False)
    cfg = _cfg(tmp_path, svc, credentials_file="service-account.json")
    tokens = sources.build(cfg)
    assert tokens is not None
    with pytest.raises(TokenError) as caught:
        tokens.token("bob")
    text = str(caught.value)
    assert "unauthorized_client" in text and "Domain-wide delegation" in text
    assert oauth_setup.SA_CLIENT_ID in text and GOOGLE_MAIL in text


def test_service_account_with_a_deleted_key_is_refused(tmp_path: Path, svc: TokenService) -> None:
    oauth_setup.service_account(svc, tmp_path)
    from tests.support.tokenservice import rsa_key

    _, other = rsa_key()  # the key in the file was deleted; the account has a new one
    svc.add_service_account(oauth_setup.SA_EMAIL, other, {GOOGLE_MAIL})
    tokens = sources.build(_cfg(tmp_path, svc, credentials_file="service-account.json"))
    assert tokens is not None
    with pytest.raises(TokenError, match=r"Invalid JWT Signature.*key has not been deleted"):
        tokens.token("bob")


def test_token_endpoint_outage_is_transient(tmp_path: Path, svc: TokenService) -> None:
    oauth_setup.service_account(svc, tmp_path)
    tokens = sources.build(_cfg(tmp_path, svc, credentials_file="service-account.json"))
    assert tokens is not None
    svc.state.fail_5xx = 50
    with pytest.raises(TokenServiceError, match=r"token endpoint failed"):
        tokens.token("bob")
    svc.state.fail_5xx = 0
    assert tokens.token("bob").value.reveal().startswith("tok-")


def test_refresh_token_file_for_another_account_or_client(
    tmp_path: Path, svc: TokenService
) -> None:
    oauth_setup.google_client(svc, tmp_path)
    cfg = _cfg(
        tmp_path, svc, source="google_refresh_token", client_file="client.json", token_file="t.json"
    )
    tokens = sources.build(cfg)
    assert tokens is not None
    with pytest.raises(TokenError, match=r"no token file at .*t.json: run `sheetdesk auth google`"):
        tokens.token("bob")
    token_file.write_private(
        tmp_path / "t.json",
        json.dumps({"account": "alice", "client_id": oauth_setup.GOOGLE_CLIENT_ID}),
    )
    with pytest.raises(TokenError, match=r"is for 'alice', not bob"):
        tokens.token("bob")


def test_consent_without_the_mail_scope_is_refused(tmp_path: Path, svc: TokenService) -> None:
    """The owner unticked Gmail access on the consent screen."""
    import threading

    import requests

    from automation.adapters.oauth import signin_flows

    oauth_setup.google_client(svc, tmp_path)
    svc.state.consent_user = "bob"
    svc.state.consent_scope = "openid email"
    cfg = _cfg(
        tmp_path, svc, source="google_refresh_token", client_file="client.json", token_file="t.json"
    )

    def browser(line: str) -> None:
        url = line.split()[-1]
        threading.Thread(
            target=requests.get, args=(url,), kwargs={"verify": str(svc.ca_file)}, daemon=True
        ).start()

    with pytest.raises(TokenError, match=r"did not include Gmail access"):
        signin_flows.run(cfg, "google", open_browser=False, show=browser)
    assert not (tmp_path / "t.json").exists()


# ----------------------------------------------------------- Microsoft ---


def test_expired_client_secret_names_the_new_secret_step(
    tmp_path: Path, svc: TokenService, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = oauth_setup.ms_app(svc, "bob")
    app.secret_expired = True
    monkeypatch.setenv(oauth_setup.MS_SECRET_ENV, oauth_setup.MS_SECRET)
    cfg = _cfg(
        tmp_path,
        svc,
        source="microsoft_app",
        tenant="t1",
        client_id=oauth_setup.MS_APP_ID,
        client_secret_env=oauth_setup.MS_SECRET_ENV,
        authority=svc.base,
    )
    tokens = sources.build(cfg)
    assert tokens is not None
    with pytest.raises(TokenError) as caught:
        tokens.token("bob")
    text = str(caught.value)
    assert "AADSTS7000222" in text and "Certificates & secrets" in text
    assert oauth_setup.MS_SECRET not in text


def test_device_cache_missing_names_the_auth_command(tmp_path: Path, svc: TokenService) -> None:
    oauth_setup.ms_app(svc, "bob")
    cfg = _cfg(
        tmp_path,
        svc,
        source="microsoft_device",
        tenant="t1",
        client_id=oauth_setup.MS_APP_ID,
        authority=svc.base,
    )
    tokens = sources.build(cfg)
    assert tokens is not None
    with pytest.raises(TokenError, match=r"run `sheetdesk auth microsoft` and sign in as bob"):
        tokens.token("bob")


def test_unreachable_authority_is_transient(tmp_path: Path, svc: TokenService) -> None:
    port = mailservers.free_port()
    cfg = _cfg(
        tmp_path,
        svc,
        source="microsoft_device",
        tenant="t1",
        client_id="c",
        authority=f"https://127.0.0.1:{port}",
    )
    tokens = sources.build(cfg)
    assert tokens is not None
    with pytest.raises(TokenServiceError, match=r"unreachable"):
        tokens.token("bob")


# -------------------------------------------- the servers' side of it ---


def test_app_without_mailbox_access_is_refused_by_imap_and_smtp_with_the_hint(
    tmp_path: Path,
    svc: TokenService,
    dovecot_oauth: mailservers.Dovecot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Exchange service-principal step was skipped: a token is issued, but the
    mailbox does not accept it."""
    user = dovecot_oauth.new_user("sp")
    oauth_setup.ms_app(svc, mailbox="")
    monkeypatch.setenv(oauth_setup.MS_SECRET_ENV, oauth_setup.MS_SECRET)
    cfg = _cfg(
        tmp_path,
        svc,
        source="microsoft_app",
        tenant="t1",
        client_id=oauth_setup.MS_APP_ID,
        client_secret_env=oauth_setup.MS_SECRET_ENV,
        authority=svc.base,
    )
    tokens = sources.build(cfg)
    assert tokens is not None
    imap = ImapConfig(
        host="127.0.0.1",
        port=dovecot_oauth.port,
        security="plain",
        allow_plaintext_loopback=True,
        username=user.name,
        auth="oauth2",
    )
    inbox = ImapInbox(imap, OAuth2Login(tokens), tmp_path / "state")
    with pytest.raises(AuthError) as caught:
        inbox.probe()
    text = str(caught.value)
    assert "refused the XOAUTH2 sign-in" in text and "service principal" in text
    smtp_server = mailservers.SmtpServer(oauth2_url=svc.introspect_base).start()
    try:
        smtp = SmtpConfig(
            host="127.0.0.1",
            port=smtp_server.port,
            security="plain",
            allow_plaintext_loopback=True,
            username=user.name,
            auth="oauth2",
        )
        with pytest.raises(AuthError, match=r"535 5.7.8.*SMTP.SendAsApp"):
            SmtpOutbox(smtp, OAuth2Login(tokens)).probe()
    finally:
        smtp_server.stop()
    for token in svc.state.tokens:
        assert token not in text
