"""ImapInbox against a real Dovecot (see tests/mailservers.py): no mocks."""

from __future__ import annotations

import math
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from automation.adapters.imap.inbox import (
    PROCESSED_KEYWORD,
    QUARANTINED_KEYWORD,
    ImapInbox,
    uid_set,
)
from automation.config import ImapConfig
from automation.errors import AuthError, ConfigError, InboxError, SecurityError
from automation.secrets import Secret
from tests.support import mailservers
from tests.support.mailservers import Dovecot, MailUser, sample_message

SEEN = b"\\Seen"


def tls_config(user: MailUser, **overrides: object) -> ImapConfig:
    server = user.server
    cfg = ImapConfig(
        host="127.0.0.1",
        port=server.tls_port,
        security="tls",
        ca_file=str(server.pki.ca_file),
        username=user.name,
        fetch_chunk=50,
        timeout_seconds=10,
    )
    return replace(cfg, **overrides)  # type: ignore[arg-type]


def plain_config(user: MailUser, port: int | None = None, **overrides: object) -> ImapConfig:
    cfg = ImapConfig(
        host="127.0.0.1",
        port=port or user.server.port,
        security="plain",
        allow_plaintext_loopback=True,
        username=user.name,
        fetch_chunk=50,
        timeout_seconds=10,
    )
    return replace(cfg, **overrides)  # type: ignore[arg-type]


def inbox(user: MailUser, state: Path, cfg: ImapConfig | None = None) -> ImapInbox:
    return ImapInbox(cfg or tls_config(user), Secret(user.password), state)


def subjects(items: list) -> list[str]:  # type: ignore[type-arg]
    return [item.raw.split(b"Subject: ", 1)[1].split(b"\r\n", 1)[0].decode() for item in items]


# ------------------------------------------------------------------ reading ---


def test_fetch_peeks_and_leaves_seen_unset(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(3))
    box = inbox(mail_user, tmp_path)
    items = list(box.fetch(10))
    box.close()
    assert subjects(items) == ["Help request 1", "Help request 2", "Help request 3"]
    assert all(SEEN not in flags for flags in mail_user.flags().values())
    assert items[0].key.startswith("imap:") and items[0].key.endswith(":1")
    assert items[0].received_at is not None and items[0].received_at.tzinfo is not None


def test_message_already_read_by_a_person_is_still_fetched(
    mail_user: MailUser, tmp_path: Path
) -> None:
    mail_user.append([sample_message(1)], flags=[SEEN])
    mail_user.append([sample_message(2)])
    items = list(inbox(mail_user, tmp_path).fetch(10))
    assert subjects(items) == ["Help request 1", "Help request 2"]


def test_fetch_respects_limit_oldest_first(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(10))
    box = inbox(mail_user, tmp_path)
    first = list(box.fetch(4))
    assert subjects(first) == [f"Help request {i}" for i in range(1, 5)]
    box.mark_processed([i.key for i in first])
    assert subjects(list(box.fetch(100))) == [f"Help request {i}" for i in range(5, 11)]


@pytest.mark.parametrize(
    ("count", "chunk"), [(0, 50), (1, 50), (50, 50), (51, 50), (200, 50), (200, 7)]
)
def test_round_trips_are_constant_plus_one_per_chunk(
    mail_user: MailUser, tmp_path: Path, count: int, chunk: int
) -> None:
    mail_user.append(mailservers.messages(count))
    box = inbox(mail_user, tmp_path, tls_config(mail_user, fetch_chunk=chunk))
    items = list(box.fetch(1000))
    assert len(items) == count
    # CAPABILITY (while connecting) + LOGIN + SELECT + SEARCH, then the FETCHes
    # ... and one FETCH of RFC822.SIZE before any body (issue 11: bounded memory).
    assert box.round_trips == 4 + (1 if count else 0) + math.ceil(count / chunk)
    box.close()


# ------------------------------------------------------------------ marking ---


def test_mark_processed_moves_to_processed_folder(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append([sample_message(1)], flags=[SEEN])
    mail_user.append(mailservers.messages(2))
    box = inbox(mail_user, tmp_path)
    box.mark_processed([i.key for i in box.fetch(10)])
    assert mail_user.count("INBOX") == 0
    assert mail_user.count("sheetdesk/processed") == 3
    moved = mail_user.flags("sheetdesk/processed")
    assert sorted(SEEN in f for f in moved.values()) == [False, False, True]  # flags kept
    assert list(box.fetch(10)) == []
    box.close()


def test_without_move_capability_a_keyword_is_set_and_nothing_is_expunged(
    dovecot_nomove: Dovecot, tmp_path: Path
) -> None:
    user = dovecot_nomove.new_user()
    user.append(mailservers.messages(3))
    box = inbox(user, tmp_path)
    items = list(box.fetch(10))
    box.mark_processed([items[0].key, items[1].key])
    assert user.count("INBOX") == 3  # nothing moved, nothing expunged
    assert user.count("sheetdesk/processed") == 0
    flags = user.flags()
    assert PROCESSED_KEYWORD.encode() in flags[1] and PROCESSED_KEYWORD.encode() in flags[2]
    assert all(SEEN not in f and b"\\Deleted" not in f for f in flags.values())
    assert subjects(list(box.fetch(10))) == ["Help request 3"]
    box.close()


def test_quarantined_message_stays_and_is_skipped(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(3))
    box = inbox(mail_user, tmp_path)
    items = list(box.fetch(10))
    box.mark_quarantined([items[1].key])
    box.close()
    assert mail_user.count("INBOX") == 3
    assert QUARANTINED_KEYWORD.encode() in mail_user.flags()[2]
    again = inbox(mail_user, tmp_path / "elsewhere")  # no checkpoint: the keyword decides
    assert subjects(list(again.fetch(10))) == ["Help request 1", "Help request 3"]


def test_unmarked_message_is_not_skipped_by_the_checkpoint(
    mail_user: MailUser, tmp_path: Path
) -> None:
    mail_user.append(mailservers.messages(3))
    box = inbox(mail_user, tmp_path)
    items = list(box.fetch(10))
    box.mark_processed([items[0].key, items[2].key])  # the middle one failed downstream
    box.close()
    assert subjects(list(inbox(mail_user, tmp_path).fetch(10))) == ["Help request 2"]


def test_wiped_state_dir_still_gives_the_right_messages(
    dovecot_nomove: Dovecot, tmp_path: Path
) -> None:
    user = dovecot_nomove.new_user()  # keyword path: processed mail stays in INBOX
    user.append(mailservers.messages(5))
    state = tmp_path / "state"
    box = inbox(user, state)
    items = list(box.fetch(10))
    box.mark_processed([items[0].key, items[1].key])
    box.mark_quarantined([items[2].key])
    box.close()
    assert (state / "imap-checkpoint.json").exists()
    shutil.rmtree(state)
    fresh = inbox(user, state)
    assert subjects(list(fresh.fetch(10))) == ["Help request 4", "Help request 5"]
    fresh.close()


def test_damaged_checkpoint_is_ignored(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(2))
    (tmp_path / "imap-checkpoint.json").write_text("{not json")
    assert len(list(inbox(mail_user, tmp_path).fetch(10))) == 2


def test_uidvalidity_change_starts_over_from_uid_one(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(3), folder="Support")
    cfg = tls_config(mail_user, folder="Support")
    box = inbox(mail_user, tmp_path, cfg)
    old = list(box.fetch(10))
    box.mark_processed([i.key for i in old])  # checkpoint now at UID 3
    with mail_user.connect() as client:  # recreate: new UIDVALIDITY, UIDs from 1 again
        client.delete_folder("Support")
        client.create_folder("Support")
    mail_user.append([sample_message(7), sample_message(8)], folder="Support")
    new = list(box.fetch(10))
    assert subjects(new) == ["Help request 7", "Help request 8"]
    assert new[0].key.split(":")[1] != old[0].key.split(":")[1]
    with pytest.raises(InboxError, match="UIDVALIDITY"):
        box.mark_processed([old[0].key])  # an old key must not hit the new UID 1
    assert mail_user.count("Support") == 2
    box.close()


def test_processed_folder_in_trash_is_refused(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(1))
    box = inbox(mail_user, tmp_path, tls_config(mail_user, processed_folder="Trash"))
    keys = [i.key for i in box.fetch(10)]
    with pytest.raises(ConfigError, match="Trash"):
        box.mark_processed(keys)
    assert mail_user.count("INBOX") == 1
    box.close()


def test_foreign_key_is_refused(mail_user: MailUser, tmp_path: Path) -> None:
    box = inbox(mail_user, tmp_path)
    with pytest.raises(InboxError, match="not an IMAP inbox key"):
        box.mark_processed(["maildir:123.abc"])
    box.close()


def test_uid_set_compresses_runs() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set([5]) == "5"


# ------------------------------------------------------------------ failures ---


def test_connection_drop_mid_fetch_is_inbox_error_and_marks_nothing(
    mail_user: MailUser, tmp_path: Path
) -> None:
    mail_user.append(mailservers.messages(120))
    proxy = mailservers.CuttingProxy(mail_user.server.port)
    try:
        box = inbox(mail_user, tmp_path, plain_config(mail_user, port=proxy.port))
        stream = box.fetch(500)
        first = next(stream)  # the first chunk of 50 has arrived
        proxy.cut()
        with pytest.raises(InboxError, match="lost"):
            for _ in stream:
                pass
        assert first.key.endswith(":1")
        assert mail_user.count("INBOX") == 120
        assert all(not f for f in mail_user.flags().values())
        # The next cycle reconnects (through the same relay) and resumes.
        assert len(list(box.fetch(500))) == 120
        box.close()
    finally:
        proxy.close()


def test_unreachable_server_is_inbox_error(mail_user: MailUser, tmp_path: Path) -> None:
    cfg = plain_config(mail_user, port=mailservers.free_port())
    with pytest.raises(InboxError, match="cannot connect"):
        list(inbox(mail_user, tmp_path, cfg).fetch(1))


def test_wrong_password_is_auth_error_without_the_password(
    mail_user: MailUser, tmp_path: Path
) -> None:
    box = ImapInbox(tls_config(mail_user), Secret("wrong-password-123"), tmp_path)
    with pytest.raises(AuthError) as caught:
        list(box.fetch(1))
    assert "wrong-password-123" not in str(caught.value)
    assert mail_user.name in str(caught.value)


# ---------------------------------------------------------------------- TLS ---


def test_certificate_without_our_ca_is_security_error(mail_user: MailUser, tmp_path: Path) -> None:
    box = inbox(mail_user, tmp_path, tls_config(mail_user, ca_file=""))
    with pytest.raises(SecurityError, match="certificate"):
        list(box.fetch(1))


def test_starttls_upgrade_against_dovecot(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(2))
    cfg = tls_config(mail_user, port=mail_user.server.port, security="starttls")
    assert len(list(inbox(mail_user, tmp_path, cfg).fetch(10))) == 2


@pytest.mark.parametrize(
    "script", [mailservers.imap_without_starttls, mailservers.imap_broken_starttls]
)
def test_starttls_missing_or_failing_is_refused_before_login(
    mail_user: MailUser, tmp_path: Path, script
) -> None:  # type: ignore[no-untyped-def]
    stub = mailservers.ScriptedServer("* OK stub IMAP ready", script)
    try:
        cfg = tls_config(mail_user, port=stub.port, security="starttls")
        with pytest.raises(SecurityError):
            list(inbox(mail_user, tmp_path, cfg).fetch(1))
        assert not any("LOGIN" in line.upper() for line in stub.received)
    finally:
        stub.close()


def test_plaintext_needs_the_explicit_flag(mail_user: MailUser, tmp_path: Path) -> None:
    cfg = plain_config(mail_user, allow_plaintext_loopback=False)
    with pytest.raises(SecurityError, match="allow_plaintext_loopback"):
        list(inbox(mail_user, tmp_path, cfg).fetch(1))


def test_plaintext_to_a_non_loopback_host_is_refused(mail_user: MailUser, tmp_path: Path) -> None:
    cfg = plain_config(mail_user, host="192.0.2.1")  # TEST-NET: never contacted
    with pytest.raises(SecurityError, match="loopback"):
        list(inbox(mail_user, tmp_path, cfg).fetch(1))


def test_plaintext_to_loopback_works_when_allowed(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(1))
    assert len(list(inbox(mail_user, tmp_path, plain_config(mail_user)).fetch(5))) == 1


# ------------------------------------------------------------ check and Sent ---


def test_probe_reports_one_line(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(mailservers.messages(2))
    line = inbox(mail_user, tmp_path).probe()
    assert "\n" not in line
    assert "INBOX has 2 messages" in line and "MOVE" in line


def test_find_message_ids_in_sent(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append(
        [
            sample_message(1, message_id="out-1@example.com"),
            sample_message(2, message_id="out-2@example.com"),
        ],
        folder="Sent",
    )
    box = inbox(mail_user, tmp_path)
    asked = ["<out-1@example.com>", "out-2@example.com", "never@example.com"]
    assert box.find_message_ids("", asked) == {"<out-1@example.com>", "out-2@example.com"}
    assert box.find_message_ids("Sent", ["out-1@example.com"]) == {"out-1@example.com"}
    assert box.find_message_ids("Sent", ['odd"id]%@example.com']) == set()
    # The inbox is still usable after looking at Sent.
    mail_user.append(mailservers.messages(1))
    assert len(list(box.fetch(5))) == 1
    box.close()
