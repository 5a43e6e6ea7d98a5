"""What each customer-facing email says: template contexts built from a case row.

Contexts are built from the row's values alone (not from the message that
opened the case), so an email held back by an outage renders the same way on
a later cycle, even after the local state is gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from automation.config import Config
from automation.lifecycle import events
from automation.mail.sender_auth import NO_ECHO_NOTE
from automation.model import Address
from automation.outgoing import compose, wording
from automation.outgoing.compose import Outgoing, thread_headers
from automation.outgoing.templates import TemplateSet
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.cells import cell_time, effective_assignee, effective_priority
from automation.tables.owner_tables import DEFAULT_TABLES, Member, Tables


def customer_of(values: Mapping[str, str]) -> Address | None:
    email = values.get(columns.CUSTOMER_EMAIL, "").strip().lower()
    return Address(values.get(columns.CUSTOMER, ""), email) if email else None


def review_context(
    config: Config, week: str, rows: Sequence[tuple[str, str]], breached: Sequence[str]
) -> dict[str, Any]:
    """What ``weekly_review.j2`` may use: the business and the week's figures."""
    return {
        "business": {
            "name": config.business.name,
            "signature": config.business.signature,
            "reply_address": config.business.support_address,
            "sheet_url": config.business.sheet_url,
        },
        "review": {
            "week": week,
            "rows": [{"what": what, "value": value} for what, value in rows],
            "breached": list(breached),
            "chart_name": f"review-{week}.png",
        },
    }


def parse_offset(text: str) -> timezone | None:
    text = text.strip()
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        delta = timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
    except ValueError:
        return None
    return timezone(delta if text[0] == "+" else -delta)


def readable(when: datetime, tz: timezone | None, language: str = wording.DEFAULT) -> str:
    return wording.when(when, tz, language)


def reference(config: Config, case_id: str) -> tuple[str, str]:
    """The case tag for subjects (``[Case #1042]``) and the same reference as it
    reads in a sentence (``Case #1042``): one format everywhere a customer looks."""
    number = "".join(ch for ch in case_id if ch.isdigit())
    tag = config.business.case_tag.format(number=int(number)) if number else case_id
    return tag, tag.strip().strip("[]()<>{}").strip() or case_id


def ack_context(
    values: Mapping[str, str], config: Config, tables: Tables = DEFAULT_TABLES
) -> dict[str, Any]:
    """What a customer email may say, in the customer's language (the row's
    Language cell): the commitment is the first-reply target configured for the
    case's priority, in words, never the priority's name."""
    case_id = values[columns.CASE_ID]
    tag, ref = reference(config, case_id)
    lang = wording.language(values.get(columns.LANGUAGE, ""))
    customer = customer_of(values)
    # Issue 11: nothing of a DMARC-failing sender's own text is echoed (backscatter).
    echo = NO_ECHO_NOTE not in values.get(columns.POLLER_NOTE, "")
    name = customer.name if customer and echo else ""
    level = effective_priority(values)
    priority = level.label
    due = cell_time(values.get(columns.FIRST_RESPONSE_DUE, ""))
    tz = parse_offset(values.get(columns.CUSTOMER_TZ, ""))
    promise = tables.commitment(level)
    summary = wording.commitment(
        promise.first_response if promise else None,
        business=not promise.around_the_clock if promise else True,
        lang=lang,
    )
    return {
        "business": {
            "name": config.business.name,
            "signature": config.business.signature,
            "reply_address": config.business.support_address,
        },
        "customer": {
            "name": name,
            "first_name": name.split()[0] if name.split() else "",
            "email": customer.email if customer else "",
        },
        "case": {
            "id": case_id,
            "tag": tag,
            "reference": ref,
            "language": lang,
            "subject": values.get(columns.SUBJECT, "") if echo else "",
            "priority": priority,
            "team": wording.team(values.get(columns.ROLE, ""), lang),
            "assignee": effective_assignee(values),
        },
        "commitment": {
            "summary": summary,
            "due_local": readable(due, tz, lang) if due else "",
        },
        "next_steps": wording.next_steps(priority, lang),
    }


def case_context(
    values: Mapping[str, str],
    config: Config,
    tables: Tables = DEFAULT_TABLES,
    event: str = "",
    recipient: Member | None = None,
) -> dict[str, Any]:
    """Everything any template may use, from the row (and the Team tab) alone.

    Internal notes are only under ``internal``, which customer templates are
    never given (``build`` removes it), so a note cannot reach a customer."""
    ctx = ack_context(values, config, tables)
    tz = parse_offset(values.get(columns.CUSTOMER_TZ, ""))
    assignee = tables.member(ctx["case"]["assignee"])
    domain = values.get(columns.CUSTOMER_EMAIL, "").rpartition("@")[2]
    account = tables.account_for(domain) if domain else None
    kind, _ = events.split(event)
    due_res = cell_time(values.get(columns.RESOLUTION_DUE, ""))
    ctx["business"]["sheet_url"] = config.business.sheet_url
    ctx["case"].update(
        {
            "status": values.get(columns.STATUS, ""),
            "triggers": values.get(columns.TRIGGERS_FOUND, "") or "none",
            "why": values.get(columns.WHY, ""),
            "opened": values.get(columns.OPENED, ""),
            "first_response_due": values.get(columns.FIRST_RESPONSE_DUE, ""),
            "resolution_due": values.get(columns.RESOLUTION_DUE, ""),
            "resolution_due_local": readable(due_res, tz, ctx["case"]["language"])
            if due_res
            else "",
            "next_update_due": values.get(columns.NEXT_UPDATE_DUE, ""),
            "escalation": values.get(columns.ESCALATION, "").strip().splitlines()[-1:] or [""],
            "state": values.get(columns.CASE_STATE, ""),
            "customer_text": values.get(columns.LATEST_TEXT, ""),
            "backup": values.get(columns.BACKUP, ""),
            "link": config.business.sheet_url,
        }
    )
    ctx["case"]["escalation"] = ctx["case"]["escalation"][0]
    ctx["account"] = {
        "company": account.company if account else "",
        "plan": account.plan if account else "",
        "value": _money(account.contract_value) if account else "",
    }
    ctx["message"] = {"text": values.get(columns.MESSAGE_TO_CUSTOMER, "").strip()}
    ctx["resolution"] = {
        "summary": values.get(columns.RESOLUTION, "").strip(),
        "close_after_days": config.lifecycle.close_after_days,
    }
    ctx["handoff"] = _handoff(assignee, ctx["case"]["assignee"])
    ctx["recipient"] = {
        "name": recipient.name if recipient else "",
        "first_name": recipient.name.split(" ")[0] if recipient else "",
        "part": _part(kind, recipient, values),
    }
    ctx["internal"] = {"notes": values.get(columns.NOTES, "").strip()}
    ctx["deadline"] = _deadline(kind, values)
    return ctx


def _deadline(kind: str, values: Mapping[str, str]) -> dict[str, str]:
    """The deadline a warning or an escalation is about: its own, named by the
    event (``warning-resolution``); for the older bare kinds, the first reply
    while it is open, else the resolution."""
    first = values.get(columns.FIRST_RESPONSE_DUE, "").strip()
    which = kind.partition("-")[2]
    if not which:
        which = "first" if first and first != "met" else "resolution"
    if which == "first":
        return {"what": "first reply", "due": first or "-"}
    return {"what": "resolution", "due": values.get(columns.RESOLUTION_DUE, "").strip() or "-"}


def _handoff(assignee: Member | None, name: str) -> dict[str, str]:
    """Who the case went to, for the handoff email: the Team row, else the cell."""
    shown = assignee.name if assignee else name
    return {
        "name": shown,
        "first_name": shown.split(" ")[0],
        "expertise": _expertise(assignee),
    }


def _money(value: float | None) -> str:
    return f"{value:,.0f} a year" if value else ""


def _expertise(person: Member | None) -> str:
    if person is None:
        return ""
    teams = sorted({wording.team(r, wording.DEFAULT) for r in person.roles})
    what = " and ".join(teams[:3]) + " questions" if teams else "requests like yours"
    if person.tier >= 3:
        return f"one of our senior people, who handles {what}"
    if person.tier == 2:
        return f"our specialist for {what}"
    return f"who handles {what}"


def _part(kind: str, person: Member | None, values: Mapping[str, str]) -> str:
    if person is None:
        return ""
    name = person.name.casefold()
    if kind == "alert":
        return "tier 3 (every Critical case)"
    if kind.startswith("escalated"):
        return "escalation"
    if name == str(ack_context_assignee(values)).casefold():
        return "assignee"
    if name == values.get(columns.BACKUP, "").strip().casefold():
        return "backup"
    return "manager"


def ack_context_assignee(values: Mapping[str, str]) -> str:
    return values.get(columns.ASSIGNEE, "").strip() or values.get(columns.ROUTED_TO, "").strip()


def sample_context(config: Config) -> dict[str, Any]:
    """A realistic case used to check every template when it loads."""
    values = {
        columns.CASE_ID: f"{config.business.case_id_prefix}{config.business.first_case_number}",
        columns.CUSTOMER: "Sam Sample",
        columns.CUSTOMER_EMAIL: "sam@example.org",
        columns.SUBJECT: "Sample subject",
        columns.PRIORITY_AUTO: "High",
        columns.ROLE: "general",
        columns.ROUTED_TO: "Alex Agent",
        columns.BACKUP: "Bo Backup",
        columns.TRIGGERS_FOUND: "urgency",
        columns.WHY: "triggers: urgency (sample)",
        columns.OPENED: "2026-01-05 09:00+00:00",
        columns.FIRST_RESPONSE_DUE: "2026-01-05 13:00+00:00",
        columns.RESOLUTION_DUE: "2026-01-07 09:00+00:00",
        columns.NEXT_UPDATE_DUE: "2026-01-05 17:00+00:00",
        columns.ESCALATION: "2026-01-05 13:00+00:00: first response missed -> Sam Senior",
        columns.CUSTOMER_TZ: "+01:00",
        columns.LATEST_TEXT: "My sample lamp flickers.",
        columns.MESSAGE_TO_CUSTOMER: "We found the cause and a fix ships tomorrow.",
        columns.RESOLUTION: "Replaced the faulty driver.",
        columns.NOTES: "Sample internal note.",
    }
    sample = case_context(values, config, event="warning~alex-agent")
    week = review_context(config, "2026-W02", [("Cases", "12")], ["C-1000"])
    return sample | {"review": week["review"]}


def _for_customer(ctx: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ctx.items() if k not in ("internal", "recipient")} | {
        "recipient": {"name": "", "first_name": "", "part": ""},
        "internal": {"notes": ""},
    }


# Emails a person wrote are not "automatic" (RFC 3834); the rest are.
_AUTO = {"ack": "auto-replied", "update": "", "handoff": "", "resolution": ""}


def build(
    case_id: str,
    entry: sentlog.Entry,
    values: Mapping[str, str],
    config: Config,
    templates: TemplateSet,
    now: datetime,
    tables: Tables = DEFAULT_TABLES,
) -> Outgoing | None:
    """The email behind one Sent log entry, or None if it has nobody to go to
    (no customer address; a team member who left the Team tab or has no email)."""
    name = events.template_of(entry.event)
    if name is None:
        raise ValueError(f"unknown email kind {entry.event!r}")
    kind, who = events.split(entry.event)
    person = events.recipient(entry.event, tables) if who else None
    if who:
        if person is None or not person.email:
            return None
        to = Address(person.name, person.email)
        context = case_context(values, config, tables, entry.event, person)
        in_reply_to: str | None = None
        references: list[str] = []
    else:
        customer = customer_of(values)
        if customer is None:
            return None
        to = customer
        context = _for_customer(case_context(values, config, tables, entry.event))
        in_reply_to, references = thread_headers(values, entry.message_id)
    language = "" if who else context["case"]["language"]  # the team reads English
    rendered = templates.render(name, context, context["case"]["priority"], language)
    tag = context["case"]["tag"]
    if tag.lower() not in rendered.subject.lower():
        rendered = type(rendered)(f"{tag} {rendered.subject}", rendered.text, rendered.html)
    sender = Address(config.business.display_name, config.business.support_address)
    email = compose.build(
        rendered,
        sender=sender,
        to=[to],
        message_id=entry.message_id,
        in_reply_to=in_reply_to,
        references=references,
        loop_token=config.message_id_domain,
        date=now,
        auto_submitted=_AUTO.get(kind, "auto-generated"),
    )
    return Outgoing(case_id, entry, email)
