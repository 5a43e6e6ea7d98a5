"""Personal Gmail (or Workspace without delegation): a stored refresh token.

``sheetdesk auth google`` puts the refresh token in ``oauth2.token_file``
(0600); the OAuth client's ID and secret stay in ``oauth2.client_file`` (the
JSON downloaded from the Google Cloud console).  Each fetch trades the refresh
token for an access token at the client file's ``token_uri``.  A refusal
(consent revoked, password changed, a "Testing" app's 7-day limit) says to run
``sheetdesk auth google`` again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from automation.adapters.oauth import token_file
from automation.adapters.oauth.google_errors import expiry_utc, translate
from automation.errors import ConfigError, TokenError
from automation.ports import AccessToken
from automation.secrets import Secret

MAIL_SCOPE = "https://mail.google.com/"
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 (a URL)


@dataclass(frozen=True)
class OAuthClient:
    """The owner's own OAuth client ("Desktop app") from its downloaded JSON."""

    client_id: str
    client_secret: Secret
    auth_uri: str
    token_uri: str


def load_client(path: Path) -> OAuthClient:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"oauth2.client_file: {path} not found") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"oauth2.client_file: {path} is not JSON ({exc})") from exc
    section = data.get("installed") if isinstance(data, dict) else None
    if not isinstance(section, dict) or not section.get("client_id"):
        raise ConfigError(
            f"oauth2.client_file: {path} is not a Desktop-app OAuth client JSON "
            "(create one under APIs & Services > Credentials > OAuth client ID > Desktop app)"
        )
    return OAuthClient(
        client_id=str(section["client_id"]),
        client_secret=Secret(str(section.get("client_secret", ""))),
        auth_uri=str(section.get("auth_uri") or GOOGLE_AUTH_URI),
        token_uri=str(section.get("token_uri") or GOOGLE_TOKEN_URI),
    )


class GoogleRefreshToken:
    """``Fetcher`` for a mailbox whose owner consented once."""

    def __init__(self, client: OAuthClient, token_path: Path, session: requests.Session) -> None:
        self.client = client
        self.token_path = token_path
        self._session = session

    def _refresh_token(self, user: str) -> Secret:
        fix = f"run `sheetdesk auth google` to sign in as {user}"
        data = token_file.read_json(self.token_path, fix)
        account = str(data.get("account", ""))
        if account.lower() != user.lower():
            raise TokenError(
                f"the token file {self.token_path} is for {account!r}, not {user}; {fix}"
            )
        if data.get("client_id") != self.client.client_id:
            raise TokenError(
                f"the token file {self.token_path} was made with another OAuth client; {fix}"
            )
        return Secret(str(data.get("refresh_token", "")))

    def fetch(self, user: str) -> AccessToken:
        from google.auth.exceptions import GoogleAuthError
        from google.auth.transport.requests import Request
        from google.oauth2 import credentials

        refresh = self._refresh_token(user)
        make: Any = credentials.Credentials
        creds = make(
            token=None,
            refresh_token=refresh.reveal(),
            token_uri=self.client.token_uri,
            client_id=self.client.client_id,
            client_secret=self.client.client_secret.reveal(),
            scopes=[MAIL_SCOPE],
        )
        try:
            creds.refresh(Request(self._session))
        except GoogleAuthError as exc:
            raise translate(
                exc,
                f"a Google token for {user} from the refresh token in {self.token_path}",
                "the consent was revoked, the password changed or the token expired: run "
                f"`sheetdesk auth google` again (signed in as {user}, allowing Gmail access)",
            ) from exc
        if creds.refresh_token and creds.refresh_token != refresh.reveal():
            save(self.token_path, user, self.client.client_id, Secret(creds.refresh_token))
        return AccessToken(Secret(str(creds.token)), expiry_utc(creds))

    def describe(self) -> str:
        return f"Google refresh token in {self.token_path}"


def save(path: Path, user: str, client_id: str, refresh_token: Secret) -> None:
    """Write the token file (0600): who it is for, which client, the refresh token."""
    body = {
        "source": "google_refresh_token",
        "account": user,
        "client_id": client_id,
        "scope": MAIL_SCOPE,
        "refresh_token": refresh_token.reveal(),
    }
    token_file.write_private(path, json.dumps(body, indent=2) + "\n")
