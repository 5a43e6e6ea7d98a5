"""The Sheets session asks for gzip the way Google requires, and reads it back."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from automation.adapters.sheets.session import GOOGLE_ROOT, build_session
from automation.config import SheetsConfig


def test_requests_say_gzip_twice_and_a_gzipped_reply_is_read() -> None:
    seen: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.update({k.lower(): v for k, v in self.headers.items()})
            body = gzip.compress(json.dumps({"sheets": [{"title": "Cases"}]}).encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        session = build_session(SheetsConfig(spreadsheet="k" * 44, api_root=root))
        reply = session.get(f"{GOOGLE_ROOT}/v4/spreadsheets/abc", timeout=10)
    finally:
        server.shutdown()
    assert "gzip" in seen["accept-encoding"] and "(gzip)" in seen["user-agent"]
    assert reply.json() == {"sheets": [{"title": "Cases"}]}
