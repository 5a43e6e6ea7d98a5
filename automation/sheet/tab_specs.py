"""Every tab ``sheetdesk init`` lays out: the Cases queue plus the owners' tabs."""

from __future__ import annotations

from automation.ports import TabSpec
from automation.sheet import layout as columns

CASES_NOTES = {
    columns.CASE_ID: "Set by sheetdesk. The reference customers see; never edit it.",
    columns.STATUS: "Yours. New, Assigned, In progress, Waiting on customer, Resolved, Closed.",
    columns.PRIORITY: "Yours. Starts as sheetdesk's suggestion; change it and sheetdesk keeps "
    "your choice.",
    columns.ASSIGNEE: "Yours. Starts as the person sheetdesk routed to; change it to hand over.",
    "Why": "Set by sheetdesk: which signals fired and why this person was chosen.",
    columns.MESSAGE_TO_CUSTOMER: "Yours. Text typed here is emailed to the customer.",
    columns.NOTES: "Yours. Never sent to a customer.",
    columns.SENT_LOG: "Set by sheetdesk: every email it owes or sent for this case.",
}


def cases_spec() -> TabSpec:
    return TabSpec(
        title="Cases",
        header=columns.DEFAULT_ORDER,
        notes=CASES_NOTES,
        choices={columns.STATUS: columns.STATUSES, columns.PRIORITY: ("Low", "High", "Critical")},
    )


def all_tab_specs() -> list[TabSpec]:
    from automation.tables.starter import starter_tabs

    return [cases_spec(), *starter_tabs()]
