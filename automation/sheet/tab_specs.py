"""Every tab ``sheetdesk init`` lays out: the Cases queue plus the owners' tabs."""

from __future__ import annotations

from collections.abc import Sequence

from automation.ports import TabSpec
from automation.sheet import cases_look as look
from automation.sheet import layout as columns

_MINE = "Set by sheetdesk; an edit here is overwritten. "
CASES_NOTES = {
    columns.CASE_ID: _MINE + "The reference the customer sees in every email.",
    columns.SUBJECT: _MINE + "The subject of the customer's first email.",
    columns.CUSTOMER: _MINE + "The sender's name (or address when the email gave no name).",
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
    columns.CASE_STATE: _MINE + "What sheetdesk made of the case: open, waiting, resolved, "
    "reopened or closed, and when.",
    columns.FIRST_RESPONSE_DUE: _MINE + "When the first reply from a person is due (red once "
    "past while nobody has written).",
    columns.NEXT_UPDATE_DUE: _MINE + "When the customer is owed an update (red once past).",
    columns.RESOLUTION_DUE: _MINE + "When the case should be resolved (red once past).",
    columns.ESCALATION: _MINE + "One line per missed commitment: who it went to and why.",
    columns.MESSAGE_SENT: _MINE + "When the last message typed by the team went out.",
    columns.TRIGGERS_FOUND: _MINE + "What sheetdesk noticed in the customer's words and headers.",
    columns.PRIORITY_AUTO: _MINE + "sheetdesk's suggestion; the Priority column wins when set.",
    columns.ROLE: _MINE + "The role the case's topic needs (Topics tab).",
    columns.ROUTED_TO: _MINE + "The person sheetdesk chose; Assignee is what counts.",
    columns.BACKUP: _MINE + "Who covers for the assignee (Team tab).",
    columns.WHY: _MINE + "Which signals fired, the priority they led to, and why this person.",
    columns.LATEST_TEXT: _MINE + "The customer's newest words, quotes and signature cut.",
    columns.CUSTOMER_EMAIL: _MINE + "Where sheetdesk's emails to the customer go.",
    columns.OPENED: _MINE + "When the first email arrived (business time zone).",
    columns.LAST_CUSTOMER_MESSAGE: _MINE + "When the customer last wrote.",
    columns.MESSAGES: _MINE + "How many emails the customer has sent on this case.",
    columns.LANGUAGE: _MINE + "The language the customer wrote in; replies use it.",
    columns.REGION: _MINE + "The customer's region (Regions tab).",
    columns.POLLER_NOTE: _MINE + "Anything sheetdesk needs a person to know about this row.",
    columns.CUSTOMER_TZ: _MINE + "Bookkeeping: the customer's UTC offset from their email.",
    columns.THREAD_IDS: _MINE + "Bookkeeping: every Message-ID of the case, so replies join it "
    "and nothing makes two cases.",
    columns.SENT_LOG: _MINE + "Bookkeeping: every email owed or sent for this case, so none "
    "goes out twice.",
    columns.SEEN: _MINE + "Bookkeeping: the team's edits sheetdesk has already acted on.",
}


def cases_spec() -> TabSpec:
    return TabSpec(
        title=columns.CASES_TAB,
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
