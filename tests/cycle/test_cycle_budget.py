"""A whole poll cycle (not just the store) stays within 1 read + 2 writes to the Sheets API,
whatever the number of new messages, replies and lifecycle emails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.cycle.poll import poll_cycle
from automation.sheet.tab_specs import all_tab_specs
from tests.cycle.test_cycle import deliver, mail
from tests.cycle.test_e2e_tables import _runtime
from tests.support.standin import SheetsStandIn

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _cycle_requests(api: SheetsStandIn, start: int) -> tuple[int, int]:
    log = api.log[start:]
    return sum(1 for r in log if not r.is_write), sum(1 for r in log if r.is_write)


@pytest.mark.parametrize("new", [1, 50, 300])
def test_a_cycle_is_one_read_and_at_most_two_writes(tmp_path: Path, new: int) -> None:
    api = SheetsStandIn(strict=True)
    sid = api.create_spreadsheet(title="Support", sheets=("Sheet1",))
    rt = _runtime(tmp_path, api, sid)
    rt.store.initialize(all_tab_specs())
    for i in range(10):
        deliver(
            tmp_path,
            mail(
                f"First question {i}",
                f"first{i}@c{i}.example",
                sender=f"Cus {i} <c{i}@c{i}.example>",
            ),
            f"a{i}",
        )
    poll_cycle(rt, NOW)
    # Next cycle: `new` new cases, replies on all 10 earlier cases, and a team edit.
    for i in range(10):
        deliver(
            tmp_path,
            mail(
                f"Re: [Case #{1000 + i}] First question {i}",
                f"re{i}@c{i}.example",
                sender=f"Cus {i} <c{i}@c{i}.example>",
            ),
            f"r{i}",
        )
    for i in range(new):
        deliver(
            tmp_path,
            mail(
                f"New question {i}", f"new{i}@n{i}.example", sender=f"New {i} <n{i}@n{i}.example>"
            ),
            f"n{i}",
        )
    grid = api.grid(sid, "Cases")
    api.human.edit_cell(sid, "Cases", 1, grid[0].index("Message to customer"), "On it today.")
    start = len(api.log)
    report = poll_cycle(rt, NOW + timedelta(minutes=10))
    reads, writes = _cycle_requests(api, start)
    print(
        f"\n{new} new + 10 replies + 1 team edit: {reads} read, {writes} writes "
        f"({report.summary()})"
    )
    assert report.counts["case created"] == new and report.counts["reply threaded"] == 10
    assert reads == 1 and writes <= 2
