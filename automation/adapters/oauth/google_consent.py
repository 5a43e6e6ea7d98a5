"""``sheetdesk auth google``: the installed-app consent flow, once.

RFC 8252 with PKCE (RFC 7636): a one-shot HTTP listener on 127.0.0.1 (a free
port) is the redirect URI; the browser shows Google's consent screen for the
owner's own OAuth client; the code comes back to the listener with our
``state``; it is traded, with the PKCE verifier, for a refresh token, which is
written to ``oauth2.token_file`` (0600).  Nothing but the printed URL and the
result reaches the terminal.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from automation.adapters.oauth.google_user import MAIL_SCOPE, OAuthClient, save
from automation.errors import TokenError, TokenServiceError
from automation.secrets import Secret, scrub

_DONE_PAGE = (
    b"<!doctype html><title>sheetdesk</title><p>sheetdesk is signed in. "
    b"You can close this tab and go back to the terminal.</p>"
)


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge): 64 random bytes, base64url without padding."""
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(64)).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class _Answer:
    query: dict[str, str] = field(default_factory=dict)
    arrived: threading.Event = field(default_factory=threading.Event)


def _listener(answer: _Answer) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            if "code" not in query and "error" not in query:
                self.send_response(404)  # a favicon, a probe: not the redirect
                self.end_headers()
                return
            answer.query = {k: v[0] for k, v in query.items()}
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(_DONE_PAGE)
            answer.arrived.set()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the query holds the code: never log it

    return HTTPServer(("127.0.0.1", 0), Handler)


def consent(
    client: OAuthClient,
    user: str,
    token_path: Path,
    session: requests.Session,
    show: Callable[[str], None],
    timeout_seconds: float = 300.0,
) -> None:
    """Run the flow for ``user``; ``show`` gets the URL to open (print it, open a
    browser).  Raises ``TokenError`` on a refusal, a wrong state or no refresh token."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    answer = _Answer()
    server = _listener(answer)
    redirect = f"http://127.0.0.1:{server.server_address[1]}/"
    params = {
        "client_id": client.client_id,
        "redirect_uri": redirect,
        "response_type": "code",
        "scope": MAIL_SCOPE,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
        "access_type": "offline",  # a refresh token, please
        "prompt": "consent",  # ... even if consent was given before
        "login_hint": user,
    }
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
    thread.daemon = True
    thread.start()
    try:
        show(f"{client.auth_uri}?{urlencode(params)}")
        if not answer.arrived.wait(timeout_seconds):
            raise TokenError(f"no answer from the browser within {int(timeout_seconds)} s")
    finally:
        server.shutdown()
        server.server_close()
    query = answer.query
    if query.get("state") != state:
        raise TokenError("the browser came back with another sign-in's state; start again")
    if "error" in query:
        raise TokenError(f"Google said {query['error']!r}: the consent was not given")
    code = Secret(query.get("code", ""))
    refresh = _exchange(client, code, verifier, redirect, session)
    save(token_path, user, client.client_id, refresh)


def _exchange(
    client: OAuthClient, code: Secret, verifier: str, redirect: str, session: requests.Session
) -> Secret:
    body = {
        "grant_type": "authorization_code",
        "code": code.reveal(),
        "code_verifier": verifier,
        "redirect_uri": redirect,
        "client_id": client.client_id,
        "client_secret": client.client_secret.reveal(),
    }
    try:
        response = session.post(client.token_uri, data=body)
    except requests.RequestException as exc:
        raise TokenServiceError(f"Google's token endpoint is unreachable ({exc})") from exc
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code != 200 or not isinstance(data, dict):
        error = data.get("error", response.status_code) if isinstance(data, dict) else ""
        raise TokenError(f"Google refused the sign-in code ({scrub(str(error))})")
    granted = str(data.get("scope", MAIL_SCOPE)).split()
    if MAIL_SCOPE not in granted:
        raise TokenError(
            "the consent did not include Gmail access (tick the box for "
            "'Read, compose, send and permanently delete all your email'); start again"
        )
    if data.get("access_token"):
        Secret(str(data["access_token"]))  # registered for scrubbing
    if not data.get("refresh_token"):
        raise TokenError(
            "Google gave no refresh token; remove sheetdesk's access at "
            "https://myaccount.google.com/permissions and run `sheetdesk auth google` again"
        )
    return Secret(str(data["refresh_token"]))
