"""One poll cycle: the single orchestrating function.

``poll_cycle`` is called by ``sheetdesk poll --once``, by the scheduler of
``sheetdesk run``, by ``sheetdesk demo`` and by the tests.  Its data flow:

1. **read**: one ``store.load()`` (the Cases tab and every routing tab);
2. **fetch**: up to N messages from the inbox, in chunks;
3. **intake**: each message on its own is parsed, classified, threaded or
   decided (errors become quarantine with a reason, never a crash);
4. **write 1**: new case rows (with their acknowledgements recorded as
   *pending* in the Sent log), Non-cases / Quarantine log rows, Health;
5. **send**: every pending email, once (see ``automation.mailer``);
6. **write 2**: replies' bookkeeping and the Sent log states;
7. **inbox**: messages whose effects are now durable are moved (or flagged);
   quarantined ones are tagged and stay in the inbox.

A failure at step 4 leaves the inbox untouched, so the next cycle redoes the
work; the sheet's Message-IDs make that redo harmless.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from automation import columns, health, logfmt, mailer, outgoing, sentlog
from automation import report as reporting
from automation.casetag import CaseTagger
from automation.config import Config
from automation.decide.tables import DEFAULT_TABLES, Tables
from automation.decisions import DecisionSource
from automation.errors import SheetdeskError, StoreError, TransientError
from automation.intake import (
    NONCASE_HEADER,
    NONCASE_TAB,
    QUARANTINE_HEADER,
    QUARANTINE_TAB,
    Intake,
    IntakeSettings,
)
from automation.ledger import Ledger
from automation.lifecycle import apply as lifecycle
from automation.lifecycle.clock import cadences
from automation.lifecycle.transitions import Policy
from automation.model import CaseRow, frozen_map
from automation.ports import (
    CaseStore,
    CaseUpdate,
    ChangeSet,
    Grid,
    Inbox,
    Outbox,
    Snapshot,
    TabRows,
)
from automation.templates import TemplateSet

log = logging.getLogger("sheetdesk.cycle")


@dataclass
class Runtime:
    """Everything a cycle needs, built once per process."""

    config: Config
    inbox: Inbox
    outbox: Outbox
    store: CaseStore
    templates: TemplateSet
    decisions: DecisionSource
    ledger: Ledger

    @property
    def tagger(self) -> CaseTagger:
        b = self.config.business
        return CaseTagger(b.case_tag, b.case_id_prefix, b.first_case_number)


@dataclass
class CycleReport:
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    completed: bool = True  # False when a transient failure cut the cycle short

    @property
    def exit_code(self) -> int:
        if not self.completed:
            return 75
        if self.counts["quarantined"] or self.counts["email refused"]:
            return 4
        return 0

    def summary(self) -> str:
        parts = [f"{v} {k}" for k, v in sorted(self.counts.items()) if v]
        return ", ".join(parts) or "nothing to do"


def poll_cycle(rt: Runtime, now: datetime) -> CycleReport:
    """Run one cycle at time ``now`` (timezone-aware).  Never raises for one
    message; raises nothing for a peer outage either: the report says what
    happened and ``completed`` is False.  Its log lines carry a cycle id."""
    with logfmt.cycle(now):
        return _cycle(rt, now)


def _cycle(rt: Runtime, now: datetime) -> CycleReport:
    report = CycleReport()
    cfg = rt.config
    tz = ZoneInfo(cfg.business.time_zone)

    def fmt(dt: datetime) -> str:
        return dt.astimezone(tz).isoformat(sep=" ", timespec="minutes")

    try:
        snapshot = rt.store.load()
    except StoreError as exc:
        return _cut(report, f"store: {exc}")
    report.problems.extend(snapshot.problems)
    decider, table_problems = rt.decisions.for_cycle(snapshot, now)
    report.problems.extend(table_problems)

    settings = IntakeSettings(
        tagger=rt.tagger,
        own_addresses=cfg.own_addresses,
        own_domains=frozenset(d.lower() for d in cfg.business.own_domains),
        message_id_domain=cfg.message_id_domain,
        max_message_bytes=cfg.poll.max_message_bytes,
        ack_limit_per_sender=cfg.poll.ack_limit_per_sender,
        ack_window=timedelta(minutes=cfg.poll.ack_window_minutes),
        fmt_time=fmt,
    )
    log_tabs = {t: snapshot.tabs.get(t, ()) for t in (NONCASE_TAB, QUARANTINE_TAB)}
    intake = Intake.start(settings, decider, list(snapshot.cases), log_tabs)

    fetched = 0
    try:
        for item in rt.inbox.fetch(cfg.poll.max_messages_per_cycle):
            fetched += 1
            intake.take(item, now)
            if fetched % 100 == 0:  # a long backlog shows progress
                log.info("%d messages handled so far (%s)", fetched,
                         ", ".join(f"{v} {k}" for k, v in sorted(intake.counts.items())))
    except TransientError as exc:
        report.problems.append(f"inbox: {exc} (after {fetched} messages; the rest next cycle)")
        report.completed = False
    intake.assign_waiting(now)
    report.counts.update(intake.counts)
    report.counts["fetched"] = fetched

    # The lifecycle: the team's edits and the clocks, over every case.
    tables: Tables = getattr(decider, "tables", DEFAULT_TABLES)
    life = lifecycle.run(intake.cases, set(intake.creates), now, tables, _policy(cfg),
                         cadences(snapshot.tabs), cfg.message_id_domain, fmt)
    report.counts.update(life.counts)
    life_updates: dict[str, dict[str, str]] = {}
    for case_id, cells in life.changed.items():
        intake.cases[case_id].update(cells)
        if case_id in intake.creates:
            intake.creates[case_id].update(cells)
        else:
            life_updates[case_id] = cells

    # Write 1: creates, log rows, Health.
    appends = []
    if intake.noncase_rows:
        appends.append(TabRows(NONCASE_TAB, NONCASE_HEADER, tuple(intake.noncase_rows)))
    if intake.quarantine_rows:
        appends.append(TabRows(QUARANTINE_TAB, QUARANTINE_HEADER, tuple(intake.quarantine_rows)))
    owed = mailer.pending(intake.cases)
    outcome_file = cfg.path(cfg.poll.state_dir) / "last-cycle.json"
    previous = health.load_outcome(outcome_file)

    def health_now(emails_owed: int) -> Grid:
        facts = health.CycleFacts(
            problems=list(report.problems), fetched=fetched,
            fetch_limit=cfg.poll.max_messages_per_cycle, new_cases=len(intake.creates),
            new_quarantined=len(intake.quarantine_rows), owed_emails=emails_owed)
        return health.grid(now, fmt, facts, snapshot, previous)

    health_grid = health_now(len(owed))
    problems_at_write_1 = len(report.problems)
    replace_tabs = {health.TAB: health_grid}
    # The review figures see this cycle's own work (new cases, lifecycle flags),
    # not only what the read returned.
    current = Snapshot(cases=tuple(CaseRow(cid, frozen_map(v)) for cid, v in intake.cases.items()),
                       tabs=snapshot.tabs)
    review = reporting.due_review(current, now, cfg, tables)
    metrics_grid = reporting.metrics_grid_if_due(current, now, cfg, tables, fmt, review)
    if metrics_grid is not None:
        replace_tabs[reporting.TAB] = metrics_grid
    first = ChangeSet(creates=intake.new_cases(), appends=tuple(appends),
                      replace_tabs=replace_tabs)
    try:
        result = rt.store.apply(first)
    except StoreError as exc:
        return _cut(report, f"store: {exc}; nothing was marked processed")
    report.created = list(result.created)
    report.problems.extend(result.problems)

    # Send what is owed, then record it (write 2, with the replies' updates).
    outgoing_mail = []
    unbuilt: list[tuple[str, str, str, str]] = []  # case, Message-ID, state, reason
    for case_id, entry in owed:
        try:
            built = outgoing.build(case_id, entry, intake.cases[case_id], cfg, rt.templates, now,
                                   tables)
        except (SheetdeskError, ValueError) as exc:  # one bad email must not stop the rest
            report.problems.append(f"{case_id}: {entry.event} not built: {exc}")
            report.counts["email refused"] += 1
            unbuilt.append((case_id, entry.message_id, sentlog.FAILED, str(exc)))
            continue
        if built is None:
            unbuilt.append((case_id, entry.message_id, sentlog.SUPPRESSED, "no recipient"))
        else:
            outgoing_mail.append(built)
    unsure = rt.ledger.unconfirmed() & {o.entry.message_id for o in outgoing_mail}
    for o in outgoing_mail:
        if o.entry.message_id in unsure:
            report.problems.append(
                f"{o.case_id}: {o.entry.event} email <{o.entry.message_id}> may have reached the "
                "mail server just before a crash; not resent, to avoid a duplicate")
    fresh = frozenset(o.entry.message_id for o in outgoing_mail if o.case_id in intake.creates)
    mail = mailer.deliver(outgoing_mail, intake.cases, rt.outbox, rt.ledger.ids(), now, fresh)
    rt.ledger.add(mail.sent_ids)
    report.counts.update(mail.counts)
    report.problems.extend(mail.problems)
    if mail.unreachable:
        report.completed = False
    for case_id, message_id, state, reason in unbuilt:
        # Settled, not owed for ever: the reason is in the Sent log and the report.
        cell = mail.sent_log.get(case_id, intake.cases[case_id].get(columns.SENT_LOG, ""))
        mail.sent_log[case_id] = mailer.give_up(cell, message_id, state, reason, now)

    if review is not None:
        report.counts.update(reporting.send_review(review, rt.outbox, rt.ledger, now))

    updates = {cid: dict(v) for cid, v in intake.updates.items()}
    for case_id, cells in life_updates.items():
        updates.setdefault(case_id, {}).update(cells)
    for case_id, cell in mail.sent_log.items():
        updates.setdefault(case_id, {})[columns.SENT_LOG] = cell
    durable = list(intake.done_on_create)
    quarantined = list(intake.quarantined)
    if not updates and len(report.problems) > problems_at_write_1:
        # No second write is needed, so its slot carries the Health tab again:
        # owners see what went wrong after the first write (an outbox outage).
        try:
            rt.store.apply(ChangeSet(replace_tabs={health.TAB: health_now(
                mail.counts["email held"])}))
        except StoreError as exc:
            report.problems.append(f"store: {exc}; Health tab not refreshed")
    if updates:
        change = ChangeSet(updates=tuple(CaseUpdate(cid, frozen_map(v))
                                         for cid, v in updates.items()))
        try:
            done = rt.store.apply(change)
            report.problems.extend(done.problems)
            for case_id in done.missing:
                report.problems.append(f"{case_id}: its row was deleted from the sheet; "
                                       "not written anywhere else")
            # A reply is done only when its case's update landed.  A deferred one
            # (the store could not place the row safely) stays in the inbox and is
            # redone; one whose case row was deleted is quarantined with the reason.
            for case_id, keys in intake.update_keys.items():
                if case_id in done.updated:
                    durable.extend(keys)
                elif case_id in done.missing:
                    quarantined.extend(keys)
                    report.counts["quarantined"] += len(keys)
                else:
                    report.counts["reply deferred"] += len(keys)
        except StoreError as exc:
            report.problems.append(f"store: {exc}; replies are redone next cycle")
            report.completed = False

    # Inbox last: only what is durable in the sheet leaves the inbox.
    try:
        if durable:
            rt.inbox.mark_processed(durable)
        if quarantined:
            rt.inbox.mark_quarantined(quarantined)
    except TransientError as exc:
        report.problems.append(f"inbox: could not mark messages ({exc}); they are "
                               "recognised by Message-ID next cycle")
        report.completed = False
    for problem in report.problems:
        log.warning("%s", problem, extra=logfmt.case_extra(problem, intake.cases))
    ending = "complete" if report.completed else "cut short"
    health.save_outcome(outcome_file, f"{fmt(now)}: {ending}, exit {report.exit_code}; "
                        f"{report.summary()}" + (f"; {report.problems[-1]}"
                                                  if report.problems else ""))
    log.info("cycle at %s: %s", now.astimezone(UTC).isoformat(timespec="seconds"),
             report.summary())
    return report


def _policy(cfg: Config) -> Policy:
    life = cfg.lifecycle
    return Policy(close_after=timedelta(days=life.close_after_days),
                  warn_share=life.warn_at_share, still_on_it=life.still_on_it_updates)


def _cut(report: CycleReport, problem: str) -> CycleReport:
    report.problems.append(problem)
    report.completed = False
    log.warning("cycle cut short: %s", problem)
    return report
