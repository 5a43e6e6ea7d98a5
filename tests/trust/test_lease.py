"""Issue 11, finding 5: one runner per mailbox across hosts, whatever the state directory.

Two processes with the same configuration (two hosts, or the state directory
deleted under a running ``sheetdesk run``) used to run side by side: the flock
only covers one state directory.  The lease lives in the mailbox (IMAP) or the
Maildir's root, so a second runner is refused whatever its state directory.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.adapters.imap.inbox import ImapInbox
from automation.adapters.imap.lease import MailboxLease, heartbeat_message
from automation.adapters.maildir_lease import MaildirLease
from automation.errors import LockHeldError
from automation.secrets import Secret
from tests.adapters.test_imap_inbox import tls_config
from tests.support.mailservers import MailUser

NOW = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
STALE = timedelta(minutes=10)


def _box(user: MailUser, state: Path) -> ImapInbox:
    return ImapInbox(tls_config(user), Secret(user.password), state)


def test_two_runners_on_two_state_dirs_cannot_both_hold(
    mail_user: MailUser, tmp_path: Path
) -> None:
    a, b = _box(mail_user, tmp_path / "a"), _box(mail_user, tmp_path / "b")
    lease_a = a.lease(STALE, holder="host-a:101:aaaa")
    lease_b = b.lease(STALE, holder="host-b:202:bbbb")
    lease_a.hold(NOW)
    with pytest.raises(LockHeldError, match=r"\(host-a:101:aaaa\) holds the mailbox lease"):
        lease_b.hold(NOW + timedelta(seconds=30))
    lease_a.hold(NOW + timedelta(minutes=2))  # the holder renews every cycle
    with pytest.raises(LockHeldError):
        lease_b.hold(NOW + timedelta(minutes=9))  # still fresh: renewed at +2 min
    list(a.fetch(5))  # the inbox still works on the same connection after the lease
    lease_a.release()
    lease_b.hold(NOW + timedelta(minutes=10))  # released: the other one may take it
    with pytest.raises(LockHeldError, match="host-b:202:bbbb"):
        lease_a.hold(NOW + timedelta(minutes=11))
    a.close()
    b.close()


def test_a_dead_holders_lease_goes_stale_and_is_taken_over(
    mail_user: MailUser, tmp_path: Path
) -> None:
    a, b = _box(mail_user, tmp_path / "a"), _box(mail_user, tmp_path / "b")
    a.lease(STALE, holder="far-host:101:aaaa").hold(NOW)  # then dies without releasing
    a.close()
    late = b.lease(STALE, holder="host-b:202:bbbb")
    with pytest.raises(LockHeldError):
        late.hold(NOW + timedelta(minutes=5))
    late.hold(NOW + timedelta(minutes=11))  # stale: broken and taken
    assert late.held
    b.close()


def test_a_heartbeat_from_a_dead_process_on_this_host_is_stale_at_once() -> None:
    import socket

    from automation.adapters.imap.lease import parse_heartbeat

    beat = parse_heartbeat(heartbeat_message(f"{socket.gethostname()}:999999999:ab", NOW))
    assert beat is not None and beat.stale(NOW + timedelta(seconds=1), STALE)


def test_the_maildir_lease_ignores_the_state_dir(tmp_path: Path) -> None:
    # Another process (its own state dir, same Maildir) holds the lease ...
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from datetime import datetime, UTC; from pathlib import Path; "
            "from automation.adapters.maildir_lease import MaildirLease; "
            f"MaildirLease(Path({str(tmp_path)!r})).hold(datetime.now(UTC)); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeldError, match=f"pid {holder.pid}.*works the Maildir"):
            MaildirLease(tmp_path).hold(NOW)
    finally:
        holder.communicate("")  # it exits: the kernel frees the lock
    mine, again = MaildirLease(tmp_path), MaildirLease(tmp_path)
    mine.hold(NOW)
    again.hold(NOW)  # a second Runtime in the same process is the same runner
    again.release()
    mine.release()


def test_lease_is_a_small_typed_port() -> None:
    lease: MailboxLease | MaildirLease = MaildirLease(Path("/nonexistent"))
    assert hasattr(lease, "hold") and hasattr(lease, "release")
