"""What each customer-facing email says: template contexts built from a case row.

Contexts are built from the row's values alone (not from the message that
opened the case), so an email held back by an outage renders the same way on
a later cycle, even after the local state is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from automation import columns, compose, sentlog
from automation.config import Config
from automation.mailer import Outgoing, customer_of, thread_headers
from automation.model import Address
from automation.templates import TemplateSet

ROLE_TEAMS = {
    "technical": "technical",
    "billing": "billing",
    "refunds": "billing",
    "sales": "sales",
    "retention": "customer success",
    "legal": "management",
    "general": "support",
}

NEXT_STEPS = {
    "Critical": "a senior member of the team has been alerted and is looking at it now.",
    "High": "the right person on the team has your case and will reply with a plan.",
    "Low": "a member of the team will read it and reply; nothing more is needed from you.",
}


def parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else None


def parse_offset(text: str) -> timezone | None:
    text = text.strip()
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        delta = timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
    except ValueError:
        return None
    return timezone(delta if text[0] == "+" else -delta)


def readable(when: datetime, tz: timezone | None) -> str:
    local = when.astimezone(tz) if tz else when
    offset = local.strftime("%z")
    label = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{local:%A %d %B %Y, %H:%M} ({label})"


def effective_priority(values: Mapping[str, str]) -> str:
    chosen = values.get(columns.PRIORITY, "").strip().capitalize()
    if chosen in ("Low", "High", "Critical"):
        return chosen
    return values.get("Priority (auto)", "").strip() or "High"


def ack_context(values: Mapping[str, str], config: Config) -> dict[str, Any]:
    case_id = values[columns.CASE_ID]
    number = "".join(ch for ch in case_id if ch.isdigit())
    tag = config.business.case_tag.format(number=int(number)) if number else case_id
    customer = customer_of(values)
    name = customer.name if customer else ""
    priority = effective_priority(values)
    due = parse_time(values.get("First response due", ""))
    tz = parse_offset(values.get("Customer time zone", ""))
    summary = {
        "Critical": "a person will be on it within the hour",
        "High": "a first reply from a person within a few business hours",
        "Low": "a first reply from a person within one to two business days",
    }.get(priority, "a first reply from a person as soon as possible")
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
            "subject": values.get("Subject", ""),
            "priority": priority,
            "team": ROLE_TEAMS.get(values.get("Role", ""), values.get("Role", "") or "support"),
            "assignee": values.get(columns.ASSIGNEE, "") or values.get("Routed to", ""),
        },
        "commitment": {
            "summary": summary,
            "due_local": readable(due, tz) if due else "",
        },
        "next_steps": NEXT_STEPS.get(priority, NEXT_STEPS["High"]),
    }


def sample_context(config: Config) -> dict[str, Any]:
    """A realistic case used to check every template when it loads."""
    values = {
        columns.CASE_ID: f"{config.business.case_id_prefix}{config.business.first_case_number}",
        "Customer": "Sam Sample",
        "Customer email": "sam@example.org",
        "Subject": "Sample subject",
        "Priority (auto)": "High",
        "Role": "general",
        "First response due": "2026-01-05 13:00+00:00",
        "Customer time zone": "+01:00",
    }
    return ack_context(values, config)


def build(case_id: str, entry: sentlog.Entry, values: Mapping[str, str],
          config: Config, templates: TemplateSet, now: datetime) -> Outgoing | None:
    """The email behind one Sent log entry, or None if the case has no customer."""
    customer = customer_of(values)
    if customer is None:
        return None
    context = ack_context(values, config)
    rendered = templates.render(entry.event if entry.event != "ack" else "acknowledgement",
                                context, priority=context["case"]["priority"])
    tag = context["case"]["tag"]
    if tag.lower() not in rendered.subject.lower():
        rendered = type(rendered)(f"{tag} {rendered.subject}", rendered.text, rendered.html)
    in_reply_to, references = thread_headers(values, entry.message_id)
    sender = Address(config.business.display_name, config.business.support_address)
    email = compose.build(
        rendered,
        sender=sender,
        to=[customer],
        message_id=entry.message_id,
        in_reply_to=in_reply_to,
        references=references,
        loop_token=config.message_id_domain,
        date=now,
    )
    return Outgoing(case_id, entry, email)
