"""One poll cycle: the single orchestrating function.

``poll_cycle`` is called by ``sheetdesk poll --once``, by the scheduler of
``sheetdesk run``, by ``sheetdesk demo`` and by the tests.  The steps live in
``automation.cycle.steps``; this module only puts them in order.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from automation import state
from automation.cycle import steps
from automation.cycle.plan import CyclePlan
from automation.cycle.runtime import CycleReport, Runtime
from automation.errors import InboxError, LockHeldError
from automation.service import logfmt

__all__ = ["CycleReport", "Runtime", "poll_cycle"]

log = logging.getLogger("sheetdesk.cycle")


def poll_cycle(rt: Runtime, now: datetime) -> CycleReport:
    """Run one cycle at ``now`` (timezone-aware), in seven steps:

    1. **read**: one ``store.load()`` (the Cases tab and every owner tab);
    2. **fetch**: up to N messages from the inbox, in chunks;
    3. **intake**: each message on its own is parsed, classified, threaded or
       decided (errors become quarantine with a reason, never a crash); then
       queued cases are offered to whoever has room, and the lifecycle turns
       the team's edits and the clocks into cells and owed emails;
    4. **write 1**: new case rows (their emails recorded as *pending* in the
       Sent log), Non-cases / Quarantine log rows, Health, Metrics;
    5. **send**: every pending email, once, and the weekly review when due;
    6. **write 2**: replies' bookkeeping, lifecycle cells, Sent log states;
    7. **inbox**: messages whose effects are durable are moved (or flagged);
       quarantined ones are tagged and stay in the inbox.

    Never raises for one message nor for a peer outage: the report says what
    happened, and ``completed`` is False when a step was cut short.  A failure
    at step 1 or 4 leaves the inbox untouched, so the next cycle redoes the
    work; the sheet's Message-IDs make that redo harmless.  Its log lines
    carry a cycle id (and a case id where a line is about one case).
    """
    with logfmt.cycle(now):
        return _run(rt, now)


def _run(rt: Runtime, now: datetime) -> CycleReport:
    plan = CyclePlan.build(rt.config, now)
    report = CycleReport()
    if not _hold_lease(rt, now, report):
        return report
    reading = steps.read(rt, plan, report)
    if reading is None:
        return report
    work = steps.take_mail(rt, plan, reading, report)
    written = steps.write_first(rt, plan, reading, work, report)
    if written is None:
        return report
    sent = steps.send(rt, plan, reading, work, written, report)
    settled = steps.write_second(rt, plan, reading, work, sent, written, report)
    steps.settle_inbox(rt, settled, report)
    _finish(rt, plan, report, work.cases)
    return report


def _hold_lease(rt: Runtime, now: datetime, report: CycleReport) -> bool:
    """Step 0: the mailbox lease, before anything is read, so that a second runner
    (another host, another state directory) never works from a sheet the first
    one is about to change."""
    if rt.lease is None:
        return True
    try:
        rt.lease.hold(now)
    except (LockHeldError, InboxError) as exc:
        report.problems.append(str(exc))
        report.completed = False
        log.warning("cycle not run: %s", exc)
        return False
    return True


def _finish(rt: Runtime, plan: CyclePlan, report: CycleReport, cases: Mapping[str, object]) -> None:
    """Log the problems and keep the outcome for the next cycle's Health tab."""
    for problem in report.problems:
        log.warning("%s", problem, extra=logfmt.case_extra(problem, cases))
    ending = "complete" if report.completed else "cut short"
    last = f"; {report.problems[-1]}" if report.problems else ""
    state.save_outcome(
        rt.state,
        f"{plan.fmt(plan.now)}: {ending}, exit {report.exit_code}; {report.summary()}{last}",
    )
    when = plan.now.astimezone(UTC).isoformat(timespec="seconds")
    log.info("cycle at %s: %s", when, report.summary())
