"""A small OAuth2 token service on loopback, standing in for Google and Microsoft.

It speaks the parts of both providers' protocols that sheetdesk's libraries use
(google-auth, msal, our consent flow), over TLS with the test CA, and answers
token introspection (RFC 7662) over plain HTTP for Dovecot's oauth2 passdb and
the aiosmtpd authenticator, so the mail servers accept exactly the tokens it
issued, for the right mailbox and scope, until they expire or are revoked.

Google: ``POST /token`` (jwt-bearer with a signature check against the service
account's public key and a domain-wide delegation allow-list; refresh_token;
authorization_code with PKCE S256), ``GET /auth`` (consent: redirects to the
loopback redirect URI with a code).  Microsoft (per tenant):
``/{tenant}/v2.0/.well-known/openid-configuration``, ``/{tenant}/oauth2/v2.0/
devicecode`` and ``/token`` (client_credentials by secret or certificate
assertion, device_code, refresh_token with rotation).  Introspection:
``POST /introspect/imap`` and ``/introspect/smtp`` (form ``token=``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.support.mailservers import LOOPBACK, TestPKI

GOOGLE_MAIL = "https://mail.google.com/"
MS_APP = "https://outlook.office365.com/.default"
MS_IMAP_USER = "https://outlook.office.com/IMAP.AccessAsUser.All"
MS_SMTP_USER = "https://outlook.office.com/SMTP.Send"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rsa_key() -> tuple[str, Any]:
    """(private key PEM, public key) made now: no key material in the repository."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return pem, key.public_key()


def self_signed(common_name: str) -> tuple[str, str, x509.Certificate]:
    """(key PEM, certificate PEM, certificate) for an app registration's certificate."""
    import datetime as dt

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode(), cert


@dataclass
class Issued:
    """An access token: who it is for, what it allows, until when."""

    user: str
    scopes: frozenset[str]
    expires: float
    grant: str
    revoked: bool = False


@dataclass
class Grant:
    """A refresh token (Google consent or a Microsoft delegated sign-in)."""

    user: str
    scopes: frozenset[str]
    client_id: str
    revoked: bool = False


@dataclass
class MsApp:
    client_id: str
    secret: str = ""
    secret_expired: bool = False
    certificate: x509.Certificate | None = None
    roles: frozenset[str] = frozenset({"IMAP.AccessAsApp", "SMTP.SendAsApp"})
    mailbox: str = ""  # the Exchange service-principal step: the mailbox it may open


@dataclass
class State:
    lifetime: float = 3600.0
    tokens: dict[str, Issued] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    service_accounts: dict[str, tuple[Any, frozenset[str]]] = field(default_factory=dict)
    google_clients: dict[str, str] = field(default_factory=dict)
    consent_user: str = ""
    consent_scope: str = GOOGLE_MAIL
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    ms_apps: dict[str, MsApp] = field(default_factory=dict)
    device_user: str = ""
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)  # (what, user)
    fail_5xx: int = 0  # answer this many token requests with 503


class TokenService:
    """Start with ``TokenService(pki).start()``; tests configure ``state``."""

    def __init__(self, pki: TestPKI) -> None:
        self.state = State()
        self.ca_file = pki.ca_file  # what clients must trust to reach it
        self.lock = threading.Lock()
        handler = _handler(self)
        self._https = ThreadingHTTPServer((LOOPBACK, 0), handler)
        context = pki.server_context()
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = ThreadingHTTPServer((LOOPBACK, 0), handler)
        self.base = f"https://{LOOPBACK}:{self._https.server_address[1]}"
        self.introspect_base = f"http://{LOOPBACK}:{self._http.server_address[1]}/introspect"

    def start(self) -> TokenService:
        for server in (self._https, self._http):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self._https, self._http):
            server.shutdown()
            server.server_close()

    # --- what a test does -------------------------------------------------

    def add_service_account(self, email: str, public_key: Any, delegated: set[str]) -> None:
        self.state.service_accounts[email] = (public_key, frozenset(delegated))

    def add_google_client(self, client_id: str, secret: str) -> None:
        self.state.google_clients[client_id] = secret

    def add_ms_app(self, app: MsApp) -> None:
        self.state.ms_apps[app.client_id] = app

    def revoke(self, user: str) -> None:
        """The user (or an admin) revokes access: refresh and access tokens die."""
        with self.lock:
            for grant in self.state.grants.values():
                if grant.user == user:
                    grant.revoked = True
            for token in self.state.tokens.values():
                if token.user == user:
                    token.revoked = True

    def count(self, prefix: str) -> int:
        """Log entries starting with ``prefix``: "issue", "issue refresh_token",
        "active", "inactive"."""
        return sum(1 for what, _ in self.state.log if what.startswith(prefix))

    # --- protocol ---------------------------------------------------------

    def issue(self, user: str, scopes: frozenset[str], grant: str) -> tuple[str, int]:
        token = "tok-" + secrets.token_urlsafe(24)
        lifetime = self.state.lifetime
        with self.lock:
            self.state.tokens[token] = Issued(user, scopes, time.time() + lifetime, grant)
            self.state.log.append((f"issue {grant}", user))
        return token, int(lifetime)

    def grant(self, user: str, scopes: frozenset[str], client_id: str) -> str:
        refresh = "rt-" + secrets.token_urlsafe(24)
        with self.lock:
            self.state.grants[refresh] = Grant(user, scopes, client_id)
        return refresh

    def introspect(self, token: str, resource: str) -> dict[str, Any]:
        """RFC 7662: active only for a live token whose scope opens ``resource``."""
        issued = self.state.tokens.get(token)
        ok = (
            issued is not None
            and not issued.revoked
            and issued.expires > time.time()
            and _opens(issued.scopes, resource)
        )
        with self.lock:
            self.state.log.append(("active" if ok else "inactive", issued.user if issued else ""))
        if not ok or issued is None:
            return {"active": False}
        return {"active": True, "username": issued.user, "scope": " ".join(sorted(issued.scopes))}


def _opens(scopes: frozenset[str], resource: str) -> bool:
    if GOOGLE_MAIL in scopes or MS_APP in scopes:
        return True
    return (MS_IMAP_USER if resource == "imap" else MS_SMTP_USER) in scopes


class Refusal(Exception):
    def __init__(self, status: int, error: str, description: str = "", **extra: Any) -> None:
        super().__init__(error)
        self.status = status
        self.body = {"error": error, "error_description": description, **extra}


def _handler(service: TokenService) -> type[BaseHTTPRequestHandler]:
    from tests.support import tokenservice_routes as routes

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode()
            return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            form = self._form() if method == "POST" else {}
            try:
                status, body, headers = routes.route(service, method, parts.path, query, form)
            except Refusal as refusal:
                status, body, headers = refusal.status, refusal.body, {}
            self._reply(status, body, headers)

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

    return Handler


def verify_jwt(assertion: str, public_key: Any) -> dict[str, Any]:
    """The claims of an RS256 or PS256 JWT signed by ``public_key``, or a refusal."""
    try:
        head_b64, body_b64, sig_b64 = assertion.split(".")
        header = json.loads(_unb64url(head_b64))
        claims = json.loads(_unb64url(body_b64))
        signed = f"{head_b64}.{body_b64}".encode()
        signature = _unb64url(sig_b64)
    except ValueError as exc:
        raise Refusal(400, "invalid_grant", "Invalid JWT.") from exc
    if header.get("alg") == "RS256":
        pad: Any = padding.PKCS1v15()
    elif header.get("alg") == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise Refusal(400, "invalid_grant", f"alg {header.get('alg')} not allowed")
    try:
        public_key.verify(signature, signed, pad, hashes.SHA256())
    except Exception as exc:
        raise Refusal(400, "invalid_grant", "Invalid JWT Signature.") from exc
    if float(claims.get("exp", 0)) < time.time():
        raise Refusal(400, "invalid_grant", "JWT has expired.")
    claims["_header"] = header
    return dict(claims)


def pkce_ok(verifier: str, challenge: str) -> bool:
    return b64url(hashlib.sha256(verifier.encode()).digest()) == challenge


def redirect_with(uri: str, **params: str) -> str:
    return f"{uri}{'&' if '?' in uri else '?'}{urlencode(params)}"


def ssl_context_for(pki: TestPKI) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(pki.ca_file))
