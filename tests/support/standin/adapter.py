"""The ``requests`` transport adapter: gspread's real HTTP path, no sockets."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

if TYPE_CHECKING:
    from tests.support.standin.standin import SheetsStandIn


def build_response(request: requests.PreparedRequest, status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = "OK" if status < 400 else "Error"
    response.headers = CaseInsensitiveDict({"Content-Type": "application/json; charset=UTF-8"})
    response._content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    response.encoding = "utf-8"
    response.url = request.url or ""
    response.request = request
    return response


class StandInAdapter(BaseAdapter):
    """Answers every request from the stand-in's state; other hosts get a JSON 404."""

    def __init__(self, api: SheetsStandIn) -> None:
        super().__init__()
        self.api = api

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        raw = request.body
        body = raw.encode() if isinstance(raw, str) else raw
        status, payload = self.api.handle(request.method or "GET", request.url or "", body)
        return build_response(request, status, payload)

    def close(self) -> None:
        return None
