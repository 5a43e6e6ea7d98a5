"""Serve the stand-in on a loopback port (for scripts and HTTP-overhead benchmarks)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.standin.standin import SheetsStandIn


def _handler_for(api: SheetsStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            url = f"http://127.0.0.1{self.path}"
            status, payload = api.handle(self.command, url, body, local=True)
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_DELETE = _serve
        do_PATCH = _serve

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def serve(api: SheetsStandIn, port: int = 0) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT``; the server stops when the block exits."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sheets-standin", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
