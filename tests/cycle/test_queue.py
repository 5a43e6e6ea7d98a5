"""Workload caps: a case waits in the queue and is assigned on a later cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from automation.adapters.memory_store import MemoryStore
from automation.cycle.poll import poll_cycle
from automation.sheet.tab_specs import all_tab_specs
from tests.cycle.test_cycle import deliver, mail, make_runtime

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London


def _store_with_one_person(cap: int) -> MemoryStore:
    store = MemoryStore()
    store.initialize(all_tab_specs())
    team = store.tabs["Team"]
    header = team[0]
    row = dict.fromkeys(header, "")
    row.update(
        {
            "Name": "Ada Park",
            "Email": "ada@acme.example",
            "Roles": "general, billing",
            "Tier": "2",
            "Time zone": "Europe/London",
            "Working days": "Mon-Fri",
            "Start": "08:00",
            "End": "18:00",
            "Max open cases": str(cap),
            "Active": "Yes",
        }
    )
    owner = dict(zip(header, team[1], strict=False))
    owner["Active"] = "No"
    store.tabs["Team"] = [header, [owner.get(h, "") for h in header], [row[h] for h in header]]
    return store


def _case(store: MemoryStore, case_id: str) -> dict[str, str]:
    case = store.case(case_id)
    assert case is not None
    return dict(case.values)


def test_case_waits_at_cap_then_is_assigned_when_room_frees(tmp_path: Path) -> None:
    store = _store_with_one_person(cap=1)
    rt = make_runtime(tmp_path, store)
    deliver(tmp_path, mail("Where is my parcel?", "q1@customer.example"), "1.a")
    deliver(
        tmp_path,
        mail("Another parcel question", "q2@other.example", sender="Lee <lee@other.example>"),
        "2.b",
    )
    poll_cycle(rt, NOW)
    first, second = _case(store, "C-1000"), _case(store, "C-1001")
    assert first["Routed to"] == "Ada Park"
    assert second["Routed to"] == "" and "cap" in second["Why"].lower()

    # Still full on the next cycle: the case keeps waiting, nothing is lost.
    report = poll_cycle(rt, NOW + timedelta(minutes=2))
    assert report.counts["assigned from queue"] == 0
    assert _case(store, "C-1001")["Routed to"] == ""

    # The team resolves the first case in the sheet: Ada has room again.
    grid = store.tabs["Cases"]
    status = grid[0].index("Status")
    row = next(r for r in grid[1:] if r[0] == "C-1000")
    row[status] = "Resolved"
    report = poll_cycle(rt, NOW + timedelta(minutes=4))
    assert report.counts["assigned from queue"] == 1
    second = _case(store, "C-1001")
    assert second["Routed to"] == "Ada Park" and "From the queue" in second["Why"]
