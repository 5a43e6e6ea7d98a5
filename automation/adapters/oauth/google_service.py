"""Google Workspace: a service account with domain-wide delegation.

The service account (the one the sheet uses, or another) signs a JWT asking
for ``https://mail.google.com/`` on behalf of the mailbox (``subject``);
Google's token endpoint (the key file's ``token_uri``) answers with an access
token for that mailbox.  No user interaction; nothing is stored.

Failures name the fix: a missing delegation (the Admin console step), a
deleted key, a mailbox outside the domain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from automation.adapters.oauth.google_errors import expiry_utc, translate
from automation.errors import ConfigError
from automation.ports import AccessToken
from automation.secrets import Secret

MAIL_SCOPE = "https://mail.google.com/"


class GoogleServiceAccount:
    """``Fetcher`` for a Workspace mailbox via domain-wide delegation."""

    def __init__(self, key_file: Path, session: requests.Session) -> None:
        self.key_file = key_file
        self._session = session
        try:
            info = json.loads(key_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"oauth2.credentials_file: {key_file} not found") from None
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"oauth2.credentials_file: {key_file} is not a service-account JSON "
                f"({type(exc).__name__})"
            ) from exc
        if not isinstance(info, dict) or info.get("type") != "service_account":
            raise ConfigError(f"oauth2.credentials_file: {key_file} is not a service-account JSON")
        self._info: dict[str, Any] = info
        self.client_email = str(info.get("client_email", ""))
        self.client_id = str(info.get("client_id", ""))

    def _credentials(self, user: str) -> Any:
        from google.oauth2 import service_account

        try:
            make: Any = service_account.Credentials.from_service_account_info
            return make(self._info, scopes=[MAIL_SCOPE], subject=user)
        except (ValueError, KeyError) as exc:
            raise ConfigError(
                f"oauth2.credentials_file: {self.key_file} is not a usable service-account key "
                f"({type(exc).__name__})"
            ) from exc

    def fetch(self, user: str) -> AccessToken:
        from google.auth.exceptions import GoogleAuthError
        from google.auth.transport.requests import Request

        creds = self._credentials(user)
        try:
            creds.refresh(Request(self._session))
        except GoogleAuthError as exc:
            raise translate(
                exc,
                f"a Google token for {user} from service account {self.client_email}",
                "in the Google Admin console (Security > Access and data control > API "
                f"controls > Domain-wide delegation) allow client ID {self.client_id} the "
                f"scope {MAIL_SCOPE}, and check that {user} is a mailbox of that domain and "
                "the key has not been deleted",
            ) from exc
        return AccessToken(Secret(str(creds.token)), expiry_utc(creds))

    def describe(self) -> str:
        return f"Google service account {self.client_email} (domain-wide delegation)"
