"""Side by side on one backlog: sheetdesk, django-helpdesk 2.6.1 and the I/O floor.

Uses ``/work/shared/peers`` (read its README): the django-helpdesk harness, its
Dovecot (started here on a free loopback port) and its deterministic backlog
(``bench/make_backlog.py``).  One run makes ``--pairs`` interleaved rounds; each
round runs the three sides in a rotating order on the same backlog, freshly
loaded into the mailbox, with the same SMTP sink (aiosmtpd, counting only):

* **django-helpdesk**: a fresh SQLite DB, then one ``manage.py get_email`` with
  Django's SMTP backend pointed at the sink;
* **sheetdesk**: a fresh sheet in the Sheets stand-in (served from this process)
  and a fresh state directory, then one ``sheetdesk poll --once``;
* **floor**: the peers' ``floor.py`` loop (login, chunked ``BODY.PEEK[]``,
  ``policy.default`` parse, ``get_body``) extended to send one short
  acknowledgement per new case (not an auto-reply, not a reply) over one SMTP
  connection, built and sent the plain smtplib way.

Each side is its own process; wall time is measured around it and peak RSS is
the child's ``ru_maxrss``.  Prints every run, then the medians and the median
of the per-round ratios.  Not a test: figures only.

    .venv/bin/python scripts/bench_vs_peer.py                  # 3 rounds, 1,000 messages
    .venv/bin/python scripts/bench_vs_peer.py --pairs 5 --peers-run /tmp/peers
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT.parent / "shared" / "peers"  # ../shared beside the checkout
sys.path.insert(0, str(ROOT))

SIDES = ("django-helpdesk", "sheetdesk", "floor")

CONFIG = """
[inbox]
kind = "imap"
[inbox.imap]
host = "127.0.0.1"
port = {imap_port}
security = "plain"
allow_plaintext_loopback = true
username = "ours"
password_env = "BENCH_IMAP_PASSWORD"
processed_folder = "sheetdesk/processed"

[outbox]
kind = "smtp"
[outbox.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
allow_plaintext_loopback = true

[store]
kind = "sheets"
[store.sheets]
spreadsheet = "{sheet}"
api_root = "{api_root}"

[business]
name = "Example Support"
support_address = "support@example.test"

[poll]
state_dir = "{state}"
max_messages_per_cycle = {limit}
"""


@dataclass(frozen=True)
class Run:
    wall: float
    rss_mb: float
    emails: int


# ------------------------------------------------------------------ the floor ---


def floor_with_acks(imap_port: int, smtp_port: int) -> None:
    """The peers' floor loop plus one acknowledgement per new case, one SMTP
    connection.  Runs in its own process (``--floor``)."""
    import email
    import email.policy
    import smtplib
    from email.message import EmailMessage

    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", port=imap_port, ssl=False)
    client.login("ours", "secret")
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search(["ALL"]))
    smtp = smtplib.SMTP("127.0.0.1", smtp_port, local_hostname="localhost")
    sent = 0
    for i in range(0, len(uids), 50):
        data = client.fetch(uids[i : i + 50], ["BODY.PEEK[]"])
        for uid in uids[i : i + 50]:
            msg = email.message_from_bytes(data[uid][b"BODY[]"], policy=email.policy.default)
            body = msg.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body is not None else ""
            auto = str(msg.get("Auto-Submitted", "no")).lower() != "no"
            if auto or msg.get("In-Reply-To") or not text:
                continue
            ack = EmailMessage()
            ack["From"] = "support@example.test"
            ack["To"] = str(msg.get("From", ""))
            ack["Subject"] = f"[Case #{uid}] We got your message"
            ack["In-Reply-To"] = str(msg.get("Message-ID", ""))
            ack.set_content(f"Thank you, we have your message ({len(text)} characters).\n")
            ack.add_alternative("<p>Thank you, we have your message.</p>", subtype="html")
            smtp.send_message(ack)
            sent += 1
    smtp.quit()
    client.logout()


# ---------------------------------------------------------------- the sides ---


def timed(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one child process.  The peak
    comes from ``/usr/bin/time`` (as in the peers' scripts): a child forked from
    this process would otherwise inherit its RSS in ``ru_maxrss``."""
    peak = log.with_suffix(".rss")
    with open(log, "wb") as out:
        start = time.perf_counter()
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", str(peak), *cmd]
        code = subprocess.run(
            wrapped, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        ).returncode
        wall = time.perf_counter() - start
    return wall, int(peak.read_text().split()[-1]) / 1024, code


class Bench:
    def __init__(self, peers_run: Path, backlog: Path, imap_port: int, limit: int) -> None:
        self.peers_run = peers_run
        self.backlog = backlog
        self.imap_port = imap_port
        self.limit = limit
        self.work = peers_run / "bench13"
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.sink: Any = None
        self.api: Any = None
        self.api_root = ""
        self.profile = ""  # a cProfile output file for the sheetdesk runs

    def env(self, **extra: str) -> dict[str, str]:
        return dict(
            os.environ, PEERS_RUN=str(self.peers_run), IMAP_PORT=str(self.imap_port), **extra
        )

    def load(self, user: str) -> None:
        script = self.peers_run / "bench" / "load_backlog.py"
        cmd = ["python3", str(script), str(self.backlog), user, "--purge"]
        subprocess.run(cmd, env=self.env(), check=True, capture_output=True)

    def run(self, side: str, tag: str) -> Run:
        before = self.sink.count
        wall, rss, code = getattr(self, "_" + side.replace("-", "_"))(tag)
        if code not in (0, 4):  # 4: sheetdesk finished but quarantined something
            raise SystemExit(f"{side} {tag} exited {code}; see {self.work}/{tag}.log")
        return Run(wall, rss, self.sink.count - before)

    def _django_helpdesk(self, tag: str) -> tuple[float, float, int]:
        py = str(self.peers_run / "venv" / "bin" / "python")
        env = self.env(
            DH_DB=str(self.work / f"{tag}.sqlite3"),
            DH_OUTBOX=str(self.work / f"{tag}-outbox"),
            DH_MEDIA=str(self.work / f"{tag}-media"),
            IMAP_USER="helpdesk",
            DH_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            DH_SMTP_PORT=str(self.sink.port),
        )
        setup = [py, str(self.peers_run / "bench" / "dh_setup_queue.py")]
        subprocess.run(setup, env=env, check=True, capture_output=True)
        self.load("helpdesk")
        cmd = [py, "manage.py", "get_email", "--quiet"]
        return timed(cmd, env, self.peers_run / "dhproj", self.work / f"{tag}.log")

    def _sheetdesk(self, tag: str) -> tuple[float, float, int]:
        from automation import config as config_mod
        from automation.wiring import init_tabs

        state = self.work / f"{tag}-state"
        sheet = self.api.create_spreadsheet(title=tag, sheets=("Sheet1",))
        cfg_path = self.work / f"{tag}.toml"
        cfg_path.write_text(
            CONFIG.format(
                imap_port=self.imap_port,
                smtp_port=self.sink.port,
                sheet=sheet,
                api_root=self.api_root,
                state=state,
                limit=self.limit,
            )
        )
        env = self.env(BENCH_IMAP_PASSWORD="secret")
        os.environ["BENCH_IMAP_PASSWORD"] = "secret"
        init_tabs(config_mod.load(cfg_path))
        self.load("ours")
        profile = ["-m", "cProfile", "-o", self.profile] if self.profile else []
        cli = ["-m", "automation.cli", "poll", "--once", "--config", str(cfg_path)]
        cmd = [sys.executable, *profile, *cli]
        return timed(cmd, env, ROOT, self.work / f"{tag}.log")

    def _floor(self, tag: str) -> tuple[float, float, int]:
        self.load("ours")
        cmd = [sys.executable, __file__, "--floor", str(self.imap_port), str(self.sink.port)]
        return timed(cmd, self.env(), ROOT, self.work / f"{tag}.log")


# ----------------------------------------------------------------- plumbing ---


class Sink:
    """aiosmtpd that counts what it accepts (no parsing: the sink must not be
    the bottleneck) and offers PIPELINING like real submission servers."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        from tests.support.mailservers import free_port

        sink = self
        self.count = 0
        self.port = free_port()

        class Handler:
            async def handle_EHLO(
                self, server: Any, session: Any, env: Any, host: str, r: Any
            ) -> Any:
                session.host_name = host
                return [*r[:-1], "250-PIPELINING", r[-1]]

            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.count += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def ensure_peers(peers_run: Path, messages: int) -> Path:
    """The peers' README set-up, done once; returns the backlog folder."""
    venv_py = peers_run / "venv" / "bin" / "python"
    if not venv_py.exists():
        subprocess.run(["python3", "-m", "venv", str(peers_run / "venv")], check=True)
        pip = [str(venv_py), "-m", "pip", "install", "-q", "django-helpdesk==2.6.1"]
        subprocess.run(pip, check=True)
    for folder in ("dhproj", "bench"):
        if not (peers_run / folder).exists():
            shutil.copytree(PEERS / folder, peers_run / folder)
    backlog = peers_run / f"backlog{messages}"
    if not backlog.exists():
        make = [sys.executable, str(PEERS / "bench" / "make_backlog.py"), str(backlog)]
        subprocess.run([*make, str(messages)], check=True, capture_output=True)
    return backlog


def start_dovecot(peers_run: Path) -> int:
    """The peers' Dovecot on a free loopback port (so parallel runs don't clash)."""
    from tests.support.mailservers import free_port, wait_for_port

    port = free_port()
    conf = (PEERS / "dovecot" / "dovecot.conf").read_text()
    conf = conf.replace("@PEERS_RUN@", str(peers_run)).replace("port = 11143", f"port = {port}")
    (peers_run / "dovecot").mkdir(exist_ok=True)
    (peers_run / "dovecot" / "dovecot.conf").write_text(conf)
    env = dict(os.environ, PEERS_RUN=str(peers_run))
    subprocess.run(["bash", str(PEERS / "dovecot" / "stop.sh")], env=env, capture_output=True)
    subprocess.run(["bash", str(PEERS / "dovecot" / "start.sh")], env=env, check=True)
    wait_for_port(port)
    return port


def report(runs: dict[str, list[Run]]) -> None:
    print(f"\n{'side':<16} {'wall s (each)':<26} {'median s':>9} {'peak RSS MB':>12} {'emails':>7}")
    for side in SIDES:
        walls = " ".join(f"{r.wall:.2f}" for r in runs[side])
        rss = statistics.median(r.rss_mb for r in runs[side])
        emails = "/".join(sorted({str(r.emails) for r in runs[side]}))
        med = statistics.median(r.wall for r in runs[side])
        print(f"{side:<16} {walls:<26} {med:>9.2f} {rss:>12.1f} {emails:>7}")
    ours = runs["sheetdesk"]
    vs_dh = [d.wall / s.wall for d, s in zip(runs["django-helpdesk"], ours, strict=True)]
    vs_floor = [s.wall / f.wall for s, f in zip(ours, runs["floor"], strict=True)]
    print("\nratios, median of the per-round ratios:")
    print(f"  django-helpdesk / sheetdesk = {statistics.median(vs_dh):.2f}x  (goal >= 5x)")
    print(f"  sheetdesk / floor           = {statistics.median(vs_floor):.2f}x  (goal <= 2x)")
    rss = max(r.rss_mb for r in ours)
    print(f"  sheetdesk peak RSS (max)    = {rss:.1f} MB  (goal <= 100 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument(
        "--peers-run", type=Path, default=Path(os.environ.get("PEERS_RUN", "/tmp/sheetdesk-peers"))
    )
    parser.add_argument("--only", choices=SIDES, help="run one side (with --profile: profiling)")
    parser.add_argument("--profile", default="", help="cProfile output file for sheetdesk")
    parser.add_argument(
        "--floor", nargs=2, type=int, metavar=("IMAP_PORT", "SMTP_PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.floor:
        floor_with_acks(*args.floor)
        return
    from tests.support.standin import SheetsStandIn

    peers_run = args.peers_run.resolve()
    backlog = ensure_peers(peers_run, args.messages)
    port = start_dovecot(peers_run)
    bench = Bench(peers_run, backlog, port, args.messages)
    bench.sink = Sink()
    bench.api = SheetsStandIn(strict=True)
    bench.profile = args.profile
    sides = (args.only,) if args.only else SIDES
    runs: dict[str, list[Run]] = {side: [] for side in SIDES}
    print(f"backlog {backlog} ({args.messages} messages), Dovecot :{port}, sink :{bench.sink.port}")
    try:
        with bench.api.serve() as url:
            bench.api_root = url
            for round_no in range(args.pairs):
                order = sides[round_no % len(sides) :] + sides[: round_no % len(sides)]
                for side in order:
                    run = bench.run(side, f"{side}-{round_no}")
                    runs[side].append(run)
                    line = f"{run.wall:7.2f} s {run.rss_mb:7.1f} MB {run.emails:5d} emails"
                    print(f"round {round_no + 1} {side:<16} {line}", flush=True)
    finally:
        bench.sink.stop()
        env = dict(os.environ, PEERS_RUN=str(peers_run))
        subprocess.run(["bash", str(PEERS / "dovecot" / "stop.sh")], env=env, capture_output=True)
    if not args.only:
        report(runs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process (stand-in + sink): {own:.0f} MB")


if __name__ == "__main__":
    main()
