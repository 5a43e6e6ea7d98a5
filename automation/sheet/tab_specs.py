"""Every tab ``sheetdesk init`` lays out: the Cases queue plus the owners' tabs."""

from __future__ import annotations

from collections.abc import Sequence

from automation.ports import TabSpec
from automation.sheet import cases_look as look
from automation.sheet import layout as columns

_MINE = "Set by sheetdesk; an edit here is overwritten. "
CASES_NOTES = {
    columns.CASE_ID: _MINE + "The reference the customer sees in every email.",
    "Subject": _MINE + "The subject of the customer's first email.",
    "Customer": _MINE + "The sender's name (or address when the email gave no name).",
    columns.STATUS: "Yours. New, Assigned, In progress, Waiting on customer (pauses the "
    "clock), Resolved (emails the customer and closes after a quiet spell), Closed.",
    columns.PRIORITY: "Yours. Starts as sheetdesk's suggestion; change it and sheetdesk keeps "
    "your choice. The row's colour follows it.",
    columns.ASSIGNEE: "Yours. Starts as the person sheetdesk routed to (names from the Team "
    "tab); change it to hand the case over: the customer and the new person are told.",
    columns.MESSAGE_TO_CUSTOMER: "Yours. Text typed here is emailed to the customer on the "
    "next cycle; 'Message sent' then shows when.",
    columns.RESOLUTION: "Yours. What fixed it; sent to the customer when Status is Resolved.",
    columns.NOTES: "Yours. Never sent to a customer.",
    "Case state": _MINE + "What sheetdesk made of the case: open, waiting, resolved, "
    "reopened or closed, and when.",
    "First response due": _MINE + "When the first reply from a person is due (red once "
    "past while nobody has written).",
    "Next update due": _MINE + "When the customer is owed an update (red once past).",
    "Resolution due": _MINE + "When the case should be resolved (red once past).",
    "Escalation": _MINE + "One line per missed commitment: who it went to and why.",
    "Message sent": _MINE + "When the last message typed by the team went out.",
    "Triggers": _MINE + "What sheetdesk noticed in the customer's words and headers.",
    "Priority (auto)": _MINE + "sheetdesk's suggestion; the Priority column wins when set.",
    "Role": _MINE + "The role the case's topic needs (Topics tab).",
    "Routed to": _MINE + "The person sheetdesk chose; Assignee is what counts.",
    "Backup": _MINE + "Who covers for the assignee (Team tab).",
    "Why": _MINE + "Which signals fired, the priority they led to, and why this person.",
    "Latest from customer": _MINE + "The customer's newest words, quotes and signature cut.",
    "Customer email": _MINE + "Where sheetdesk's emails to the customer go.",
    "Opened": _MINE + "When the first email arrived (business time zone).",
    "Last customer message": _MINE + "When the customer last wrote.",
    "Messages": _MINE + "How many emails the customer has sent on this case.",
    "Language": _MINE + "The language the customer wrote in; replies use it.",
    "Region": _MINE + "The customer's region (Regions tab).",
    "Poller note": _MINE + "Anything sheetdesk needs a person to know about this row.",
    "Customer time zone": _MINE + "Bookkeeping: the customer's UTC offset from their email.",
    columns.THREAD_IDS: _MINE + "Bookkeeping: every Message-ID of the case, so replies join it "
    "and nothing makes two cases.",
    columns.SENT_LOG: _MINE + "Bookkeeping: every email owed or sent for this case, so none "
    "goes out twice.",
    columns.SEEN: _MINE + "Bookkeeping: the team's edits sheetdesk has already acted on.",
}


def cases_spec() -> TabSpec:
    return TabSpec(
        title="Cases",
        header=columns.DEFAULT_ORDER,
        notes=CASES_NOTES,
        choices={columns.STATUS: columns.STATUSES, columns.PRIORITY: look.PRIORITY_CHOICES},
    )


assert set(CASES_NOTES) == set(columns.DEFAULT_ORDER)


def team_name_col(specs: Sequence[TabSpec]) -> int:
    """The Team tab's Name column (the Assignee dropdown lists it); A by default."""
    tab, name = look.ASSIGNEE_SOURCE
    for spec in specs:
        if spec.title == tab and name in spec.header:
            return spec.header.index(name)
    return 0


def all_tab_specs() -> list[TabSpec]:
    from automation.tables.starter import starter_tabs

    return [cases_spec(), *starter_tabs()]
