"""Running the lifecycle over a cycle's working copy of the Cases tab.

Contract: pure (``now`` passed in).  ``run`` returns, per case, the poller-owned
cells that changed and the Sent log with every email owed this cycle added as
``pending`` under its deterministic Message-ID.  An id already present in the
Sent log is never added twice, so even a lost "Seen" cell cannot make a
second copy of an email the sheet already records.

For a case created this cycle the cells join its row (write 1), so the
notices are recorded *before* they are sent.  For an existing case they are
sent first and recorded in write 2; a crash in between is caught next cycle
because the same transition yields the same Message-ID (see
docs/architecture.md, "exactly once").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from automation.lifecycle import events as ev
from automation.lifecycle.transitions import Policy, advance
from automation.model import Priority
from automation.sheet import layout as col
from automation.sheet import sent_log as sentlog
from automation.sheet.threads import split_ids
from automation.tables.owner_tables import Tables


@dataclass
class LifecycleResult:
    changed: dict[str, dict[str, str]] = field(default_factory=dict)  # case -> poller cells
    counts: Counter[str] = field(default_factory=Counter)


def run(
    cases: Mapping[str, Mapping[str, str]],
    new_ids: set[str],
    now: datetime,
    tables: Tables,
    policy: Policy,
    cadences: Mapping[Priority, timedelta],
    domain: str,
    fmt: Callable[[datetime], str],
) -> LifecycleResult:
    result = LifecycleResult()
    for case_id, values in cases.items():
        entries = sentlog.parse(values.get(col.SENT_LOG, ""))
        plan = advance(
            values,
            [e.event for e in entries],
            case_id in new_ids,
            now,
            tables,
            policy,
            cadences,
            fmt,
        )
        result.counts.update(plan.counts)
        have = {e.message_id for e in entries}
        thread = split_ids(values.get(col.THREAD_IDS, ""))
        for owed in plan.owed:
            mid = sentlog.outgoing_id(case_id, owed.event, owed.source, domain)
            if mid in have:
                continue
            have.add(mid)
            entries.append(sentlog.Entry(owed.event, mid, sentlog.PENDING, now))
            if not ev.split(owed.event)[1]:
                thread.append(mid)  # a customer's reply to it must join this case
            result.counts["email owed"] += 1
        cells = dict(plan.cells)
        cells[col.SENT_LOG] = sentlog.render(entries)
        cells[col.THREAD_IDS] = col.cap_cell(" ".join(f"<{m}>" for m in thread))
        diff = {k: v for k, v in cells.items() if values.get(k, "") != v}
        if diff:
            result.changed[case_id] = diff
    return result
