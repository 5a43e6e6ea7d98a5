"""Turning google-auth's refresh failures into sheetdesk errors that name a fix."""

from __future__ import annotations

from typing import Any

from automation.errors import SheetdeskError, TokenError, TokenServiceError
from automation.secrets import scrub


def translate(exc: Exception, what: str, fix: str) -> SheetdeskError:
    """``TokenServiceError`` for a network failure or a retryable answer (5xx,
    429); ``TokenError`` with ``fix`` for a refusal (revoked, unauthorised)."""
    from google.auth import exceptions as gexc

    if isinstance(exc, gexc.TransportError):
        return TokenServiceError(f"{what}: Google's token endpoint is unreachable ({exc})")
    retryable = bool(getattr(exc, "retryable", False))
    detail = scrub(str(exc.args[0]) if exc.args else type(exc).__name__)
    if retryable:
        return TokenServiceError(f"{what}: Google's token endpoint failed ({detail}); retrying")
    return TokenError(f"{what} was refused ({detail}); {fix}")


def expiry_utc(creds: Any) -> Any:
    """google-auth keeps expiry as a naive UTC datetime; make it aware."""
    from datetime import UTC, datetime, timedelta

    expiry = getattr(creds, "expiry", None)
    if expiry is None:  # no expires_in in the answer: assume Google's hour, refresh early
        return datetime.now(UTC) + timedelta(minutes=30)
    return expiry.replace(tzinfo=UTC)
