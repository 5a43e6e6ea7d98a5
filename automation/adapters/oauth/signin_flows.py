"""``sheetdesk auth google|microsoft``: the one-time consent, then a proof.

Each flow stores its refresh token (0600, ``oauth2.token_file``) and then
trades it for an access token once, so a success here means the next poll can
sign in.  Only the URL or the device code and the result are shown.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

from automation.adapters.oauth import google_consent, http, microsoft_consent
from automation.adapters.oauth.google_user import GoogleRefreshToken, load_client
from automation.adapters.oauth.microsoft import MicrosoftTokens
from automation.adapters.oauth.sources import build_fetcher, token_path
from automation.config import Config
from automation.errors import ConfigError

_NEEDS = {"google": "google_refresh_token", "microsoft": "microsoft_device"}


def _mailbox(cfg: Config) -> str:
    for kind, server in (("imap", cfg.inbox.imap), ("smtp", cfg.outbox.smtp)):
        used = cfg.inbox.kind == kind or cfg.outbox.kind == kind
        if used and server.auth == "oauth2" and server.username:
            return server.username
    raise ConfigError(
        "auth: no server signs in with OAuth2; set auth = 'oauth2' and username in "
        "[inbox.imap] and/or [outbox.smtp]"
    )


def run(cfg: Config, provider: str, *, open_browser: bool, show: Callable[[str], None]) -> str:
    """Run the flow for ``provider``; return the line to print on success."""
    wanted = _NEEDS[provider]
    if cfg.oauth2.source != wanted:
        raise ConfigError(
            f"oauth2.source: `sheetdesk auth {provider}` is for source = {wanted!r} "
            f"(the config says {cfg.oauth2.source!r})"
        )
    user = _mailbox(cfg)
    path = token_path(cfg)
    if provider == "google":
        _google(cfg, user, path, open_browser, show)
    else:
        fetcher = build_fetcher(cfg)
        assert isinstance(fetcher, MicrosoftTokens)
        microsoft_consent.consent(fetcher, user, show)
        fetcher.fetch(user)
    return (
        f"signed in as {user}; the refresh token is in {path} (readable by you only). "
        "Run `sheetdesk check` to see IMAP and SMTP accept it."
    )


def _google(
    cfg: Config, user: str, path: Path, open_browser: bool, show: Callable[[str], None]
) -> None:
    o = cfg.oauth2
    if not o.client_file:
        raise ConfigError("oauth2.client_file: required (your Desktop-app OAuth client JSON)")
    client = load_client(cfg.path(o.client_file))
    session = http.session(o.ca_file, Path(cfg.base_dir), o.timeout_seconds)

    def present(url: str) -> None:
        show(f"Open this page, sign in as {user} and allow mail access:\n\n  {url}\n")
        if open_browser:
            webbrowser.open(url)

    google_consent.consent(client, user, path, session, present)
    GoogleRefreshToken(client, path, session).fetch(user)
