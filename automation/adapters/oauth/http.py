"""The HTTP session every token request goes through.

Certificates are verified: against the system's CAs, or only against
``ca_file`` when it is set (a company proxy's bundle, the tests' loopback CA);
a timeout bounds every request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from automation.errors import SecurityError


class TimeoutSession(requests.Session):
    """A ``requests.Session`` with a default timeout on every request."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.default_timeout)
        # Explicit, because requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the
        # environment override a session's own ``verify``.
        kwargs.setdefault("verify", self.verify)
        return super().request(method, url, *args, **kwargs)


def session(ca_file: str, base_dir: Path, timeout: float) -> TimeoutSession:
    result = TimeoutSession(timeout)
    if ca_file:
        path = Path(ca_file).expanduser()
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            raise SecurityError(f"oauth2.ca_file: {path} does not exist")
        result.verify = str(path)
    return result
