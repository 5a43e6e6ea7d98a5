"""Bounded retry for Google Sheets API calls (gspread's ``BackOffHTTPClient`` is
never used: in gspread 6.2.1 it retries forever).

Contract of ``Retrier.call(fn, what=..., idempotent=...)``:

* 429 is always retried: the API refused the request before doing anything.
* 5xx and connection errors are retried only when ``idempotent`` is true (a
  read, or a write whose repetition is harmless).  For a non-idempotent write
  (``insertDimension`` of new rows) such a failure is *ambiguous*: it may have
  been applied.  Repeating it blind could create a case twice, so ``call``
  raises ``StoreError`` instead; the next cycle's read shows whether the rows
  exist and the store skips creates whose Case ID already has a row.  A
  connect timeout (nothing was sent) is retried either way.
* Sleeps use full jitter, ``uniform(0, min(cap, base * 2**attempt))``; a
  ``Retry-After`` header wins when present.
* The whole call, retries included, must finish within ``deadline`` seconds of
  its start.  When the next sleep would end past it, ``DeadlineExceeded`` is
  raised at once, so the cycle ends cleanly well before the next poll.
* Other API errors map to the error tree: 401/403 ``AuthError``, 404 and
  400 ``StoreError``.  Messages carry status codes and the API's short status
  word, never request bodies or credentials.

``sleep``, ``clock`` and ``rng`` are injectable so tests pass time in.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

import requests
from gspread.exceptions import APIError

from automation.errors import AuthError, DeadlineExceeded, StoreError

T = TypeVar("T")

RETRYABLE_5XX = frozenset({500, 502, 503, 504})


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _status_word(exc: APIError) -> str:
    status = exc.error.get("status") if isinstance(exc.error, dict) else None
    return str(status or "")


@dataclass
class Retrier:
    """Runs one API call with bounded, jittered retries (see module docstring)."""

    deadline: float = 45.0
    cap: float = 16.0
    base: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    attempts_made: int = 0  # over the lifetime, for tests and logs
    slept: float = 0.0

    def call(self, fn: Callable[[], T], *, what: str, idempotent: bool) -> T:
        start = self.clock()
        attempt = 0
        while True:
            self.attempts_made += 1
            try:
                return fn()
            except APIError as exc:
                response = exc.response
                code = response.status_code if response is not None else exc.code
                if code == 429 or (idempotent and code in RETRYABLE_5XX):
                    header = response.headers.get("Retry-After") if response is not None else None
                    wait = self._wait(attempt, retry_after_seconds(header))
                    self._pause(start, wait, f"{what}: HTTP {code}")
                    attempt += 1
                    continue
                raise _translate(exc, code, what) from exc
            except requests.ConnectTimeout:
                wait = self._wait(attempt, None)
                self._pause(start, wait, f"{what}: connect timeout")
                attempt += 1
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not idempotent:
                    raise StoreError(
                        f"{what}: connection failed ({type(exc).__name__}); the write may or may "
                        "not have landed - the next cycle's read decides"
                    ) from exc
                wait = self._wait(attempt, None)
                self._pause(start, wait, f"{what}: {type(exc).__name__}")
                attempt += 1

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return self.rng.uniform(0.0, min(self.cap, self.base * (2**attempt)))

    def _pause(self, start: float, wait: float, why: str) -> None:
        elapsed = self.clock() - start
        if elapsed + wait > self.deadline:
            raise DeadlineExceeded(
                f"{why}; giving up after {elapsed:.1f}s (retry deadline {self.deadline:.0f}s) - "
                "the next cycle resumes"
            )
        self.sleep(wait)
        self.slept += wait


def _translate(exc: APIError, code: int, what: str) -> StoreError | AuthError:
    word = _status_word(exc)
    detail = f"{what}: HTTP {code}{' ' + word if word else ''}"
    if code in (401, 403):
        return AuthError(
            f"{detail} - is the spreadsheet shared with the service account as an editor?"
        )
    if code == 404:
        return StoreError(f"{detail} - spreadsheet not found (check the key or URL)")
    if code in RETRYABLE_5XX:
        return StoreError(f"{detail} - the write may or may not have landed; next cycle decides")
    message = str(exc.error.get("message", ""))[:160] if isinstance(exc.error, dict) else ""
    return StoreError(f"{detail}{': ' + message if message else ''}")
