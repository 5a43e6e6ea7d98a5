"""ImapWatcher (IMAP IDLE) against a real Dovecot: new mail, a dropped
connection, a server without IDLE, and the periodic DONE/NOOP/IDLE refresh."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from automation.adapters.imap.idle import ImapWatcher
from automation.adapters.maildir_watcher import MaildirWatcher
from automation.config import ImapConfig
from automation.secrets import Secret
from tests.support import mailservers
from tests.support.mailservers import CuttingProxy, Dovecot, MailUser

NO_IDLE = mailservers.CAPABILITIES_WITHOUT_MOVE.replace(" IDLE", "") + " MOVE"


def mail(n: int) -> bytes:
    return (
        f"From: c{n}@customer.example\r\nTo: help@acme.example\r\nSubject: q {n}\r\n"
        f"Message-ID: <idle-{n}@customer.example>\r\n\r\nhello\r\n"
    ).encode()


def watcher(user: MailUser, port: int | None = None, **kw: float) -> ImapWatcher:
    cfg = ImapConfig(
        host="127.0.0.1",
        port=port or user.server.port,
        security="plain",
        allow_plaintext_loopback=True,
        username=user.name,
        timeout_seconds=10,
    )
    return ImapWatcher(cfg, Secret(user.password), **kw)


def wait_until(w: ImapWatcher, seconds: float) -> bool:
    """Wait in short steps, as the runner does, until mail or ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if w.wait(0.5):
            return True
    return False


@pytest.fixture(scope="module")
def dovecot_no_idle(test_pki: mailservers.TestPKI, _dovecots: list[Dovecot]) -> Iterator[Dovecot]:
    server = Dovecot(test_pki, capability=NO_IDLE)
    _dovecots.append(server)
    yield server.start()


def test_new_mail_wakes_the_watcher_and_quiet_times_out(mail_user: MailUser) -> None:
    w = watcher(mail_user)
    try:
        assert w.wait(0.3) is False  # connects and starts IDLE; nothing new
        assert w.supported is True and w.connects == 1
        assert w.wait(0.3) is False
        mail_user.append([mail(1)])
        assert wait_until(w, 20) is True
        assert w.wait(0.3) is False  # reported once, not again
    finally:
        w.close()


def test_a_dropped_connection_is_reopened_and_reported_as_maybe_new(
    mail_user: MailUser,
) -> None:
    proxy = CuttingProxy(mail_user.server.port)
    w = watcher(mail_user, port=proxy.port)
    try:
        assert w.wait(0.3) is False
        proxy.cut()  # the server vanishes in the middle of IDLE
        mail_user.append([mail(2)])  # arrives while we are not listening
        assert wait_until(w, 20) is True  # the reconnect says "look now"
        assert w.connects == 2
        mail_user.append([mail(3)])
        assert wait_until(w, 20) is True  # and IDLE works on the new connection
    finally:
        w.close()
        proxy.close()


def test_mail_that_came_before_idle_started_is_not_missed(mail_user: MailUser) -> None:
    mail_user.append([mail(7)])  # delivered between the last cycle and IDLE
    w = watcher(mail_user)
    try:
        assert w.wait(0.3) is True
        assert w.wait(0.3) is False
    finally:
        w.close()


def test_a_server_that_cannot_be_reached_only_sleeps(mail_user: MailUser) -> None:
    w = watcher(mail_user, port=mailservers.free_port())
    assert w.wait(0.2) is False and w.wait(0.2) is False
    assert w.connects == 0


def test_without_idle_the_watcher_sleeps_and_the_interval_rules(
    dovecot_no_idle: Dovecot,
) -> None:
    user = dovecot_no_idle.new_user()
    w = watcher(user)
    assert w.wait(0.2) is False
    assert w.supported is False
    user.append([mail(4)])
    assert w.wait(0.5) is False  # never wakes: the runner's interval picks it up
    assert w.connects == 1  # and it does not keep reconnecting to ask


def test_refresh_ends_idle_checks_with_noop_and_keeps_mail_seen_meanwhile(
    mail_user: MailUser,
) -> None:
    w = watcher(mail_user, refresh_seconds=0.0)  # refresh before every wait
    try:
        assert w.wait(0.2) is False
        assert w.wait(0.2) is False  # DONE, NOOP, IDLE: the connection is fine
        mail_user.append([mail(5)])
        time.sleep(0.5)  # the EXISTS is now waiting; the refresh must not eat it
        assert wait_until(w, 20) is True
        assert w.connects == 1
    finally:
        w.close()


def test_maildir_watcher_sees_deliveries_not_our_own_moves(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir()
    w = MaildirWatcher(root, step_seconds=0.05)
    assert w.wait(0.1) is False
    (root / "new" / "1700000000.1.host").write_bytes(mail(6))
    assert w.wait(1.0) is True
    (root / "new" / "1700000000.1.host").rename(root / "cur" / "1700000000.1.host:2,S")
    assert w.wait(0.2) is False  # filed as read: not new mail
