"""The SASL initial responses for OAuth2 bearer tokens, and which one to use.

XOAUTH2 (Google's and Microsoft's): ``user=U ^A auth=Bearer T ^A ^A``.
OAUTHBEARER (RFC 7628): a GS2 header naming the user, then the same ``auth``
field.  Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from automation.errors import AuthError

XOAUTH2 = "XOAUTH2"
OAUTHBEARER = "OAUTHBEARER"


def xoauth2(user: str, token: str) -> str:
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str, host: str = "", port: int = 0) -> str:
    """RFC 7628 section 3.1; ``=`` and ``,`` in the user are escaped as RFC 5801 says."""
    escaped = user.replace("=", "=3D").replace(",", "=2C")
    fields = [f"n,a={escaped},"]
    if host:
        fields.append(f"host={host}")
    if port:
        fields.append(f"port={port}")
    fields.append(f"auth=Bearer {token}")
    return "\x01".join(fields) + "\x01\x01"


def choose(wanted: str, offered: Iterable[str], where: str) -> str:
    """The mechanism to use: ``wanted`` ("auto", "xoauth2", "oauthbearer") among
    what the server ``offered`` (names, any case).  Auto takes XOAUTH2, which
    Gmail and Microsoft 365 both accept, and OAUTHBEARER where only that is offered."""
    names = {name.upper() for name in offered}
    order = [XOAUTH2, OAUTHBEARER] if wanted == "auto" else [wanted.upper()]
    for mechanism in order:
        if mechanism in names:
            return mechanism
    have = ", ".join(sorted(names)) or "none"
    raise AuthError(
        f"{where} does not offer {' or '.join(order)} (it offers: {have}); "
        "check the host and port, or use auth = 'password'"
    )
