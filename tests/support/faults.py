"""The fault harness's world: real servers that outlive the sheetdesk processes.

``World`` holds a Dovecot mailbox, an aiosmtpd server (with AUTH, so there is
an SMTP password to leak) and the Sheets stand-in served on loopback, all in
this process; ``World.cli`` / ``World.spawn`` run the real ``sheetdesk``
command as a child process, and every line a child writes is kept under
``World.logs`` for the secret scan.  ``World.tally()`` (``faults_tally``)
counts the outcome.  Used by ``tests/test_faults_*.py`` (reduced size) and by
``scripts/fault_harness.py`` (full size).
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support import mailservers, shared_data
from tests.support.standin import SheetsStandIn

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))

import gen_backlog  # noqa: E402 - scripts/ is on the path only from here on
from harness_faults import Armed, ByteProxy, KillPoint, kill_points  # noqa: E402, F401
from harness_tally import Tally, formula_cells, rows_of, sheet_text, tally  # noqa: E402, F401

CORPUS = shared_data.CORPUS
IMAP_ENV, SMTP_ENV = "SD_FAULT_IMAP_PASSWORD", "SD_FAULT_SMTP_PASSWORD"
SMTP_USER = "sheetdesk-bot"
SMTP_PASSWORD = "smtp-S3cret-" + "f4u1t"  # the configured SMTP secret the logs are scanned for
SECRETS = (mailservers.CATCH_ALL_PASSWORD, SMTP_PASSWORD)

CONFIG = """
[inbox]
kind = "imap"
[inbox.imap]
host = "127.0.0.1"
port = {imap_port}
security = "plain"
allow_plaintext_loopback = true
username = "{user}"
password_env = "{imap_env}"
processed_folder = "sheetdesk/processed"
fetch_chunk = {fetch_chunk}
timeout_seconds = 10.0

[outbox]
kind = "smtp"
[outbox.smtp]
host = "{smtp_host}"
port = {smtp_port}
security = "plain"
allow_plaintext_loopback = true
username = "{smtp_user}"
password_env = "{smtp_env}"
timeout_seconds = 10.0

[store]
kind = "sheets"
[store.sheets]
spreadsheet = "{sheet}"
api_root = "{api_root}"
retry_deadline_seconds = 20.0
retry_cap_seconds = 1.0

[business]
name = "Acme Lamps"
support_address = "help@acme.example"
own_domains = ["acme.example"]

[poll]
interval_seconds = {interval}
state_dir = "{state_dir}"
max_messages_per_cycle = {max_messages}
ack_limit_per_sender = {ack_limit}
max_message_bytes = {max_bytes}
"""


@dataclass
class Run:
    """One finished sheetdesk process."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    max_rss_kb: int
    killed: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class World:
    root: Path
    user: mailservers.MailUser
    smtp: mailservers.SmtpServer
    api: SheetsStandIn
    sid: str
    url: str
    imap_port: int = 0  # 0: Dovecot's own port; else a proxy in front of it
    proxy: ByteProxy | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # product Message-ID -> label

    @property
    def config(self) -> Path:
        return self.root / "sheetdesk.toml"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    def configure(self, **settings: Any) -> Path:
        """(Re)write the config; ``settings`` override the defaults below."""
        self.settings.update(settings)
        values = {
            "imap_port": self.imap_port or self.user.server.port,
            "user": self.user.name,
            "imap_env": IMAP_ENV,
            "fetch_chunk": 25,
            "smtp_host": "127.0.0.1",
            "smtp_port": self.smtp.port,
            "smtp_user": SMTP_USER,
            "smtp_env": SMTP_ENV,
            "sheet": self.sid,
            "api_root": self.url,
            "state_dir": str(self.state_dir),
            "max_messages": 500,
            "ack_limit": 3,
            "max_bytes": 26_214_400,
            "interval": 120,
            **self.settings,
        }
        self.config.write_text(CONFIG.format(**values))
        return self.config

    def env(self) -> dict[str, str]:
        return dict(
            os.environ, **{IMAP_ENV: mailservers.CATCH_ALL_PASSWORD, SMTP_ENV: SMTP_PASSWORD}
        )

    def spawn(self, *args: str, config: Path | None = None) -> subprocess.Popen[bytes]:
        """Start ``sheetdesk ARGS --config ...``; output goes to files in ``logs``."""
        self.logs.mkdir(parents=True, exist_ok=True)
        n = len(list(self.logs.glob("*.out")))
        out = open(self.logs / f"{n:03d}.out", "wb")
        err = open(self.logs / f"{n:03d}.err", "wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "automation.cli", *args, "--config", str(config or self.config)],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=self.env(),
            cwd=REPO,
        )
        proc.sheetdesk_files = (out, err, args)  # type: ignore[attr-defined]
        return proc

    def wait(
        self, proc: subprocess.Popen[bytes], timeout: float = 300.0, armed: Armed | None = None
    ) -> Run:
        """Reap ``proc`` with its resource usage (peak RSS); SIGKILL it when
        ``armed`` fires, or as a safety net after ``timeout``."""
        end = time.monotonic() + timeout
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if armed is not None and armed.due():
                killed = True
            if time.monotonic() > end:
                proc.kill()
                killed = True
            time.sleep(0.01)
        if armed is not None:
            armed.disarm()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out, err, args = proc.sheetdesk_files  # type: ignore[attr-defined]
        out.close()
        err.close()
        run = Run(
            tuple(args),
            proc.returncode,
            Path(out.name).read_text(errors="replace"),
            Path(err.name).read_text(errors="replace"),
            int(usage.ru_maxrss),
            killed or proc.returncode == -9,
        )
        self.runs.append(run)
        return run

    def cli(self, *args: str, timeout: float = 300.0, config: Path | None = None) -> Run:
        return self.wait(self.spawn(*args, config=config), timeout)

    def run_until_killed(self, point: KillPoint) -> Run:
        """``sheetdesk run`` (back-to-back cycles) until ``point`` kills it."""
        proc = self.spawn("run", "--interval", "1")
        return self.wait(
            proc,
            timeout=600.0,
            armed=Armed(point, proc.pid, self.api, self.proxy, self.smtp.messages),
        )

    def poll(self) -> Run:
        return self.cli("poll", "--once")

    def drain(self, max_cycles: int = 8) -> list[Run]:
        """``poll --once`` until a cycle has nothing left to do (or ``max_cycles``)."""
        done = []
        for _ in range(max_cycles):
            run = self.poll()
            done.append(run)
            if run.code in (0, 4) and " fetched" not in run.stdout and "held" not in run.stdout:
                break
        return done

    # ------------------------------------------------------------ the mail ---
    def load(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """Append (label, raw) messages to INBOX and remember what went in.

        A message without a Message-ID gets a synthetic one hashed from the bytes
        the IMAP server hands out, which are not always the bytes appended (the
        server normalises line ends and, for a few corpus files, more), so the
        expected ids are computed from the messages as fetched back.
        """
        from automation.mail.reader import parse_message

        with self.user.connect() as client:
            client.select_folder("INBOX", readonly=True)
            before = set(client.search("ALL"))
        for start in range(0, len(messages), 200):
            self.user.append([raw for _, raw in messages[start : start + 200]])
        with self.user.connect() as client:
            client.select_folder("INBOX", readonly=True)
            new = sorted(set(client.search("ALL")) - before)
            served = client.fetch(new, ["BODY.PEEK[]"]) if new else {}
        limit = int(self.settings.get("max_bytes", 26_214_400))
        for (label, _), uid in zip(messages, new, strict=True):
            try:
                found = parse_message(served[uid][b"BODY[]"], label, max_bytes=limit)
                self.inputs[found.message_id.lower()] = label
            except Exception:  # unparseable on purpose: accounted for by the Quarantine tab
                raw = served[uid][b"BODY[]"]
                head = raw[: raw.find(b"\r\n\r\n") + 4] if b"\r\n\r\n" in raw else b""
                try:  # an oversized message is quarantined by its header, with its id
                    found = parse_message(head, label, max_bytes=limit)
                    if len(raw) > limit and not found.synthetic_id:
                        self.inputs[found.message_id.lower()] = label
                        continue
                except Exception:
                    pass
                self.inputs[f"raw:{label}"] = label

    def leaks(self) -> list[str]:
        """Where a configured password shows up: any log line, the sheet, any output."""
        places = [(p.name, p.read_text(errors="replace")) for p in sorted(self.logs.glob("*"))]
        places.append(("the sheet", sheet_text(self.api, self.sid)))
        return [
            f"{secret[:3]}... in {name}"
            for name, text in places
            for secret in SECRETS
            if secret in text
        ]

    def tab(self, title: str) -> list[dict[str, str]]:
        return rows_of(self.api.grid(self.sid, title)) if self._has(title) else []

    def _has(self, title: str) -> bool:
        return self.api.book(self.sid).sheet_by_title(title) is not None

    def tally(self) -> Tally:
        return tally(self.api, self.sid, self.user, self.smtp.messages, self.inputs)


def backlog(count: int, seed: int = 6) -> list[tuple[str, bytes]]:
    """``scripts/gen_backlog.py``'s messages, as (label, raw)."""
    return [(f"backlog:{m.kind}:{m.message_id}", m.raw) for m in gen_backlog.generate(count, seed)]


def corpus(count: int | None, seed: int = 6) -> list[tuple[str, bytes]]:
    """Messages of the shared corpus, read in place (all, or a seeded sample).

    Without ``../shared`` (a bare clone) the scenario still runs: on as many
    generated messages (40 for "all"), from a seed of their own so their
    Message-IDs differ from the backlog's, labelled ``generated-not-corpus``."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        made = gen_backlog.generate(count if count is not None else 40, seed + 1000)
        return [(f"generated-not-corpus:{m.kind}:{m.message_id}", m.raw) for m in made]
    rows = list(csv.DictReader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    files = sorted(r["file"] for r in rows)
    if count is not None and count < len(files):
        files = sorted(random.Random(seed).sample(files, count))
    return [(f"corpus:{f}", (CORPUS / f).read_bytes()) for f in files]


@dataclass(frozen=True)
class Figure:
    """One scenario's result, next to django-helpdesk 2.6.1's (docs/peers.md)."""

    scenario: str
    theirs: str
    ours: str


@contextmanager
def world(
    root: Path,
    user: mailservers.MailUser,
    *,
    proxy: bool = False,
    cut_after: Sequence[int | None] = (),
    **settings: Any,
) -> Iterator[World]:
    """SMTP (with AUTH) and a served stand-in around ``user``'s mailbox; ``init`` done.

    ``proxy`` puts a ``ByteProxy`` between sheetdesk and Dovecot (``World.proxy``)."""
    with ExitStack() as stack:
        smtp = mailservers.SmtpServer(auth=(SMTP_USER, SMTP_PASSWORD)).start()
        stack.callback(smtp.stop)
        api = SheetsStandIn(strict=True)
        sid = api.create_spreadsheet(title="Support queue", sheets=("Sheet1",))
        url = stack.enter_context(api.serve())
        w = World(root, user, smtp, api, sid, url)
        if proxy or cut_after:
            w.proxy = ByteProxy(user.server.port, cut_after)
            stack.callback(w.proxy.close)
            w.imap_port = w.proxy.port
        w.configure(**settings)
        init = w.cli("init")
        if init.code != 0:
            raise RuntimeError(f"sheetdesk init failed: {init.output}")
        yield w
