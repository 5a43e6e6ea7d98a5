"""Real mail servers on loopback for the adapter tests: no mocks.

* ``TestPKI``: a throwaway CA and a server certificate (SAN localhost,
  127.0.0.1) made with the ``openssl`` CLI once per session.
* ``Dovecot``: a private Dovecot instance from a config written here, for
  Debian 12's Dovecot 2.3 and Debian 13's 2.4 (different syntax), with a
  plaintext loopback listener and an implicit-TLS one.
* ``SmtpServer``: aiosmtpd in a thread, capturing mail, with failures that a
  test switches on (421 on MAIL, 451 on DATA, 550 per recipient), optional
  STARTTLS / implicit TLS / AUTH, and a stop/start to play "server down".
* ``ScriptedServer``: a line-based TCP stub that greets like IMAP or SMTP and
  answers from a script, for servers that misbehave (no STARTTLS offered).
* ``CuttingProxy``: a TCP relay a test can cut, to drop a connection mid-fetch.

The measured gotchas these follow are in /work/shared/docs/mail-servers.md.
"""

from __future__ import annotations

import asyncio
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from imapclient import IMAPClient

LOOPBACK = "127.0.0.1"
CATCH_ALL_PASSWORD = "test-imap-secret"  # any user name logs in with this (static passdb)


def free_port() -> int:
    """A port the kernel says is free now (aiosmtpd's ``port=0`` cannot be used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, deadline_s: float = 10.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() not in (None, 0):
            raise RuntimeError(f"server exited with {proc.returncode} before listening")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listening on {LOOPBACK}:{port} after {deadline_s}s")


def make_private_dir(prefix: str) -> Path:
    """A fresh directory under /tmp that Dovecot's unprivileged users can enter.

    pytest's ``tmp_path`` has 0700 parents, which makes Dovecot's auth process
    fail with "missing +x perm"; mkdtemp under /tmp has only /tmp (1777) above it.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


# --------------------------------------------------------------------- TLS ---


@dataclass(frozen=True)
class TestPKI:
    """A CA file for clients, and a certificate + key for the servers."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def create(cls, directory: Path) -> TestPKI:
        """Make a CA and a server certificate signed by it (EC P-256: fast to make).

        A separate CA (CA:TRUE) instead of one self-signed leaf keeps newer
        OpenSSL/Python strict chain checks happy.
        """
        directory.mkdir(parents=True, exist_ok=True)
        ca_key, ca = directory / "ca.key", directory / "ca.pem"
        key, csr, cert = (
            directory / "server.key",
            directory / "server.csr",
            directory / "server.pem",
        )
        ext = directory / "server.ext"
        ext.write_text(
            "basicConstraints = critical, CA:FALSE\n"
            "keyUsage = critical, digitalSignature\n"
            "extendedKeyUsage = serverAuth\n"
            "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
            "subjectKeyIdentifier = hash\n"
            "authorityKeyIdentifier = keyid\n"
        )
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        _openssl(
            [
                "req",
                "-x509",
                *ec,
                "-keyout",
                ca_key,
                "-out",
                ca,
                "-days",
                "2",
                "-subj",
                "/CN=sheetdesk test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )
        _openssl(["req", "-new", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=localhost"])
        _openssl(
            [
                "x509",
                "-req",
                "-in",
                csr,
                "-CA",
                ca,
                "-CAkey",
                ca_key,
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                cert,
                "-extfile",
                ext,
            ]
        )
        key.chmod(0o644)  # Dovecot's config process reads it; it is a throwaway test key
        return cls(ca_file=ca, cert_file=cert, key_file=key)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _openssl(args: list[Any]) -> None:
    if shutil.which("openssl") is None:
        raise RuntimeError("the openssl CLI is needed to make test certificates")
    subprocess.run(
        ["openssl", *map(str, args)],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


# ----------------------------------------------------------------- Dovecot ---


def ensure_dovecot() -> str:
    """Path of the ``dovecot`` binary, installing Debian's package when root.

    ``SHEETDESK_TEST_DOVECOT`` names another binary or wrapper to test against
    (e.g. a 2.4 build on a 2.3 machine); ``SHEETDESK_TEST_DOVEADM`` its doveadm.
    """
    override = os.environ.get("SHEETDESK_TEST_DOVECOT")
    if override:
        return override
    found = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        raise RuntimeError(
            "Dovecot is not installed and the tests are not running as root; "
            "install it with: apt-get install -y --no-install-recommends dovecot-imapd"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "--no-install-recommends", "dovecot-imapd"]
    if subprocess.run(install, env=env, stdin=subprocess.DEVNULL, capture_output=True).returncode:
        subprocess.run(
            ["apt-get", "update"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=True,
        )
        subprocess.run(install, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=True)
    found = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(found).exists():
        raise RuntimeError("apt-get installed dovecot-imapd but no dovecot binary was found")
    return found


def dovecot_version(binary: str) -> tuple[int, int]:
    out = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL
    ).stdout
    match = re.match(r"\s*(\d+)\.(\d+)", out)
    if not match:
        raise RuntimeError(f"cannot parse dovecot --version output {out!r}")
    return int(match.group(1)), int(match.group(2))


# Advertised instead of Dovecot's defaults by the "no MOVE" variant: a server
# that can't move, so the adapter must fall back to a keyword.
CAPABILITIES_WITHOUT_MOVE = (
    "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS NAMESPACE CHILDREN "
    "UNSELECT MULTIAPPEND ESEARCH SPECIAL-USE LIST-EXTENDED"
)


@dataclass
class _Layout:
    root: Path
    port: int
    tls_port: int
    pki: TestPKI
    uid: int
    gid: int
    user: str
    group: str
    capability: str
    oauth2_url: str = ""  # token introspection: XOAUTH2/OAUTHBEARER on, oauth2 passdb


def _special_mailboxes() -> str:
    # Both versions take this syntax; the folder names match what clients expect.
    lines = []
    for name in ("Sent", "Drafts", "Trash", "Junk"):
        lines += [
            f"  mailbox {name} {{",
            f"    special_use = \\{name}",
            "    auto = subscribe",
            "  }",
        ]
    return "\n".join(lines)


def _common_tail(lay: _Layout, rootless: bool) -> str:
    # The anvil penalty made every login after a bad one take ~4 s; mode 0 turns it off.
    text = (
        "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n"
        + ("  chroot =\n" if rootless else "")
        + "}\n"
        "service imap-login {\n"
        f"  inet_listener imap {{\n    port = {lay.port}\n  }}\n"
        f"  inet_listener imaps {{\n    port = {lay.tls_port}\n    ssl = yes\n  }}\n"
        + ("  chroot =\n" if rootless else "")
        + "}\n"
    )
    if rootless:
        text += (
            f"default_internal_user = {lay.user}\ndefault_login_user = {lay.user}\n"
            f"default_internal_group = {lay.group}\n"
        )
    if lay.capability:
        text += f"imap_capability = {lay.capability}\n"
    return text


def _oauth2_passdb_23(lay: _Layout) -> str:
    """Dovecot 2.3: an oauth2 passdb (settings in a ``.ext`` file) asking our
    token service whether a token is live, for whom (``username``) and with
    which scope; the static passdb before it refuses tokens and falls through."""
    if not lay.oauth2_url:
        return ""
    ext = lay.root / "oauth2.conf.ext"
    ext.write_text(
        f"introspection_url = {lay.oauth2_url}/imap\n"
        "introspection_mode = post\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n"
        "force_introspection = yes\n"
        "timeout_msecs = 5000\n"
    )
    return f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {ext}\n}}\n"


def _oauth2_passdb_24(lay: _Layout) -> str:
    """Dovecot 2.4: the OAuth2 mechanisms no longer go through a passdb; the
    ``oauth2_*`` settings say where to introspect.  Written from the 2.4
    documentation: only 2.3 (Debian 12) was at hand to run it."""
    if not lay.oauth2_url:
        return ""
    return (
        f"oauth2_introspection_url = {lay.oauth2_url}/imap\n"
        "oauth2_introspection_mode = post\n"
        "oauth2_username_attribute = username\n"
        "oauth2_active_attribute = active\n"
        "oauth2_active_value = true\n"
        "oauth2_force_introspection = yes\n"
    )


def _mechanisms(lay: _Layout) -> str:
    return "plain login xoauth2 oauthbearer" if lay.oauth2_url else "plain login"


def dovecot_config_23(lay: _Layout, rootless: bool) -> str:
    """Dovecot 2.3 syntax (Debian 12)."""
    r = lay.root
    return f"""\
protocols = imap
listen = {LOOPBACK}
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
ssl = yes
ssl_cert = <{lay.pki.cert_file}
ssl_key = <{lay.pki.key_file}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = {_mechanisms(lay)}
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = /
{_special_mailboxes()}
}}
passdb {{
  driver = static
  args = password={{PLAIN}}{CATCH_ALL_PASSWORD}
}}
{_oauth2_passdb_23(lay)}userdb {{
  driver = static
  args = uid={lay.uid} gid={lay.gid} home={r}/home/%u
}}
""" + _common_tail(lay, rootless)


def dovecot_config_24(lay: _Layout, rootless: bool) -> str:
    """Dovecot 2.4 syntax (Debian 13): version pins first, renamed settings,
    named passdb blocks, ``%{user}`` variables, no ``mail_location``.

    The ``2.4.0`` pins keep 2.4.0's defaults on any later 2.4.x.
    """
    r = lay.root
    return f"""\
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
protocols = imap
listen = {LOOPBACK}
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
ssl = yes
ssl_server_cert_file = {lay.pki.cert_file}
ssl_server_key_file = {lay.pki.key_file}
ssl_min_protocol = TLSv1.2
auth_allow_cleartext = yes
auth_mechanisms = {_mechanisms(lay)}
auth_failure_delay = 0
mail_driver = maildir
mail_path = ~/Maildir
mail_home = {r}/home/%{{user}}
mail_uid = {lay.uid}
mail_gid = {lay.gid}
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = /
{_special_mailboxes()}
}}
passdb static {{
  password = {{PLAIN}}{CATCH_ALL_PASSWORD}
}}
{_oauth2_passdb_24(lay)}""" + _common_tail(lay, rootless)


@dataclass
class MailUser:
    """A per-test mailbox: a fresh user name logs in to an empty Maildir."""

    name: str
    password: str
    server: Dovecot

    def connect(self, tls: bool = False) -> IMAPClient:
        """A logged-in imapclient connection (for the test's own setup and checks)."""
        if tls:
            ctx = ssl.create_default_context(cafile=str(self.server.pki.ca_file))
            client = IMAPClient(
                LOOPBACK, self.server.tls_port, ssl=True, ssl_context=ctx, timeout=10
            )
        else:
            client = IMAPClient(LOOPBACK, self.server.port, ssl=False, timeout=10)
        client.login(self.name, self.password)
        return client

    def append(
        self, messages: Iterable[bytes], folder: str = "INBOX", flags: Iterable[bytes | str] = ()
    ) -> None:
        """Put ``messages`` into ``folder`` in one MULTIAPPEND (fast even for 1000)."""
        flag_list = list(flags)
        items = [{"msg": m, "flags": flag_list} if flag_list else {"msg": m} for m in messages]
        if not items:
            return
        with self.connect() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.multiappend(folder, items)

    def flags(self, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        """UID -> flags of every message in ``folder``, read without touching them."""
        with self.connect() as client:
            client.select_folder(folder, readonly=True)
            data = client.fetch(client.search("ALL"), ["FLAGS"])
            return {uid: tuple(item[b"FLAGS"]) for uid, item in data.items()}

    def count(self, folder: str) -> int:
        with self.connect() as client:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])


class Dovecot:
    """A private Dovecot on loopback, started from a config written here.

    ``capability`` (an IMAP capability string) replaces what Dovecot
    advertises, e.g. ``CAPABILITIES_WITHOUT_MOVE``.  As root the mail
    processes run as ``nobody`` (Dovecot refuses UID 0 for mail); otherwise
    everything runs as the caller ("rootless").
    """

    def __init__(self, pki: TestPKI, capability: str = "", oauth2_url: str = "") -> None:
        self.oauth2_url = oauth2_url
        self.binary = ensure_dovecot()
        self.version = dovecot_version(self.binary)
        self.pki = pki
        self.capability = capability
        self.root = make_private_dir("sheetdesk-dovecot-")
        self.port = free_port()
        self.tls_port = free_port()
        self.config_path = self.root / "dovecot.conf"
        self.startup_seconds = 0.0
        self._counter = 0

    def start(self) -> Dovecot:
        started = time.monotonic()
        rootless = os.geteuid() != 0
        account = pwd.getpwuid(os.geteuid()) if rootless else pwd.getpwnam("nobody")
        group = grp.getgrgid(account.pw_gid).gr_name
        lay = _Layout(
            self.root,
            self.port,
            self.tls_port,
            self.pki,
            account.pw_uid,
            account.pw_gid,
            account.pw_name,
            group,
            self.capability,
            self.oauth2_url,
        )
        for sub in ("run", "state"):
            (self.root / sub).mkdir(mode=0o755, exist_ok=True)
        home = self.root / "home"
        home.mkdir(mode=0o755, exist_ok=True)
        os.chown(home, account.pw_uid, account.pw_gid)  # homes are made by the mail user
        writer = dovecot_config_24 if self.version >= (2, 4) else dovecot_config_23
        self.config_path.write_text(writer(lay, rootless))
        # Dovecot's children inherit stdio; pipes would keep the caller waiting forever.
        with open(self.root / "dovecot.stdio", "ab") as stdio:
            result = subprocess.run(
                [self.binary, "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=stdio,
                stderr=stdio,
            )
        if result.returncode != 0:
            raise RuntimeError(f"dovecot {self.version} failed to start:\n{self.diagnostics()}")
        try:
            wait_for_port(self.port)
            wait_for_port(self.tls_port)
        except RuntimeError as exc:
            report = self.diagnostics()
            self.stop()  # don't leave a half-started master behind
            raise RuntimeError(f"{exc}\n{report}") from exc
        self.startup_seconds = time.monotonic() - started
        return self

    def diagnostics(self) -> str:
        parts = []
        for name in ("dovecot.stdio", "dovecot.log"):
            path = self.root / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def master_pid(self) -> int | None:
        pid_file = self.root / "run" / "master.pid"
        try:
            return int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, wait: bool = True) -> None:
        """SIGTERM the master and (optionally) wait until it and its children are gone."""
        pid = self.master_pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if wait:
            self.wait_stopped(pid)

    def wait_stopped(self, pid: int, deadline_s: float = 15.0) -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def new_user(self, prefix: str = "t") -> MailUser:
        self._counter += 1
        name = f"{prefix}{self._counter}x{uuid.uuid4().hex[:8]}"
        return MailUser(name=name, password=CATCH_ALL_PASSWORD, server=self)

    def doveadm(self, *args: str) -> str:
        env_doveadm = os.environ.get("SHEETDESK_TEST_DOVEADM")
        doveadm = env_doveadm or shutil.which("doveadm") or "/usr/bin/doveadm"
        result = subprocess.run(
            [doveadm, "-c", str(self.config_path), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout


def stop_all(servers: Iterable[Dovecot]) -> None:
    """Stop several instances at once: each master idles ~2 s after SIGTERM,
    so signalling all first and then waiting costs that once, not per server."""
    servers = list(servers)
    running: list[tuple[Dovecot, int]] = []
    for server in servers:
        pid = server.master_pid()
        if pid is not None:
            server.stop(wait=False)
            running.append((server, pid))
    for server, pid in running:
        server.wait_stopped(pid)
    for server in servers:
        server.cleanup()  # also for one that never started


# -------------------------------------------------------------------- SMTP ---


@dataclass(frozen=True)
class Captured:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage


@dataclass
class Faults:
    """Failures a test switches on; each counter is consumed as it fires."""

    mail_421: int = 0  # answer MAIL with 421 and close the connection, this many times
    data_451: int = 0  # answer DATA with 451, this many times
    reject_rcpt: set[str] = field(default_factory=set)  # 550 for these addresses


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_EHLO(
        self, smtp: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname  # with this hook, aiosmtpd leaves that to us
        if self.server.pipelining:  # aiosmtpd reads commands in order either way
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(
        self, smtp: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        faults = self.server.faults
        # Were RCPT/DATA already waiting when MAIL was handled? (the client pipelined)
        waiting = bytes(getattr(smtp._reader, "_buffer", b""))
        self.server.pipelined_mail.append(b"RCPT TO" in waiting.upper())
        if faults.mail_421 > 0:
            faults.mail_421 -= 1
            # Returning 421 does not close the connection by itself in aiosmtpd.
            asyncio.get_running_loop().call_soon(smtp.transport.close)
            return "421 4.3.2 Service shutting down, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, smtp: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.server.faults.reject_rcpt:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        faults = self.server.faults
        if faults.data_451 > 0:
            faults.data_451 -= 1
            return "451 4.3.0 Temporary local problem, try later"
        data = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.server.messages.append(
            Captured(envelope.mail_from, tuple(envelope.rcpt_tos), data, parsed)
        )
        return "250 2.0.0 Message accepted"


class _OAuthHandler(_Handler):
    """``_Handler`` plus the XOAUTH2 and OAUTHBEARER mechanisms, each checking the
    bearer token with the token service's introspection (over HTTP, as Dovecot
    does) and that it belongs to the user named in the SASL message."""

    def __init__(self, server: SmtpServer, introspect_url: str) -> None:
        super().__init__(server)
        self.introspect_url = introspect_url

    async def auth_XOAUTH2(self, smtp: Any, args: list[str]) -> Any:
        return await self._bearer(smtp, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, smtp: Any, args: list[str]) -> Any:
        return await self._bearer(smtp, args, "OAUTHBEARER")

    async def _bearer(self, smtp: Any, args: list[str], mechanism: str) -> Any:
        import base64
        import json
        import urllib.parse
        import urllib.request

        from aiosmtpd.smtp import AuthResult

        raw = base64.b64decode(args[1]) if len(args) > 1 else await smtp.challenge_auth("")
        fields = dict(part.split("=", 1) for part in raw.decode().split("\x01") if "=" in part)
        user = fields.get("user", "")
        if mechanism == "OAUTHBEARER":  # "n,a=user," GS2 header, RFC 5801 escapes
            gs2 = raw.decode().split("\x01", 1)[0]
            user = gs2.split(",")[1][2:].replace("=2C", ",").replace("=3D", "=")
        token = fields.get("auth", "").removeprefix("Bearer ")
        body = urllib.parse.urlencode({"token": token}).encode()
        with urllib.request.urlopen(f"{self.introspect_url}/smtp", body, timeout=5) as reply:
            answer = json.loads(reply.read())
        self.server.auth_attempts.append(f"{mechanism} {user}")
        if answer.get("active") and answer.get("username") == user:
            return AuthResult(success=True, auth_data=user)
        # As Gmail does: a 334 with the error in JSON, the client's empty line, then 535.
        error = {"status": "401", "schemes": "Bearer", "scope": "https://mail.google.com/"}
        await smtp.challenge_auth(json.dumps(error))
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Username and token not accepted"
        )


class SmtpServer:
    """aiosmtpd on a free loopback port, in a thread.

    ``mode``: ``"plain"``, ``"starttls"`` (offers STARTTLS; requires it before
    MAIL when ``require_tls``) or ``"tls"`` (implicit TLS).  ``auth`` =
    (user, password) turns on required AUTH.  ``connections`` counts client
    connections seen by the server (the controller's own start-up probe excluded).
    """

    def __init__(
        self,
        pki: TestPKI | None = None,
        mode: str = "plain",
        auth: tuple[str, str] | None = None,
        require_tls: bool = True,
        pipelining: bool = False,
        oauth2_url: str = "",
    ) -> None:
        self.oauth2_url = oauth2_url  # token introspection: XOAUTH2/OAUTHBEARER required
        self.pki = pki
        self.pipelining = pipelining  # offer PIPELINING in the EHLO reply
        self.pipelined_mail: list[bool] = []  # per MAIL: had RCPT already arrived?
        self.mode = mode
        self.auth = auth
        self.require_tls = require_tls
        self.port = free_port()
        self.faults = Faults()
        self.messages: list[Captured] = []
        self.connections = 0
        self.auth_attempts: list[str] = []
        self._controller: Any = None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import SMTP, AuthResult

        server = self

        def authenticator(
            smtp: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
        ) -> Any:
            login = (
                auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
            )
            password = auth_data.password
            password = password.decode() if isinstance(password, bytes) else password
            server.auth_attempts.append(login)
            if server.auth and (login, password) == server.auth:
                return AuthResult(success=True, auth_data=login)
            return AuthResult(success=False, handled=False)  # handled=True would send no reply

        kwargs: dict[str, Any] = {"server_hostname": "localhost"}
        if self.mode in ("starttls", "tls"):
            assert self.pki is not None, "TLS needs the session PKI"
        if self.mode == "starttls":
            assert self.pki is not None
            kwargs.update(tls_context=self.pki.server_context(), require_starttls=self.require_tls)
        if self.auth is not None or self.oauth2_url:
            kwargs.update(
                authenticator=authenticator,
                auth_required=True,
                auth_require_tls=self.mode != "plain",
            )
        handler = _OAuthHandler(self, self.oauth2_url) if self.oauth2_url else _Handler(self)

        class CountingController(Controller):
            def factory(self) -> Any:
                # One protocol object per accepted connection (STARTTLS re-runs
                # connection_made on the same object, so count here instead).
                server.connections += 1
                return SMTP(self.handler, **self.SMTP_kwargs)

        ssl_context = self.pki.server_context() if self.mode == "tls" and self.pki else None
        self._controller = CountingController(
            handler, hostname=LOOPBACK, port=self.port, ssl_context=ssl_context, **kwargs
        )
        self._controller.start()
        self.connections = 0  # the controller's readiness probe is not a client
        return self

    def stop(self) -> None:
        """Stop listening: clients now get "connection refused" (server down)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# ---------------------------------------------------------- scripted stubs ---


NOT_TLS = "<answer the TLS handshake with garbage>"  # a ScriptedServer reply marker


class ScriptedServer:
    """A line-based TCP server that greets and answers from ``script``.

    ``script(line)`` returns the reply lines for one received line, or None to
    close the connection.  Every received line is kept in ``received`` so a
    test can assert, say, that no password was ever sent.
    """

    def __init__(self, greeting: str, script: Callable[[str], list[str] | None]) -> None:
        self.greeting = greeting
        self.script = script
        self.received: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(8)
        self.port = int(self._sock.getsockname()[1])
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rwb") as stream:
            try:
                stream.write(self.greeting.encode() + b"\r\n")
                stream.flush()
                for raw in stream:
                    line = raw.decode(errors="replace").rstrip("\r\n")
                    self.received.append(line)
                    replies = self.script(line)
                    if replies is None:
                        return
                    lines = [r for r in replies if r != NOT_TLS]
                    stream.write(b"".join(r.encode() + b"\r\n" for r in lines))
                    stream.flush()
                    if NOT_TLS in replies:
                        # Wait for the client's TLS hello (not a line), answer garbage.
                        conn.recv(4096)
                        conn.sendall(b"HTTP/1.0 400 this is not TLS\r\n\r\n")
                        return
            except OSError:
                return

    def close(self) -> None:
        self._sock.close()


def imap_without_starttls(line: str) -> list[str] | None:
    """An IMAP server that never offers STARTTLS and refuses it if asked."""
    tag, _, rest = line.partition(" ")
    command = rest.split(" ", 1)[0].upper()
    if command == "CAPABILITY":
        return ["* CAPABILITY IMAP4rev1 AUTH=PLAIN", f"{tag} OK done"]
    if command == "STARTTLS":
        return [f"{tag} BAD STARTTLS not supported"]
    if command == "LOGOUT":
        return ["* BYE", f"{tag} OK bye"]
    return [f"{tag} NO not here"]


def imap_broken_starttls(line: str) -> list[str] | None:
    """Offers STARTTLS, says OK, then sends garbage instead of a TLS handshake."""
    tag, _, rest = line.partition(" ")
    command = rest.split(" ", 1)[0].upper()
    if command == "CAPABILITY":
        return ["* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", f"{tag} OK done"]
    if command == "STARTTLS":
        return [f"{tag} OK begin TLS now", NOT_TLS]
    return [f"{tag} NO not here"]


def smtp_without_starttls(line: str) -> list[str] | None:
    verb = line.split(" ", 1)[0].upper()
    if verb in ("EHLO", "HELO"):
        return ["250-stub.localhost", "250-AUTH PLAIN LOGIN", "250 8BITMIME"]
    if verb == "STARTTLS":
        return ["502 5.5.1 STARTTLS not implemented"]
    if verb == "QUIT":
        return ["221 bye"]
    return ["502 5.5.2 not here"]


def smtp_failing_starttls(line: str) -> list[str] | None:
    verb = line.split(" ", 1)[0].upper()
    if verb in ("EHLO", "HELO"):
        return ["250-stub.localhost", "250 STARTTLS"]
    if verb == "STARTTLS":
        return ["454 4.7.0 TLS not available due to temporary reason"]
    if verb == "QUIT":
        return ["221 bye"]
    return ["502 5.5.2 not here"]


class CuttingProxy:
    """A TCP relay to ``port`` on loopback that can drop connections mid-stream.

    * ``cut()`` closes both ends of every open relay at once: to the client it is
      a server that vanished mid-conversation;
    * ``cut_after`` lists, per accepted connection, a byte count (server to
      client) after which that connection is closed (``None``: leave it alone),
      so "the server vanished in the middle of a FETCH" happens at a chosen byte;
    * ``downstream``, ``connections`` and ``cuts`` count what happened (the
      fault harness's kill points use ``downstream``).
    """

    def __init__(self, port: int, cut_after: Iterable[int | None] = ()) -> None:
        self.target = port
        self.cut_after = list(cut_after)
        self.downstream = 0
        self.connections = 0
        self.cuts = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                index = self.connections
                self.connections += 1
            limit = self.cut_after[index] if index < len(self.cut_after) else None
            try:
                upstream = socket.create_connection((LOOPBACK, self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, upstream]
            pair = (client, upstream)
            threading.Thread(
                target=self._pump, args=(upstream, client, limit, True, pair), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(client, upstream, None, False, pair), daemon=True
            ).start()

    def _pump(
        self,
        src: socket.socket,
        dst: socket.socket,
        limit: int | None,
        count: bool,
        pair: tuple[socket.socket, socket.socket],
    ) -> None:
        sent = 0
        try:
            while data := src.recv(16384):
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts += 1
                    break
                dst.sendall(data)
                sent += len(data)
                if count:
                    with self._lock:
                        self.downstream += len(data)
        except OSError:
            pass
        _shut(pair)

    def cut(self) -> None:
        with self._lock:
            socks, self._open = self._open, []
        _shut(socks)

    def close(self) -> None:
        self.cut()
        self._sock.close()


def _shut(socks: Iterable[socket.socket]) -> None:
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def sample_message(
    n: int, *, sender: str = "customer@example.org", subject: str = "", message_id: str = ""
) -> bytes:
    """A small RFC 5322 message, distinct per ``n``."""
    mid = message_id or f"msg{n}.{uuid.uuid4().hex[:10]}@example.org"
    return (
        f"From: Customer {n} <{sender}>\r\n"
        f"To: support@example.com\r\n"
        f"Subject: {subject or f'Help request {n}'}\r\n"
        f"Message-ID: <{mid}>\r\n"
        f"Date: Mon, 01 Dec 2025 10:{n % 60:02d}:00 +0000\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello, this is message {n}.\r\n"
    ).encode()


def messages(count: int) -> Iterator[bytes]:
    return (sample_message(i) for i in range(1, count + 1))
