"""Issue 11, finding 9: memory does not grow with message size or the FETCH chunk.

Before: five 100 MB messages over IMAP reached 1.56 GB peak RSS, because bodies
were downloaded whole (fetch_chunk of them at a time) before the size was
checked.  Now RFC822.SIZE comes first, an oversized message is read headers-only
and quarantined from its header, and FETCH batches are bounded by bytes.
The figures at full size (peak RSS for 5 x 100 MB) come from
``scripts/bench_bounded_fetch.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.adapters.imap import inbox as inbox_mod
from automation.adapters.imap.inbox import ImapInbox, byte_batches
from automation.adapters.maildir_inbox import MaildirInbox
from automation.config import MaildirConfig
from automation.cycle.poll import poll_cycle
from automation.secrets import Secret
from tests.adapters.test_imap_inbox import tls_config
from tests.cycle.test_cycle import NOW, deliver, mail, make_runtime
from tests.support.mailservers import MailUser

MB = 1024 * 1024


def big(n: int, size: int) -> bytes:
    head = (
        f"From: Big {n} <big{n}@customer.example>\r\nTo: help@acme.example\r\n"
        f"Subject: huge attachment {n}\r\nMessage-ID: <big{n}@customer.example>\r\n"
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    return head + b"x" * (size - len(head))


def test_byte_batches_bound_bytes_and_isolate_the_oversized() -> None:
    sizes = {1: 6 * MB, 2: 6 * MB, 3: 6 * MB, 4: 40 * MB, 5: 1_000, 6: 1_000}
    batches = list(byte_batches([1, 2, 3, 4, 5, 6], sizes, max_count=50, max_bytes=25 * MB))
    assert batches == [([1, 2], True), ([3], True), ([4], False), ([5, 6], True)]
    assert all(
        sum(sizes[u] for u in batch) <= inbox_mod.FETCH_BYTES for batch, whole in batches if whole
    )
    counted = list(byte_batches(list(range(1, 8)), {}, max_count=3, max_bytes=MB))
    assert [b for b, _ in counted] == [[1, 2, 3], [4, 5, 6], [7]]


def test_imap_reads_oversized_messages_headers_only(mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.append([big(1, 3 * MB), big(2, 200_000), big(3, 3 * MB)])
    box = ImapInbox(
        tls_config(mail_user, fetch_chunk=50), Secret(mail_user.password), tmp_path, max_bytes=MB
    )
    items = list(box.fetch(10))
    box.close()
    assert [i.oversized is not None for i in items] == [True, False, True]
    assert all(len(i.raw) < 1_000 for i in items if i.oversized)  # the body never came
    assert all(i.oversized and i.oversized >= 3 * MB for i in items if i.oversized)
    assert len(items[1].raw) >= 200_000


def test_an_oversized_message_is_quarantined_from_its_header(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, max_message_bytes=MB)
    deliver(tmp_path, big(1, 3 * MB), "1.big")
    deliver(tmp_path, mail("Broken lamp", "small@customer.example"), "2.small")
    box = rt.inbox
    assert isinstance(box, MaildirInbox)
    rt.inbox = MaildirInbox(MaildirConfig(path="mail"), tmp_path, max_bytes=MB)
    report = poll_cycle(rt, NOW)
    assert report.counts["quarantined"] == 1 and report.counts["case created"] == 1
    [row] = [r for r in rt.store.load().cases]  # type: ignore[attr-defined]
    assert row.get("Subject") == "Broken lamp"
    quarantine = rt.store.tabs["Quarantine"]  # type: ignore[attr-defined]
    assert "3.0 MB, over the 1 MB limit" in quarantine[1][1]
    assert "big1@customer.example" in quarantine[1][2] and quarantine[1][3] == "huge attachment 1"


@pytest.mark.parametrize("size", [MB + 1])
def test_maildir_stats_before_reading(tmp_path: Path, size: int) -> None:
    deliver(tmp_path, big(1, size), "1.big")
    box = MaildirInbox(MaildirConfig(path="mail"), tmp_path, max_bytes=MB)
    [item] = list(box.fetch(5))
    assert item.oversized == size and len(item.raw) < 1_000
