"""Microsoft 365 with msal: app-only (client credentials) or delegated (a cache).

* ``microsoft_app``: the app registration's client secret or certificate buys
  a token for ``https://outlook.office365.com/.default`` (the tenant admin
  granted ``IMAP.AccessAsApp`` / ``SMTP.SendAsApp`` and registered the app's
  service principal in Exchange with access to the mailbox).
* ``microsoft_device``: ``sheetdesk auth microsoft`` signed the mailbox's user
  in once (device code); msal's token cache (0600, ``oauth2.token_file``) holds
  the refresh token, and each fetch is ``acquire_token_silent``.  msal itself
  treats a token with under five minutes left as expired and refreshes it.

Refusals name the fix: a new secret, the admin consent, or ``sheetdesk auth
microsoft`` again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from automation.adapters.oauth import token_file
from automation.config import OAuth2Config
from automation.errors import ConfigError, TokenError, TokenServiceError
from automation.ports import AccessToken
from automation.secrets import Secret, scrub

DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
APP_SCOPES = ("https://outlook.office365.com/.default",)
USER_SCOPES = (
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "https://outlook.office.com/SMTP.Send",
)
_RETRY_ERRORS = {"temporarily_unavailable", "server_error"}
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", re.S)


def authority_url(cfg: OAuth2Config) -> str:
    if not cfg.tenant:
        raise ConfigError("oauth2.tenant: required for Microsoft (the directory ID or domain)")
    if not cfg.client_id:
        raise ConfigError("oauth2.client_id: required for Microsoft (the application ID)")
    return f"{(cfg.authority or DEFAULT_AUTHORITY).rstrip('/')}/{cfg.tenant}"


def certificate_credential(path: Path) -> dict[str, str]:
    """msal's client credential from one PEM file holding the key and the certificate."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"oauth2.certificate_file: cannot read {path} ({exc.strerror})") from exc
    blocks = {m.group(1): m.group(0) for m in _PEM_BLOCK.finditer(text)}
    key = next((v for k, v in blocks.items() if k.endswith("PRIVATE KEY")), "")
    cert = blocks.get("CERTIFICATE", "")
    if not key or not cert:
        raise ConfigError(
            f"oauth2.certificate_file: {path} needs both the private key and the certificate "
            "(PEM blocks)"
        )
    Secret(key)  # registered for scrubbing
    return {"private_key": key, "public_certificate": cert}


def _result(result: Any, what: str, fix: str) -> AccessToken:
    """An ``AccessToken`` from an msal answer, or the error that names ``fix``."""
    if isinstance(result, dict) and result.get("access_token"):
        lifetime = int(result.get("expires_in", 3600))
        value = Secret(str(result["access_token"]))
        return AccessToken(value, datetime.now(UTC) + timedelta(seconds=lifetime))
    if not isinstance(result, dict):
        raise TokenError(f"{what}: no token in the cache; {fix}")
    error = str(result.get("error", "unknown"))
    lines = str(result.get("error_description", "")).splitlines()
    detail = scrub(lines[0] if lines else "")
    if error in _RETRY_ERRORS:
        raise TokenServiceError(f"{what}: Microsoft's token endpoint failed ({error}); retrying")
    raise TokenError(f"{what} was refused ({error}: {detail}); {fix}")


class MicrosoftTokens:
    """``Fetcher`` over msal for both Microsoft sources."""

    def __init__(
        self,
        cfg: OAuth2Config,
        session: requests.Session,
        *,
        credential: Secret | dict[str, str] | None,
        cache_path: Path | None,
    ) -> None:
        self.cfg = cfg
        self.authority = authority_url(cfg)
        self._session = session
        self._credential = credential
        self.cache_path = cache_path
        self._app: Any = None
        self._cache: Any = None

    @property
    def delegated(self) -> bool:
        return self.cache_path is not None

    def app(self) -> Any:
        """The msal application (built once; tenant discovery is its first request)."""
        return self._build()

    def cache_text(self) -> str:
        """msal's token cache, serialised (delegated sign-in only)."""
        return str(self._cache.serialize())

    def _build(self) -> Any:
        import msal

        if self._app is not None:
            return self._app
        options: dict[str, Any] = {"authority": self.authority, "http_client": self._session}
        if self.cfg.authority:  # a private authority: no lookup at login.microsoftonline.com
            options["instance_discovery"] = False
        try:
            if self.delegated:
                self._cache = msal.SerializableTokenCache()
                self._app = msal.PublicClientApplication(
                    self.cfg.client_id, token_cache=self._cache, **options
                )
            else:
                secret = self._credential
                cred = secret.reveal() if isinstance(secret, Secret) else secret
                self._app = msal.ConfidentialClientApplication(
                    self.cfg.client_id, client_credential=cred, **options
                )
        except requests.RequestException as exc:
            raise TokenServiceError(f"Microsoft's sign-in service is unreachable ({exc})") from exc
        except ValueError as exc:
            raise TokenError(
                f"Microsoft sign-in for tenant {self.cfg.tenant!r} failed "
                f"({scrub(str(exc))[:200]}); check oauth2.tenant (the directory ID) "
                "and oauth2.authority"
            ) from exc
        return self._app

    def fetch(self, user: str) -> AccessToken:
        try:
            app = self._build()
            if self.delegated:
                return self._silent(app, user)
            result = app.acquire_token_for_client(scopes=list(APP_SCOPES))
        except requests.RequestException as exc:
            raise TokenServiceError(f"Microsoft's token endpoint is unreachable ({exc})") from exc
        return _result(
            result,
            f"a Microsoft token for app {self.cfg.client_id} (app-only)",
            "if the client secret or certificate expired, create a new one under App "
            "registrations > Certificates & secrets and set oauth2.client_secret_env/_file or "
            "oauth2.certificate_file; the app needs the IMAP.AccessAsApp and SMTP.SendAsApp "
            "permissions with admin consent",
        )

    def _silent(self, app: Any, user: str) -> AccessToken:
        fix = f"run `sheetdesk auth microsoft` and sign in as {user}"
        assert self.cache_path is not None
        self._cache.deserialize(token_file.read_private(self.cache_path, fix))
        accounts = app.get_accounts(username=user)
        if not accounts:
            raise TokenError(f"the token cache {self.cache_path} has no sign-in for {user}; {fix}")
        result = app.acquire_token_silent_with_error(list(USER_SCOPES), account=accounts[0])
        if self._cache.has_state_changed:  # a refresh rotated the refresh token: keep it
            token_file.write_private(self.cache_path, self._cache.serialize())
        return _result(
            result, f"a Microsoft token for {user}", fix + " (the sign-in expired or was revoked)"
        )

    def describe(self) -> str:
        if self.delegated:
            return f"Microsoft delegated sign-in, cache {self.cache_path}"
        kind = "certificate" if isinstance(self._credential, dict) else "client secret"
        return f"Microsoft app {self.cfg.client_id} ({kind}), tenant {self.cfg.tenant}"
