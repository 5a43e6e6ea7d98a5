"""Turning fetched messages into planned sheet changes, one message at a time.

``Intake`` holds a working copy of the Cases tab for one cycle, so that a
message and its reply in the same batch land on the same case.  Each message
is handled on its own: whatever goes wrong with one is recorded as quarantine
with a reason, and the next message is handled as if nothing happened.

Nothing here does I/O; the cycle applies the plan afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from automation.cycle import followups, joining
from automation.cycle.followups import Decider, Followup
from automation.cycle.plan import IntakeSettings, Work
from automation.errors import ParseError
from automation.mail.classify import classify
from automation.mail.reader import MB, parse_message
from automation.mail.sender_auth import (
    UNCHECKED,
    SenderAuth,
    no_echo_note,
    reply_target,
    sender_auth,
    unverified,
)
from automation.model import CaseRow, InboxItem, Message, Verdict, frozen_map
from automation.outgoing.compose import usable_address
from automation.ports import NewCase
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.cells import cell_int
from automation.sheet.layout import NONCASE_HEADER, NONCASE_TAB, QUARANTINE_HEADER, QUARANTINE_TAB
from automation.sheet.threads import ThreadIndex, split_ids

__all__ = ["NONCASE_HEADER", "NONCASE_TAB", "QUARANTINE_HEADER", "QUARANTINE_TAB", "Intake"]


@dataclass
class Intake:
    settings: IntakeSettings
    decider: Decider
    cases: dict[str, dict[str, str]]
    index: ThreadIndex
    known_log_ids: set[str]  # Message-IDs already in the Non-cases / Quarantine tabs
    next_number: int
    creates: dict[str, dict[str, str]] = field(default_factory=dict)
    updates: dict[str, dict[str, str]] = field(default_factory=dict)
    noncase_rows: list[tuple[str, ...]] = field(default_factory=list)
    quarantine_rows: list[tuple[str, ...]] = field(default_factory=list)
    done_on_create: list[str] = field(default_factory=list)  # durable after write 1
    # Replies on existing cases: durable only once write 2 placed their case's update.
    update_keys: dict[str, list[str]] = field(default_factory=dict)  # case ID -> inbox keys
    quarantined: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    acks: dict[str, list[datetime]] = field(default_factory=dict)

    # ----------------------------------------------------------------- setup
    @classmethod
    def start(
        cls,
        settings: IntakeSettings,
        decider: Decider,
        cases: list[CaseRow],
        log_tabs: Mapping[str, tuple[tuple[str, ...], ...]],
    ) -> Intake:
        working = {c.case_id: dict(c.values) for c in cases}
        known: set[str] = set()
        for grid in log_tabs.values():
            if grid:
                header = list(grid[0])
                if columns.LOG_MESSAGE_ID in header:
                    col = header.index(columns.LOG_MESSAGE_ID)
                    known.update(r[col].lower() for r in grid[1:] if len(r) > col and r[col])
        intake = cls(
            settings=settings,
            decider=decider,
            cases=working,
            index=ThreadIndex.build(settings.tagger, cases),
            known_log_ids=known,
            next_number=settings.tagger.next_number(working),
        )
        for case_id, values in working.items():
            intake._remember_acks(values, case_id)
        return intake

    def _remember_acks(self, values: Mapping[str, str], case_id: str) -> None:
        email = values.get(columns.CUSTOMER_EMAIL, "").lower()
        for entry in sentlog.parse(values.get(columns.SENT_LOG, "")):
            if entry.event == "ack" and entry.state in (sentlog.SENT, sentlog.PENDING) and entry.at:
                self.acks.setdefault(email, []).append(entry.at)

    # ------------------------------------------------------------- messages
    def take(self, item: InboxItem, now: datetime) -> None:
        """Handle one fetched message; never raises."""
        if item.oversized is not None:  # the inbox read its header only
            self._oversized(item, now)
            return
        try:
            message = parse_message(item.raw, item.key, max_bytes=self.settings.max_message_bytes)
        except ParseError as exc:
            self._quarantine(item.key, now, f"cannot parse: {exc}", None)
            return
        except Exception as exc:  # a parser bug must not block the messages behind it
            self._quarantine(item.key, now, f"parser failed: {type(exc).__name__}: {exc}", None)
            return
        try:
            self._route(message, now)
        except Exception as exc:
            self._quarantine(item.key, now, f"{type(exc).__name__}: {exc}", message)

    def overran(self, item: InboxItem, now: datetime, reason: str) -> None:
        """The time budget ran out just outside ``take``'s guard: quarantine the
        message unless it was already handled."""
        handled = set(self.done_on_create) | set(self.quarantined)
        handled.update(k for keys in self.update_keys.values() for k in keys)
        if item.key not in handled:
            self._quarantine(item.key, now, reason, None)

    def _oversized(self, item: InboxItem, now: datetime) -> None:
        size, limit = (item.oversized or 0) / MB, self.settings.max_message_bytes / MB
        reason = f"cannot parse: message is {size:.1f} MB, over the {limit:.0f} MB limit"
        try:  # the header alone names sender, subject and id for the Quarantine row
            head = parse_message(item.raw, item.key, max_bytes=self.settings.max_message_bytes)
        except Exception:
            head = None
        self._quarantine(item.key, now, reason, head)

    def _route(self, message: Message, now: datetime) -> None:
        s = self.settings
        verdict = classify(
            message,
            own_addresses=s.own_addresses,
            own_domains=s.own_domains,
            protected_domains=frozenset(a.domain for a in self.decider.tables.accounts),
        )
        if verdict.kind.value == "quarantine":
            self._quarantine(message.key, now, verdict.reason, message)
            return
        if not verdict.is_case:
            self._non_case(message, verdict, now)
            return
        seen = self.index.seen(message)
        if seen is not None and seen in self.cases:
            if joining.same_message(self.cases[seen], message):
                # Already on a case (a crash after the sheet write, or a re-delivery).
                self.counts["duplicate"] += 1
                self._repair_thread(seen, message)
                self.done_on_create.append(message.key)
                return
            # Same id, another sender or another text: a different message, never dropped.
            self.counts["reused Message-ID"] += 1
            message = joining.with_reused_id(message)
            if self.index.seen(message) is not None:
                self.counts["duplicate"] += 1
                self.done_on_create.append(message.key)
                return
        auth = sender_auth(message.headers, s.authserv_ids)
        claimed = [(c, how) for c, how in self.index.candidates(message) if c in self.cases]
        for case_id, _how in claimed:
            if joining.may_join(self.cases[case_id], message, auth, s.thread_same_domain):
                self._reply(case_id, message, now)
                return
        link = joining.stranger_note(*claimed[0], message) if claimed else ""
        if link:
            self.counts["different sender"] += 1
        self._new_case(message, now, auth, link)

    def _repair_thread(self, case_id: str, message: Message) -> None:
        """Put a re-delivered message's id back into a Thread IDs cell a person cleared."""
        row = self.cases[case_id]
        thread = split_ids(row.get(columns.THREAD_IDS, ""))
        if message.message_id.lower() in {t.lower() for t in thread}:
            return
        ours = [e.message_id for e in sentlog.parse(row.get(columns.SENT_LOG, ""))]
        known = {t.lower() for t in thread}
        ids = [message.message_id, *thread, *(m for m in ours if m.lower() not in known)]
        change = {columns.THREAD_IDS: columns.cap_cell(" ".join(f"<{m}>" for m in ids))}
        row.update(change)
        target = self.creates if case_id in self.creates else self.updates
        target.setdefault(case_id, {}).update(change)
        self.index.add_case(case_id, ids)
        self.index.damaged.pop(case_id, None)
        self.counts["thread ids repaired"] += 1

    def _non_case(self, message: Message, verdict: Verdict, now: datetime) -> None:
        self.counts[f"non-case {verdict.kind.value}"] += 1
        if message.message_id.lower() not in self.known_log_ids:
            self.known_log_ids.add(message.message_id.lower())
            self.noncase_rows.append(
                (
                    self.settings.fmt_time(now),
                    verdict.kind.value,
                    verdict.reason,
                    str(message.sender or ""),
                    message.subject,
                    message.message_id,
                    message.key,
                )
            )
        self.done_on_create.append(message.key)

    def _quarantine(self, key: str, now: datetime, reason: str, message: Message | None) -> None:
        self.counts["quarantined"] += 1
        mid = message.message_id if message else ""
        if not mid or mid.lower() not in self.known_log_ids:
            if mid:
                self.known_log_ids.add(mid.lower())
            self.quarantine_rows.append(
                (
                    self.settings.fmt_time(now),
                    columns.cap_cell(reason, 2000),
                    str(message.sender or "") if message else "",
                    message.subject if message else "",
                    mid,
                    key,
                )
            )
        self.quarantined.append(key)

    # ---------------------------------------------------------------- cases
    def _new_case(
        self, message: Message, now: datetime, auth: SenderAuth = UNCHECKED, link: str = ""
    ) -> None:
        s = self.settings
        number = self.next_number
        case_id = s.tagger.case_id(number)
        decision = self.decider.decide(unverified(message, auth), None, now)
        customer, reply_note = reply_target(message, auth)
        email = customer.email if customer else ""
        ack_id = sentlog.outgoing_id(case_id, "ack", message.message_id, s.message_id_domain)
        entries, ack_note = self._plan_ack(email, ack_id, now)
        note = "\n".join(n for n in (link, reply_note, no_echo_note(auth), ack_note) if n)
        tz = message.date.strftime("%z") if message.date else ""
        values = {
            columns.CASE_ID: case_id,
            columns.OPENED: s.fmt_time(now),
            columns.CUSTOMER: customer.name if customer else "",
            columns.CUSTOMER_EMAIL: email,
            columns.SUBJECT: columns.cap_cell(message.subject),
            columns.TRIGGERS_FOUND: ", ".join(decision.triggers),
            columns.PRIORITY_AUTO: decision.priority.label,
            columns.ROLE: decision.role,
            columns.ROUTED_TO: decision.assignee or "",
            columns.BACKUP: decision.backup or "",
            columns.WHY: columns.cap_cell(decision.why),
            columns.FIRST_RESPONSE_DUE: _fmt_opt(s.fmt_time, decision.first_response_due),
            columns.RESOLUTION_DUE: _fmt_opt(s.fmt_time, decision.resolution_due),
            columns.LAST_CUSTOMER_MESSAGE: s.fmt_time(message.date or now),
            columns.LATEST_TEXT: _latest_text(message),
            columns.MESSAGES: "1",
            columns.LANGUAGE: decision.language or "",
            columns.REGION: decision.region or "",
            columns.CUSTOMER_TZ: f"{tz[:3]}:{tz[3:]}" if tz else "",
            columns.THREAD_IDS: columns.cap_cell(f"<{message.message_id}> <{ack_id}>"),
            columns.SENT_LOG: sentlog.render(entries),
            columns.POLLER_NOTE: note,
            columns.STATUS: "Assigned" if decision.assignee else "New",
            columns.ASSIGNEE: decision.assignee or "",
            columns.PRIORITY: decision.priority.label,
            columns.MESSAGE_TO_CUSTOMER: "",
            columns.RESOLUTION: "",
            columns.NOTES: "",
        }
        if decision.assignee:
            self.decider.assigned(decision.assignee)
        self.next_number += 1
        self.cases[case_id] = values
        self.creates[case_id] = values
        self.index.add_case(case_id, [message.message_id, ack_id])
        self.counts["case created"] += 1
        self.done_on_create.append(message.key)

    def _plan_ack(self, email: str, ack_id: str, now: datetime) -> tuple[list[sentlog.Entry], str]:
        """The new case's acknowledgement: owed, rate-capped (an auto-responder
        loop) or impossible (no usable address); with the note for the row."""
        s = self.settings
        if not email or not usable_address(email):
            self.counts["ack impossible"] += 1
            shown = f" ({email})" if email else ""
            return [], f"no usable reply address{shown}: no acknowledgement sent"
        if self._ack_allowed(email, now):
            self.acks.setdefault(email, []).append(now)
            return [sentlog.Entry("ack", ack_id, sentlog.PENDING, now)], ""
        self.counts["ack suppressed"] += 1
        return [sentlog.Entry("ack", ack_id, sentlog.SUPPRESSED, now, "rate-cap")], (
            f"acknowledgement suppressed: {s.ack_limit_per_sender} already sent to "
            f"{email} within {int(s.ack_window.total_seconds() // 60)} min "
            "(possible auto-responder loop)"
        )

    def _reply(self, case_id: str, message: Message, now: datetime) -> None:
        s = self.settings
        row = self.cases[case_id]
        count = cell_int(row.get(columns.MESSAGES, "")) + 1
        thread = split_ids(row.get(columns.THREAD_IDS, ""))
        thread.append(message.message_id)
        change = {
            columns.MESSAGES: str(count),
            columns.LAST_CUSTOMER_MESSAGE: s.fmt_time(message.date or now),
            columns.LATEST_TEXT: _latest_text(message),
            columns.THREAD_IDS: columns.cap_cell(" ".join(f"<{m}>" for m in thread)),
        }
        auth = sender_auth(message.headers, s.authserv_ids)
        judged = followups.redecide(
            self.decider,
            s.fmt_time,
            CaseRow(case_id, frozen_map(row)),
            unverified(message, auth),
            now,
        )
        change.update(judged.changes[case_id])
        self.counts.update(judged.counts)
        status = row.get(columns.STATUS, "").strip().lower()
        if status in ("resolved", "closed"):
            change[columns.POLLER_NOTE] = (
                f"REOPENED {s.fmt_time(now)}: the customer replied after "
                f"the case was marked {row.get(columns.STATUS)}; set Status"
            )
            self.counts["reopened"] += 1
        self.counts["reply threaded"] += 1
        row.update(change)
        self.index.add_message(case_id, message.message_id)
        if case_id in self.creates:
            self.creates[case_id].update(change)
            self.done_on_create.append(message.key)
        else:
            self.updates.setdefault(case_id, {}).update(change)
            self.update_keys.setdefault(case_id, []).append(message.key)

    # ------------------------------------------------------------ follow-ups
    def merge(self, followup: Followup) -> None:
        """Poller cells changed after intake (the queue, the lifecycle) join the
        working copy, and either the new row (write 1) or the case's update
        (write 2)."""
        for case_id, cells in followup.changes.items():
            self.cases[case_id].update(cells)
            if case_id not in self.creates:
                self.updates.setdefault(case_id, {}).update(cells)
        self.counts.update(followup.counts)

    def finish(self, fetched: int) -> Work:
        """The frozen plan of everything this intake decided."""
        return Work(
            cases={cid: frozen_map(v) for cid, v in self.cases.items()},
            created=self.new_cases(),
            updates={cid: frozen_map(v) for cid, v in self.updates.items()},
            noncase_rows=tuple(self.noncase_rows),
            quarantine_rows=tuple(self.quarantine_rows),
            done_on_create=tuple(self.done_on_create),
            update_keys={cid: tuple(keys) for cid, keys in self.update_keys.items()},
            quarantined=tuple(self.quarantined),
            fetched=fetched,
            counts=Counter(self.counts),
        )

    # ----------------------------------------------------------------- misc
    def _ack_allowed(self, email: str, now: datetime) -> bool:
        window_start = now - self.settings.ack_window
        recent = [t for t in self.acks.get(email, []) if t >= window_start]
        return len(recent) < self.settings.ack_limit_per_sender

    def new_cases(self) -> tuple[NewCase, ...]:
        return tuple(NewCase(cid, frozen_map(v)) for cid, v in self.creates.items())


def _latest_text(message: Message) -> str:
    text = (message.new_text or message.body_text).strip()
    return columns.cap_cell(text, columns.LATEST_TEXT_LIMIT)


def _fmt_opt(fmt: Callable[[datetime], str], value: datetime | None) -> str:
    return fmt(value) if value else ""
