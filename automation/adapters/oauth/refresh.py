"""``RefreshAhead``: the ``TokenSource`` the mail adapters use.

It keeps the last token per mailbox and asks its source for a new one when
less than ``margin`` is left, so a token handed to a server never expires in
the middle of a sign-in, and a long ``sheetdesk run`` keeps signing in without
a failed cycle.  A replaced token is retired from the secret scrubber's list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from automation.ports import AccessToken
from automation.secrets import retire


class Fetcher(Protocol):
    """One token source: a network round trip per call."""

    def fetch(self, user: str) -> AccessToken: ...

    def describe(self) -> str: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


class RefreshAhead:
    def __init__(
        self,
        source: Fetcher,
        margin: timedelta,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.source = source
        self.margin = margin
        self._clock = clock
        self._tokens: dict[str, AccessToken] = {}
        self.fetches = 0  # round trips to the source, for tests and `check`

    def token(self, user: str) -> AccessToken:
        """A token for ``user`` with more than ``margin`` left (or as much as the
        source gives, when it issues shorter-lived ones)."""
        held = self._tokens.get(user)
        if held is not None and held.expires_at - self._clock() > self.margin:
            return held
        fresh = self.source.fetch(user)
        self.fetches += 1
        self._tokens[user] = fresh
        if held is not None and held.value.reveal() != fresh.value.reveal():
            retire(held.value)
        return fresh

    def describe(self) -> str:
        return self.source.describe()
