"""The HTTP session the Sheets adapter hands to gspread, and the spreadsheet key.

Production: a service-account JSON with the ``spreadsheets`` scope only (no
Drive: the store never calls a Drive endpoint), through google-auth's
``AuthorizedSession``.  With an API root override (``SheetsConfig.api_root`` or
``SHEETDESK_SHEETS_API_ROOT``, in the spirit of Google's ``*_EMULATOR_HOST``)
the credentials are anonymous and the redirect happens in the transport:
gspread binds ``https://sheets.googleapis.com`` into its modules at import
time, so patching ``gspread.urls`` changes nothing; a mounted adapter that
rewrites the URL prefix does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from automation import __version__
from automation.config import SheetsConfig
from automation.errors import ConfigError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
GOOGLE_ROOT = "https://sheets.googleapis.com"
# Google compresses a response only when asked (Accept-Encoding) *and* the User-Agent
# says "gzip"; the one read per cycle is mostly repeated JSON, so it shrinks severalfold.
COMPRESSED = {"Accept-Encoding": "gzip", "User-Agent": f"sheetdesk/{__version__} (gzip)"}
API_ROOT_ENV = "SHEETDESK_SHEETS_API_ROOT"

_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{10,}")


def spreadsheet_key(text: str) -> str:
    """The key from a bare key or a ``https://docs.google.com/spreadsheets/d/<key>/...`` URL."""
    value = text.strip()
    found = _URL_KEY.search(value)
    if found:
        return found.group(1)
    if _BARE_KEY.fullmatch(value):
        return value
    raise ConfigError(
        "store.sheets.spreadsheet: expected a spreadsheet key or its URL "
        "(https://docs.google.com/spreadsheets/d/<key>/edit)"
    )


class RewriteRoot(HTTPAdapter):
    """Sends ``https://sheets.googleapis.com/...`` to ``root/...`` instead."""

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = request.url or ""
        if url.startswith(GOOGLE_ROOT):
            request.url = self.root + url[len(GOOGLE_ROOT) :]
        return super().send(request, *args, **kwargs)


def api_root(config: SheetsConfig, env: Mapping[str, str] | None = None) -> str:
    return config.api_root or (env if env is not None else os.environ).get(API_ROOT_ENV, "")


def build_session(
    config: SheetsConfig, base_dir: str = ".", env: Mapping[str, str] | None = None
) -> requests.Session:
    """An authorised session for the real API, or an anonymous redirected one."""
    from google.auth import credentials as gcreds
    from google.auth.transport import requests as gtransport

    # google-auth is typed loosely; keep the untyped calls in one place.
    authorized: Any = gtransport.AuthorizedSession
    anonymous: Any = gcreds.AnonymousCredentials
    root = api_root(config, env)
    if root:
        session: requests.Session = authorized(anonymous())
        session.mount(GOOGLE_ROOT, RewriteRoot(root))
        session.headers.update(COMPRESSED)
        return session
    if not config.credentials_file:
        raise ConfigError("store.sheets.credentials_file: required (a service-account JSON)")
    path = os.path.join(base_dir, os.path.expanduser(config.credentials_file))
    from google.auth.exceptions import GoogleAuthError
    from google.oauth2 import service_account

    try:
        from_file: Any = service_account.Credentials.from_service_account_file
        creds = from_file(path, scopes=list(SCOPES))
    except FileNotFoundError as exc:
        raise ConfigError(f"store.sheets.credentials_file: {path} not found") from exc
    except (OSError, ValueError, KeyError, GoogleAuthError) as exc:
        raise ConfigError(
            f"store.sheets.credentials_file: {path} is not a service-account JSON "
            f"({type(exc).__name__})"
        ) from exc
    result: requests.Session = authorized(creds)
    result.headers.update(COMPRESSED)
    return result
