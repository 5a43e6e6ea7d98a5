"""The steps of one poll cycle, in the order ``poll_cycle`` runs them.

Each step takes the cycle's plan and what earlier steps produced, does its
one piece of I/O through a port, and records what happened in the report.
A step that cannot go on returns None and the cycle stops there (nothing
later is attempted, so the inbox keeps every message for the next cycle).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from automation import state
from automation.cycle import followups
from automation.cycle.budget import MessageOverrun, time_budget
from automation.cycle.followups import Decider, Followup
from automation.cycle.intake import (
    NONCASE_HEADER,
    NONCASE_TAB,
    QUARANTINE_HEADER,
    QUARANTINE_TAB,
    Intake,
)
from automation.cycle.plan import CyclePlan, Work
from automation.cycle.runtime import CycleReport, Runtime
from automation.errors import SheetdeskError, StoreError, TransientError
from automation.lifecycle import apply as lifecycle
from automation.lifecycle.clock import cadences
from automation.model import CaseRow, frozen_map
from automation.outgoing import contexts as outgoing
from automation.outgoing import deliver as mailer
from automation.ports import CaseUpdate, ChangeSet, Grid, Snapshot, TabRows
from automation.review import health
from automation.review import report as reporting
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.tables.owner_tables import Tables

log = logging.getLogger("sheetdesk.cycle")


@dataclass(frozen=True)
class Reading:
    """Step 1's result: the sheet as read, and the decider bound to its tables."""

    snapshot: Snapshot
    decider: Decider
    previous: str  # the last cycle's outcome, for the Health tab


@dataclass(frozen=True)
class Written:
    """Step 4's result: the weekly review it recorded, and how many problems
    the Health tab written with it already shows."""

    review: reporting.Review | None
    problems_shown: int


@dataclass(frozen=True)
class Sent:
    """Step 5's result: the Sent log cells to record and how many emails wait."""

    sent_log: dict[str, str]
    held: int


@dataclass(frozen=True)
class Settled:
    """Step 6's result: which inbox keys to move and which to tag."""

    durable: tuple[str, ...]
    quarantined: tuple[str, ...]


def cut(report: CycleReport, problem: str) -> None:
    """The cycle stops here: said in the report and the log."""
    report.problems.append(problem)
    report.completed = False
    log.warning("cycle cut short: %s", problem)


# ------------------------------------------------------------------ 1 read
def read(rt: Runtime, plan: CyclePlan, report: CycleReport) -> Reading | None:
    """One ``store.load()``; the owner tabs parsed (or the last valid ones kept)."""
    try:
        snapshot = rt.store.load()
    except StoreError as exc:
        cut(report, f"store: {exc}")
        return None
    report.problems.extend(snapshot.problems)
    decider, table_problems = rt.decisions.for_cycle(snapshot, plan.now)
    report.problems.extend(table_problems)
    previous = state.last_outcome(rt.state)
    return Reading(snapshot, decider, previous)


# --------------------------------------------------------- 2 fetch, 3 intake
def take_mail(rt: Runtime, plan: CyclePlan, reading: Reading, report: CycleReport) -> Work:
    """Fetch (step 2) feeding intake one message at a time (step 3), then the
    queue and the lifecycle over every case; returns the frozen plan of work."""
    log_tabs = {t: reading.snapshot.tabs.get(t, ()) for t in (NONCASE_TAB, QUARANTINE_TAB)}
    intake = Intake.start(plan.intake, reading.decider, list(reading.snapshot.cases), log_tabs)
    fetched = _fetch_into(rt, plan, intake, report)
    decider, now = reading.decider, plan.now
    intake.merge(followups.assign_waiting(decider, plan.fmt, intake.cases, intake.creates, now))
    life = lifecycle.run(
        intake.cases,
        set(intake.creates),
        now,
        decider.tables,
        plan.policy,
        cadences(reading.snapshot.tabs),
        plan.config.message_id_domain,
        plan.fmt,
    )
    intake.merge(Followup(life.changed, life.counts))
    work = intake.finish(fetched)
    report.counts.update(work.counts)
    report.counts["fetched"] = fetched
    return work


def _fetch_into(rt: Runtime, plan: CyclePlan, intake: Intake, report: CycleReport) -> int:
    fetched = 0
    try:
        for item in rt.inbox.fetch(plan.fetch_limit):
            fetched += 1
            try:
                with time_budget(plan.config.poll.message_seconds):
                    intake.take(item, plan.now)
            except MessageOverrun as exc:  # fired outside intake's own guard
                intake.overran(item, plan.now, str(exc))
            if fetched % 100 == 0:  # a long backlog shows progress
                done = ", ".join(f"{v} {k}" for k, v in sorted(intake.counts.items()))
                log.info("%d messages handled so far (%s)", fetched, done)
    except TransientError as exc:
        report.problems.append(f"inbox: {exc} (after {fetched} messages; the rest next cycle)")
        report.completed = False
    return fetched


# ---------------------------------------------------------------- 4 write 1
def write_first(
    rt: Runtime, plan: CyclePlan, reading: Reading, work: Work, report: CycleReport
) -> Written | None:
    """New case rows, the Non-cases/Quarantine log rows, Health and (when due)
    Metrics with the weekly review recorded, in one ``store.apply``."""
    owed = len(mailer.pending(work.cases))
    tabs = {health.TAB: health_grid(plan, reading, work, report, owed)}
    shown = len(report.problems)
    # The review figures see this cycle's own work (new cases, lifecycle flags),
    # not only what the read returned.
    current = Snapshot(
        cases=tuple(CaseRow(cid, frozen_map(v)) for cid, v in work.cases.items()),
        tabs=reading.snapshot.tabs,
    )
    tables, cfg, now = reading.decider.tables, plan.config, plan.now
    review = reporting.due_review(current, now, cfg, tables)
    metrics = reporting.metrics_grid_if_due(current, now, cfg, tables, plan.fmt, review)
    if metrics is not None:
        tabs[reporting.TAB] = metrics
    first = ChangeSet(creates=work.created, appends=_log_rows(work), replace_tabs=tabs)
    try:
        result = rt.store.apply(first)
    except StoreError as exc:
        cut(report, f"store: {exc}; nothing was marked processed")
        return None
    report.created = list(result.created)
    report.problems.extend(result.problems)
    return Written(review, shown)


def _log_rows(work: Work) -> tuple[TabRows, ...]:
    rows = []
    if work.noncase_rows:
        rows.append(TabRows(NONCASE_TAB, NONCASE_HEADER, work.noncase_rows))
    if work.quarantine_rows:
        rows.append(TabRows(QUARANTINE_TAB, QUARANTINE_HEADER, work.quarantine_rows))
    return tuple(rows)


def health_grid(
    plan: CyclePlan, reading: Reading, work: Work, report: CycleReport, owed: int
) -> Grid:
    """The Health tab as of now, with ``owed`` emails still waiting."""
    facts = health.CycleFacts(
        problems=list(report.problems),
        fetched=work.fetched,
        fetch_limit=plan.fetch_limit,
        new_cases=len(work.created),
        new_quarantined=len(work.quarantine_rows),
        owed_emails=owed,
    )
    return health.grid(plan.now, plan.fmt, facts, reading.snapshot, reading.previous)


# ------------------------------------------------------------------- 5 send
def send(
    rt: Runtime,
    plan: CyclePlan,
    reading: Reading,
    work: Work,
    written: Written,
    report: CycleReport,
) -> Sent:
    """Every pending email and the weekly review when due, once each, over one
    outbox connection (see ``automation.outgoing.deliver``); returns the Sent
    log cells for write 2."""
    tables = reading.decider.tables
    built, unbuilt = _build_owed(rt, plan, work, tables, report)
    if written.review is not None:
        try:
            built.append(
                reporting.review_outgoing(written.review, plan.config, rt.templates, plan.now)
            )
        except (SheetdeskError, ValueError) as exc:
            report.problems.append(f"weekly review not built: {exc}")
    _warn_unconfirmed(rt, built, report)
    fresh = frozenset(o.entry.message_id for o in built if o.case_id in work.created_ids)
    mail = mailer.deliver(built, work.cases, rt.outbox, rt.ledger.ids(), plan.now, fresh)
    rt.ledger.add(mail.sent_ids)
    report.counts.update(mail.counts)
    report.problems.extend(mail.problems)
    if mail.unreachable:
        report.completed = False
    for case_id, message_id, settled_as, reason in unbuilt:
        # Settled, not owed for ever: the reason is in the Sent log and the report.
        cell = mail.sent_log.get(case_id, work.cases[case_id].get(columns.SENT_LOG, ""))
        mail.sent_log[case_id] = mailer.give_up(cell, message_id, settled_as, reason, plan.now)
    return Sent(mail.sent_log, mail.counts["email held"])


Unbuilt = tuple[str, str, str, str]  # case, Message-ID, Sent log state, reason


def _build_owed(
    rt: Runtime, plan: CyclePlan, work: Work, tables: Tables, report: CycleReport
) -> tuple[list[mailer.Outgoing], list[Unbuilt]]:
    built: list[mailer.Outgoing] = []
    unbuilt: list[Unbuilt] = []
    for case_id, entry in mailer.pending(work.cases):
        values = work.cases[case_id]
        try:
            email = outgoing.build(
                case_id, entry, values, plan.config, rt.templates, plan.now, tables
            )
        except (SheetdeskError, ValueError) as exc:  # one bad email must not stop the rest
            report.problems.append(f"{case_id}: {entry.event} not built: {exc}")
            report.counts["email refused"] += 1
            unbuilt.append((case_id, entry.message_id, sentlog.FAILED, str(exc)))
            continue
        if email is None:
            unbuilt.append((case_id, entry.message_id, sentlog.SUPPRESSED, "no recipient"))
        else:
            built.append(email)
    return built, unbuilt


def _warn_unconfirmed(rt: Runtime, built: Sequence[mailer.Outgoing], report: CycleReport) -> None:
    unsure = rt.ledger.unconfirmed() & {o.entry.message_id for o in built}
    for o in built:
        if o.entry.message_id in unsure:
            report.problems.append(
                f"{o.case_id}: {o.entry.event} email <{o.entry.message_id}> may have reached the "
                "mail server just before a crash; not resent, to avoid a duplicate"
            )


# ---------------------------------------------------------------- 6 write 2
def write_second(
    rt: Runtime,
    plan: CyclePlan,
    reading: Reading,
    work: Work,
    sent: Sent,
    written: Written,
    report: CycleReport,
) -> Settled:
    """Replies' bookkeeping, lifecycle cells and Sent log states in one
    ``store.apply``; with nothing to update, the Health tab again when
    something went wrong after write 1 (owners see an outbox outage)."""
    updates = {cid: dict(v) for cid, v in work.updates.items()}
    for case_id, cell in sent.sent_log.items():
        updates.setdefault(case_id, {})[columns.SENT_LOG] = cell
    if not updates:
        if len(report.problems) > written.problems_shown:
            grid = health_grid(plan, reading, work, report, sent.held)
            try:
                rt.store.apply(ChangeSet(replace_tabs={health.TAB: grid}))
            except StoreError as exc:
                report.problems.append(f"store: {exc}; Health tab not refreshed")
        return Settled(work.done_on_create, work.quarantined)
    change = ChangeSet(updates=tuple(CaseUpdate(c, frozen_map(v)) for c, v in updates.items()))
    try:
        done = rt.store.apply(change)
    except StoreError as exc:
        report.problems.append(f"store: {exc}; replies are redone next cycle")
        report.completed = False
        return Settled(work.done_on_create, work.quarantined)
    report.problems.extend(done.problems)
    return _settle_replies(work, done.updated, done.missing, report)


def _settle_replies(
    work: Work, updated: Sequence[str], missing: Sequence[str], report: CycleReport
) -> Settled:
    """A reply is done only when its case's update landed.  A deferred one (the
    store could not place the row safely) stays in the inbox and is redone;
    one whose case row was deleted is quarantined with the reason."""
    durable, quarantined = list(work.done_on_create), list(work.quarantined)
    for case_id in missing:
        report.problems.append(
            f"{case_id}: its row was deleted from the sheet; not written anywhere else"
        )
    for case_id, keys in work.update_keys.items():
        if case_id in updated:
            durable.extend(keys)
        elif case_id in missing:
            quarantined.extend(keys)
            report.counts["quarantined"] += len(keys)
        else:
            report.counts["reply deferred"] += len(keys)
    return Settled(tuple(durable), tuple(quarantined))


# ------------------------------------------------------------------ 7 inbox
def settle_inbox(rt: Runtime, settled: Settled, report: CycleReport) -> None:
    """Only what is durable in the sheet leaves the inbox; quarantined mail is tagged."""
    try:
        if settled.durable:
            rt.inbox.mark_processed(list(settled.durable))
        if settled.quarantined:
            rt.inbox.mark_quarantined(list(settled.quarantined))
    except TransientError as exc:
        report.problems.append(
            f"inbox: could not mark messages ({exc}); they are recognised by Message-ID next cycle"
        )
        report.completed = False
