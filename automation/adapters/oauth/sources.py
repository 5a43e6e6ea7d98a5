"""Building the configured token source (``[oauth2]``) for the mail adapters."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from automation.adapters.oauth import http
from automation.adapters.oauth.refresh import Fetcher, RefreshAhead
from automation.config import Config
from automation.errors import ConfigError
from automation.secrets import resolve


def token_path(cfg: Config) -> Path:
    """``oauth2.token_file``, or ``oauth-token.json`` in the state directory."""
    o = cfg.oauth2
    return (
        cfg.path(o.token_file)
        if o.token_file
        else cfg.path(cfg.poll.state_dir) / "oauth-token.json"
    )


def uses_oauth2(cfg: Config) -> bool:
    imap = cfg.inbox.kind == "imap" and cfg.inbox.imap.auth == "oauth2"
    smtp = cfg.outbox.kind == "smtp" and cfg.outbox.smtp.auth == "oauth2"
    return imap or smtp


def build_fetcher(cfg: Config) -> Fetcher:
    """The source named by ``oauth2.source``; reads key and client files now, so a
    bad path is a config error at start-up, but makes no network request."""
    o = cfg.oauth2
    base = Path(cfg.base_dir)
    session = http.session(o.ca_file, base, o.timeout_seconds)
    if o.source == "google_service_account":
        from automation.adapters.oauth.google_service import GoogleServiceAccount

        key = o.credentials_file or cfg.store.sheets.credentials_file
        if not key:
            raise ConfigError(
                "oauth2.credentials_file: required (the service account's JSON key; "
                "store.sheets.credentials_file is used when that is set)"
            )
        return GoogleServiceAccount(cfg.path(key), session)
    if o.source == "google_refresh_token":
        from automation.adapters.oauth.google_user import GoogleRefreshToken, load_client

        if not o.client_file:
            raise ConfigError("oauth2.client_file: required (your Desktop-app OAuth client JSON)")
        return GoogleRefreshToken(load_client(cfg.path(o.client_file)), token_path(cfg), session)
    from automation.adapters.oauth.microsoft import MicrosoftTokens, certificate_credential

    if o.source == "microsoft_device":
        return MicrosoftTokens(o, session, credential=None, cache_path=token_path(cfg))
    if o.certificate_file and (o.client_secret_env or o.client_secret_file):
        raise ConfigError("oauth2: set a client secret or a certificate_file, not both")
    if o.certificate_file:
        cred = certificate_credential(cfg.path(o.certificate_file))
        return MicrosoftTokens(o, session, credential=cred, cache_path=None)
    secret = resolve("oauth2.client_secret", o.client_secret_env, o.client_secret_file, base)
    if not secret:
        raise ConfigError(
            "oauth2.client_secret_env or oauth2.client_secret_file (or certificate_file): "
            "required for microsoft_app"
        )
    return MicrosoftTokens(o, session, credential=secret, cache_path=None)


def build(cfg: Config) -> RefreshAhead | None:
    """The refreshing token source, or None when no server uses ``auth = "oauth2"``."""
    if not uses_oauth2(cfg):
        return None
    if cfg.oauth2.refresh_margin_seconds < 0:
        raise ConfigError("oauth2.refresh_margin_seconds: must not be negative")
    margin = timedelta(seconds=cfg.oauth2.refresh_margin_seconds)
    return RefreshAhead(build_fetcher(cfg), margin)
