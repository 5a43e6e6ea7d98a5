"""The decision core: one message (plus its case, if any) -> a ``Decision``.

Pure: no I/O, no clock reads (``now`` is passed in), same inputs give the same
decision.  The why names the phrases and signals that fired, the decision-tree
branch, and who was chosen or skipped and why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from automation.decide.hours import (
    add_business_time,
    add_clock_time,
    business_calendar,
    is_away,
    member_calendar,
)
from automation.decide.language import detect_language
from automation.decide.load import TeamLoad, effective_assignee
from automation.decide.matching import clean_subject, normalise
from automation.decide.origin import find_origin
from automation.decide.priority import decide_priority
from automation.decide.region import detect_region
from automation.decide.routing import Request, route
from automation.decide.topics import choose_topic, keep_case_topic
from automation.decide.triggers import analysed_text, find_triggers, own_text
from automation.model import CaseRow, Decision, Message, Priority
from automation.sheet import layout as columns
from automation.sheet.cells import cell_time, effective_priority
from automation.tables.owner_tables import Member, Tables


def _latest(case_history: Sequence[CaseRow] | CaseRow | None) -> CaseRow | None:
    if case_history is None or isinstance(case_history, CaseRow):
        return case_history
    return case_history[-1] if case_history else None


def due_times(
    priority: Priority, assignee: Member | None, tables: Tables, start: datetime
) -> tuple[datetime | None, datetime | None]:
    """First-response and resolution due for ``priority``, on the assignee's
    working hours (the business's when nobody is assigned) or around the clock."""
    promise = tables.commitment(priority)
    if promise is None:
        return None, None
    if promise.around_the_clock:
        return (
            add_clock_time(start, promise.first_response),
            add_clock_time(start, promise.resolution),
        )
    calendar = (
        member_calendar(assignee, tables)
        if assignee
        else business_calendar(tables.settings, tables)
    )
    return (
        add_business_time(start, promise.first_response, calendar),
        add_business_time(start, promise.resolution, calendar),
    )


def decide(
    message: Message,
    case_history: Sequence[CaseRow] | CaseRow | None,
    tables: Tables,
    team_load: TeamLoad,
    now: datetime,
) -> Decision:
    """Decide triggers, priority, role and routing for ``message``.

    ``case_history`` is the message's case row (or rows; the last is current) when
    the message continues a case; then the reply rules apply (``decide_reply``).
    ``team_load`` comes from ``team_load_from_cases``; pass the result of
    ``TeamLoad.with_assignment`` to the next call within one cycle."""
    case = _latest(case_history)
    if case is not None:
        return decide_reply(message, case, tables, team_load, now)
    return _decide(message, None, tables, team_load, now)


def _decide(
    message: Message,
    case: CaseRow | None,
    tables: Tables,
    team_load: TeamLoad,
    now: datetime,
    keep: Member | None = None,
) -> Decision:
    origin = find_origin(message, tables, now)
    sent = origin.sent or now
    forwarded = origin.forwarded_by is not None
    _, topic_text = analysed_text(message, forwarded)
    lang = detect_language(
        own_text(message, forwarded) or message.body_text, tables.settings.main_language
    )
    findings = find_triggers(message, case, tables, lang.code, origin.domain, now, forwarded)
    prio = decide_priority(findings, tables, case)
    subject = normalise(clean_subject(message.subject))
    topic = choose_topic(findings, normalise(topic_text), tables, lang.code, subject)
    if case is not None:
        topic = keep_case_topic(topic, case, findings, message, tables, lang.code)
    region = detect_region(origin.domain, message.date, tables)
    why: list[str] = []
    if origin.forwarded_by:
        why.append(f"forwarded by {origin.forwarded_by} for {origin.email}")
    why.append("triggers: " + ("; ".join(findings.evidence) if findings.evidence else "none"))
    if findings.ignored:
        why.append("ignored " + ", ".join(findings.ignored))
    why += [prio.why, topic.why, lang.why, region.why]
    chosen: Member | None
    notify: tuple[str, ...]
    if keep is not None:
        chosen, queued, notify = keep, False, ()
        why.append(f"{keep.name}: keeps the case (reply, same role)")
    else:
        request = Request(
            role=topic.role,
            priority=prio.priority,
            topic=topic.topic,
            account=findings.account,
            language=lang.code,
            region=region.name,
            needs_authority=findings.has("needs more authority"),
        )
        result = route(request, tables, team_load, now)
        chosen, queued, notify = result.assignee, result.queued, result.notify
        why += result.why
        if chosen is None and not queued:
            why.append("Unassigned: nobody is on the Team tab yet")
    first, resolution = due_times(prio.priority, chosen, tables, sent)
    backup = tables.member(chosen.backup) if chosen else None
    return Decision(
        triggers=findings.triggers,
        priority=prio.priority,
        role=topic.role,
        assignee=chosen.name if chosen else None,
        backup=backup.name if backup else None,
        first_response_due=first,
        resolution_due=resolution,
        why=". ".join(why) + ".",
        queued=queued,
        tier=chosen.tier if chosen else None,
        language=lang.code,
        region=region.name,
        notify=notify,
    )


def decide_reply(
    message: Message, case: CaseRow, tables: Tables, team_load: TeamLoad, now: datetime
) -> Decision:
    """A reply on an existing case: re-judged, but the case keeps its assignee
    (the team's Assignee cell, else Routed to) unless the role changes, in which
    case it is routed afresh.  A kept assignee who is now away stays, and the
    why says so, because a person chose them; their backup is notified."""
    fresh = _decide(message, case, tables, team_load, now)
    old_role = case.get(columns.ROLE).strip().casefold()
    current = tables.member(effective_assignee(case))
    if current is None or (old_role and fresh.role != old_role):
        note = f"role changed from {old_role} to {fresh.role}: routed afresh" if current else ""
        if note:
            return _with_why(fresh, note)
        return fresh
    kept = _still_critical(
        _decide(message, case, tables, team_load, now, keep=current), case, message
    )
    if tables.absences and is_away(current, tables, now):
        return _with_why(
            kept,
            f"{current.name} is away; tell their backup",
            notify=(current.backup,) if current.backup else (),
        )
    return kept


_SETTLED = re.compile(
    r"\b(?:resolved|fixed|sorted|settled|solved|works? (?:again|now|fine)|"
    r"working (?:again|now|fine)|"
    r"back (?:in service|up|online|to normal)|all (?:good|done)|went through|"
    r"(?:arrived|received|came through|credited)|no longer (?:needed|an issue)|relieved|"
    r"consider it closed|(?:that's|that is) fine|fine by us|"
    r"(?:they're|they are|it's) (?:right|correct)|"
    r"opgelost|funktioniert wieder|erledigt|résolu|réglé|resuelto|solucionado|risolto|resolvido|"
    r"ayos na)\b",
    re.IGNORECASE,
)


_STILL = re.compile(
    r"\bstill (?:\w+ ){0,2}"
    r"(?:fail\w*|throw\w*|error\w*|not|no|broken|down|waiting|missing|blocked)",
    re.IGNORECASE,
)


def _still_critical(decision: Decision, case: CaseRow, message: Message) -> Decision:
    """A reply on an open Critical case stays Critical unless its own text says the
    matter is settled: the situation that made it Critical (a halt, a leak, a
    dispute) does not end because the customer wrote again calmly, and when
    unsure the guide escalates."""
    if decision.priority is Priority.CRITICAL:
        return decision
    if effective_priority(case.values) is not Priority.CRITICAL:
        return decision
    text = normalise(message.new_text or "")
    settled = _SETTLED.search(text)
    if settled and not _STILL.search(text):
        return _with_why(decision, f'the Critical case is settled ("{settled.group(0)}")')
    return replace(
        decision,
        priority=Priority.CRITICAL,
        why=f"{decision.why} Critical: the case is Critical and this reply does not say "
        "it is settled (kept).",
    )


def _with_why(decision: Decision, note: str, notify: tuple[str, ...] = ()) -> Decision:
    return replace(
        decision,
        why=f"{decision.why} {note}.",
        notify=tuple(dict.fromkeys(decision.notify + notify)),
    )


def assign_queued(case: CaseRow, tables: Tables, team_load: TeamLoad, now: datetime) -> Decision:
    """Re-run assignment for a queued case (no assignee yet), from its row alone."""
    priority = effective_priority(case.values)
    role = case.get(columns.ROLE).strip().casefold() or tables.settings.default_role
    domain = case.get(columns.CUSTOMER_EMAIL).rpartition("@")[2].lower()
    account = tables.account_for(domain) if domain else None
    request = Request(
        role=role,
        priority=priority,
        account=account,
        language=case.get(columns.LANGUAGE) or None,
        region=case.get(columns.REGION) or None,
    )
    result = route(request, tables, team_load, now)
    chosen = result.assignee
    opened = _opened(case) or now
    first, resolution = due_times(priority, chosen, tables, opened)
    backup = tables.member(chosen.backup) if chosen else None
    triggers = tuple(t.strip() for t in case.get(columns.TRIGGERS_FOUND).split(",") if t.strip())
    return Decision(
        triggers=triggers,
        priority=priority,
        role=role,
        assignee=chosen.name if chosen else None,
        backup=backup.name if backup else None,
        first_response_due=first,
        resolution_due=resolution,
        why="queued case re-routed. " + ". ".join(result.why) + ".",
        queued=result.queued,
        tier=chosen.tier if chosen else None,
        language=case.get(columns.LANGUAGE) or None,
        region=case.get(columns.REGION) or None,
        notify=result.notify,
    )


def _opened(case: CaseRow) -> datetime | None:
    return cell_time(case.get(columns.OPENED))


__all__ = ["assign_queued", "decide", "decide_reply", "due_times"]
