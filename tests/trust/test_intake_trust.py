"""Issue 11, findings 1, 3, 6 and 11 through the real poll cycle (Maildir, files, memory store).

Each test plays the attacker or the chaotic team first, then checks what the
sheet and the outbox hold: nothing vanishes, nobody joins someone else's case,
a cleared Thread IDs cell causes no second case and no second email, and a
forged key account gets neither the floor nor its Reply-To.
"""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

from automation.adapters.memory_store import MemoryStore
from automation.cycle.poll import poll_cycle
from automation.sheet import layout as columns
from automation.sheet.threads import split_ids
from tests.cycle.test_cycle import NOW, deliver, mail, make_runtime
from tests.support.decide_builders import base_tabs

HANA = "Hana Ito <hana@customer.example>"


def _outbox(base: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted((base / "outbox").glob("*.eml")):
        msg = message_from_bytes(path.read_bytes())
        out.append((str(msg["To"]), str(msg["Subject"])))
    return out


def _cases(store: MemoryStore) -> dict[str, dict[str, str]]:
    return {c.case_id: dict(c.values) for c in store.load().cases}


def _run(tmp_path: Path, store: MemoryStore) -> dict[str, int]:
    report = poll_cycle(make_runtime(tmp_path, store), NOW)
    assert report.completed, report.problems
    return dict(report.counts)


def test_a_reused_message_id_from_another_sender_is_a_case_not_a_duplicate(
    tmp_path: Path,
) -> None:
    store = MemoryStore()
    deliver(tmp_path, mail("Broken lamp", "same@mailer.example"), "1.a")
    _run(tmp_path, store)
    # A second customer whose mailer reuses the id; and the first one re-delivered.
    other = mail("Invoice wrong", "same@mailer.example", sender="Lee <lee@other.example>")
    deliver(tmp_path, other, "2.b")
    deliver(tmp_path, mail("Broken lamp", "same@mailer.example"), "3.a-again")
    counts = _run(tmp_path, store)
    cases = _cases(store)
    assert sorted(c["Customer email"] for c in cases.values()) == [
        "hana@customer.example",
        "lee@other.example",
    ]
    assert counts.get("duplicate") == 1 and counts.get("reused Message-ID") == 1
    assert len(_outbox(tmp_path)) == 2  # one acknowledgement each, none twice
    # Lee's message re-delivered later is a duplicate of Lee's case, not a third case.
    deliver(tmp_path, other, "4.b-again")
    _run(tmp_path, store)
    assert len(_cases(store)) == 2 and len(_outbox(tmp_path)) == 2


def test_a_stranger_cannot_join_by_subject_tag_or_in_reply_to(tmp_path: Path) -> None:
    store = MemoryStore()
    deliver(tmp_path, mail("Broken lamp", "victim@customer.example"), "1.v")
    _run(tmp_path, store)
    victim = _cases(store)["C-1000"]
    store.tabs["Cases"][1][store.tabs["Cases"][0].index(columns.STATUS)] = "Resolved"
    attacks = [
        mail(
            "Re: [Case #1000] Broken lamp",
            "evil1@attacker.example",
            sender="Eve <eve@attacker.example>",
            body="URGENT: our bank details changed, pay to IBAN XX00 EVIL.",
        ),
        mail(
            "new bank details",
            "evil2@attacker.example",
            sender="Eve <eve@attacker.example>",
            body="Please send the refund to eve@attacker.example instead.",
            In_Reply_To="<victim@customer.example>",
        ),
    ]
    for n, raw in enumerate(attacks):
        deliver(tmp_path, raw, f"{n}.evil")
    counts = _run(tmp_path, store)
    after = _cases(store)
    same = {"Latest from customer", "Priority (auto)", "Routed to", "Messages", "Poller note"}
    assert {k: after["C-1000"].get(k) for k in same} == {k: victim.get(k) for k in same}
    assert "REOPENED" not in after["C-1000"].get("Poller note", "")
    strangers = [c for cid, c in after.items() if cid != "C-1000"]
    assert len(strangers) == 2 and counts.get("different sender") == 2
    assert all(
        "DIFFERENT SENDER" in c["Poller note"] and "C-1000" in c["Poller note"] for c in strangers
    )
    # The real customer still joins her own case.
    deliver(tmp_path, mail("Re: [Case #1000] Broken lamp", "victim2@customer.example"), "9.ok")
    _run(tmp_path, store)
    assert _cases(store)["C-1000"]["Messages"] == "2"


def test_a_cleared_thread_ids_cell_causes_no_second_case_or_email(tmp_path: Path) -> None:
    store = MemoryStore()
    original = mail("Broken lamp", "orig@customer.example")
    deliver(tmp_path, original, "1.o")
    _run(tmp_path, store)
    sent = _outbox(tmp_path)
    ack_id = split_ids(_cases(store)["C-1000"][columns.THREAD_IDS])[1]
    col = store.tabs["Cases"][0].index(columns.THREAD_IDS)
    store.tabs["Cases"][1][col] = ""  # a person clears the cell
    deliver(tmp_path, original, "2.o-again")  # the original re-delivered
    reply = mail("my lamp", "reply1@customer.example", In_Reply_To=f"<{ack_id}>")
    deliver(tmp_path, reply, "3.reply")  # a reply matched only by In-Reply-To
    counts = _run(tmp_path, store)
    cases = _cases(store)
    assert list(cases) == ["C-1000"], counts
    assert cases["C-1000"]["Messages"] == "2"
    assert _outbox(tmp_path) == sent  # no second acknowledgement
    repaired = split_ids(cases["C-1000"][columns.THREAD_IDS])
    assert "orig@customer.example" in repaired and ack_id in repaired
    assert counts.get("thread ids repaired") == 1


def _authres(result: str) -> str:
    return (
        f"mx.acme.example; spf={result} smtp.mailfrom=bigco.example; "
        f"dkim={'pass' if result == 'pass' else 'none'}; dmarc={result} header.from=bigco.example"
    )


def test_a_forged_key_account_gets_no_floor_and_no_backscatter(tmp_path: Path) -> None:
    tabs = {k: [list(r) for r in v] for k, v in base_tabs().items()}
    store = MemoryStore({"Cases": [list(columns.DEFAULT_ORDER)], **tabs})
    key_domain = store.tabs["Accounts"][1][0]
    forged = mail(
        "Orders stopped please call",
        "forged@x.example",
        sender=f"CEO <ceo@{key_domain}>",
        Authentication_Results=_authres("fail"),
    )
    unauthenticated = mail(
        "Question about my order",
        "noauth@x.example",
        sender="Lee <lee@other.example>",
        Reply_To="Victim <victim@third.example>",
    )
    real = mail(
        "Our orders stopped",
        "real@x.example",
        sender=f"CEO <ceo@{key_domain}>",
        Reply_To=f"Desk <desk@{key_domain}>",
        Authentication_Results=_authres("pass"),
    )
    for n, raw in enumerate((forged, unauthenticated, real)):
        deliver(tmp_path, raw, f"{n}.m")
    _run(tmp_path, store)
    by_subject = {c["Subject"]: c for c in _cases(store).values()}
    fake = by_subject["Orders stopped please call"]
    genuine = by_subject["Our orders stopped"]
    assert "is key account" not in fake["Why"] and "is key account" in genuine["Why"]
    assert genuine["Routed to"] == "Cara" != fake["Routed to"]  # the account manager
    assert "subject not echoed" in fake["Poller note"]
    assert by_subject["Question about my order"]["Customer email"] == "lee@other.example"
    sent = _outbox(tmp_path)
    sent_to = " ".join(to for to, _ in sent)
    assert "third.example" not in sent_to  # no backscatter to a Reply-To elsewhere
    assert "lee@other.example" in sent_to
    assert f"desk@{key_domain}" in sent_to  # authenticated: its own Reply-To is honoured
    acks = [subject for to, subject in sent if key_domain in to and "ceo@" in to]
    assert acks and not any("Orders stopped please call" in subject for subject in acks)
