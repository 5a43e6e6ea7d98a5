"""The embedded token source: tokens handed in by the caller (tests, tools).

``FixedTokens({"support@example.com": "tok"})`` answers with that token, valid
for ``lifetime``; an unknown mailbox is a ``TokenError`` like a real refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from automation.errors import TokenError
from automation.ports import AccessToken
from automation.secrets import Secret


class FixedTokens:
    def __init__(self, tokens: Mapping[str, str], lifetime: timedelta = timedelta(hours=1)):
        self._tokens = dict(tokens)
        self._lifetime = lifetime
        self.issued = 0

    def fetch(self, user: str) -> AccessToken:
        value = self._tokens.get(user)
        if value is None:
            raise TokenError(f"no token for {user}: add one to the fixed token source")
        self.issued += 1
        return AccessToken(Secret(value), datetime.now(UTC) + self._lifetime)

    def describe(self) -> str:
        return f"fixed tokens for {', '.join(sorted(self._tokens)) or 'nobody'}"
