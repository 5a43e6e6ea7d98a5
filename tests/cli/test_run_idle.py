"""``sheetdesk run`` with IMAP IDLE, end to end on Dovecot + aiosmtpd + the
Sheets stand-in: new mail is acknowledged without waiting for the interval, a
burst is one cycle, and without IDLE the interval still does the work."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation import config as config_mod
from automation.adapters.imap.idle import ImapWatcher
from automation.runner import Runner
from automation.secrets import Secret
from automation.wiring import build_runtime, init_tabs
from tests.cycle.test_e2e_servers import CONFIG, _mail
from tests.support import mailservers
from tests.support.standin import SheetsStandIn

NO_IDLE = mailservers.CAPABILITIES_WITHOUT_MOVE.replace(" IDLE", "") + " MOVE"


@pytest.fixture
def standin() -> Iterator[tuple[SheetsStandIn, str, str]]:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support queue", sheets=("Sheet1",))
    with api.serve() as url:
        yield api, sid, url


def _runner(
    tmp_path: Path,
    user: mailservers.MailUser,
    smtp: mailservers.SmtpServer,
    standin: tuple[SheetsStandIn, str, str],
    interval: int,
) -> Runner:
    _, sid, url = standin
    path = tmp_path / "sheetdesk.toml"
    text = CONFIG.format(
        imap_port=user.server.port, user=user.name, smtp_port=smtp.port, sheet=sid, api_root=url
    )
    path.write_text(text)
    os.environ["SD_E2E_IMAP_PASSWORD"] = mailservers.CATCH_ALL_PASSWORD
    cfg = config_mod.load(path)
    init_tabs(cfg)
    watcher = ImapWatcher(cfg.inbox.imap, Secret(mailservers.CATCH_ALL_PASSWORD))
    return Runner(build_runtime(cfg), interval, watcher=watcher, settle_seconds=0.2)


def _meanwhile(runner: Runner, act: Callable[[], None], limit: float = 60.0) -> None:
    """Run ``act`` in a thread once the first cycle is done; stop the runner
    after ``limit`` seconds whatever happens (the test then fails on counts)."""

    def body() -> None:
        deadline = time.monotonic() + limit
        while runner.cycles < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        act()
        while not runner.stopping and time.monotonic() < deadline:
            time.sleep(0.05)
        runner.stopping = True

    threading.Thread(target=body, daemon=True).start()


def test_new_mail_is_acknowledged_without_waiting_for_the_interval(
    tmp_path: Path,
    mail_user: mailservers.MailUser,
    smtp_server: mailservers.SmtpServer,
    standin: tuple[SheetsStandIn, str, str],
) -> None:
    runner = _runner(tmp_path, mail_user, smtp_server, standin, interval=3600)

    def burst() -> None:  # three customers write at once: one cycle takes them all
        mail_user.append([_mail(f"Lamp {n} broken", f"idle{n}@customer.example") for n in range(3)])

    _meanwhile(runner, burst)
    try:
        runner.run(max_cycles=2)
    finally:
        runner.runtime.inbox.close()
        assert runner.watcher is not None
        runner.watcher.close()
    assert runner.cycles == 2 and runner.woken == 1  # the interval (an hour) never fired
    assert len(smtp_server.messages) == 3
    assert mail_user.count("INBOX") == 0


@pytest.fixture(scope="module")
def dovecot_no_idle(
    test_pki: mailservers.TestPKI, _dovecots: list[mailservers.Dovecot]
) -> mailservers.Dovecot:
    server = mailservers.Dovecot(test_pki, capability=NO_IDLE)
    _dovecots.append(server)
    return server.start()


def test_without_idle_the_interval_picks_the_mail_up(
    tmp_path: Path,
    dovecot_no_idle: mailservers.Dovecot,
    smtp_server: mailservers.SmtpServer,
    standin: tuple[SheetsStandIn, str, str],
) -> None:
    user = dovecot_no_idle.new_user()
    runner = _runner(tmp_path, user, smtp_server, standin, interval=2)
    _meanwhile(runner, lambda: user.append([_mail("Dimmer broken", "noidle@customer.example")]))
    try:
        runner.run(max_cycles=3)
    finally:
        runner.runtime.inbox.close()
    assert runner.woken == 0 and runner.cycles == 3
    assert len(smtp_server.messages) == 1
