"""What a mail adapter signs in with: a password, or an OAuth2 token source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from automation.ports import TokenSource
from automation.secrets import Secret


@dataclass(frozen=True)
class OAuth2Login:
    """Sign in with a bearer token for the server's ``username``.

    ``mechanism``: "auto" (XOAUTH2, else OAUTHBEARER, as offered), "xoauth2" or
    "oauthbearer".
    """

    tokens: TokenSource
    mechanism: str = "auto"


Credential = Secret | OAuth2Login


def renew_at(now: datetime, expires_at: datetime) -> datetime:
    """When a session signed in with a token expiring at ``expires_at`` should be
    replaced: a minute before (half the time left, for short-lived tokens), since
    some servers (Exchange Online) end a session when its token expires."""
    left = max(expires_at - now, timedelta(0))
    return expires_at - min(timedelta(minutes=1), left / 2)
