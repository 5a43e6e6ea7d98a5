"""The transport-security rules shared by the IMAP and SMTP adapters.

One policy for both protocols:

* ``tls``: implicit TLS from the first byte; certificate and host name checked.
* ``starttls``: plaintext greeting, then an upgrade that must succeed.  A server
  that does not offer STARTTLS, refuses it, or fails the handshake ends the
  attempt with ``SecurityError``; there is never a fallback to plaintext.
* ``plain``: no TLS at all.  Allowed only when the config says so explicitly
  (``allow_plaintext_loopback = true``) *and* every address the host name
  resolves to is a loopback address, so a password never crosses a network
  in the clear.

Nothing here opens a connection; the adapters call these helpers before and
while connecting.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from pathlib import Path

from automation.errors import SecurityError


def client_context(ca_file: str = "", base_dir: Path | None = None) -> ssl.SSLContext:
    """A verifying client context: system CAs, plus ``ca_file`` when given.

    ``ssl.create_default_context`` already requires a valid chain and checks the
    host name; we only raise the floor to TLS 1.2 so an old server cannot
    negotiate a protocol with known breaks.
    """
    cafile: str | None = None
    if ca_file:
        path = Path(ca_file).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise SecurityError(f"CA file {path} does not exist")
        cafile = str(path)
    try:
        context = ssl.create_default_context(cafile=cafile)
    except (ssl.SSLError, OSError) as exc:
        raise SecurityError(f"CA file {cafile} could not be loaded ({exc})") from exc
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def is_loopback_host(host: str) -> bool:
    """True when every address ``host`` resolves to is a loopback address.

    A name that does not resolve is not loopback: refusing is the safe answer.
    """
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    if not infos:
        return False
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        try:
            if not ipaddress.ip_address(address).is_loopback:
                return False
        except ValueError:
            return False
    return True


def check_plaintext_allowed(protocol: str, host: str, allowed: bool) -> None:
    """Raise ``SecurityError`` unless plaintext to ``host`` is both allowed and local."""
    if not allowed:
        raise SecurityError(
            f"{protocol} security = 'plain' needs allow_plaintext_loopback = true "
            "(and a loopback host); use 'tls' or 'starttls' for a real server"
        )
    if not is_loopback_host(host):
        raise SecurityError(
            f"{protocol} security = 'plain' is only allowed to a loopback host; "
            f"{host!r} is not loopback, so use 'tls' or 'starttls'"
        )


def describe_tls_failure(protocol: str, host: str, port: int, exc: BaseException) -> SecurityError:
    """A ``SecurityError`` naming what went wrong in a TLS handshake, without secrets."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or str(exc)
        return SecurityError(
            f"{protocol} server {host}:{port} presented a certificate that could not be "
            f"verified ({reason}); set ca_file if it uses a private CA"
        )
    return SecurityError(f"{protocol} TLS handshake with {host}:{port} failed ({exc})")
