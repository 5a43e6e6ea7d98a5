"""The Cases tab's columns, found by header name.

Columns are split by owner.  The poller writes its own columns whenever it
learns something; it writes a team column only once, when it creates the row
(to give it a starting value), and never again.  People may reorder columns,
rename nothing we need, and add columns of their own: the store maps headers to
positions on every read.
"""

from __future__ import annotations

CASE_ID = "Case ID"
THREAD_IDS = "Thread IDs"
SENT_LOG = "Sent log"

# Written by the poller; people may read them but edits are overwritten.
POLLER_COLUMNS: tuple[str, ...] = (
    CASE_ID,
    "Opened",
    "Customer",
    "Customer email",
    "Subject",
    "Triggers",
    "Priority (auto)",
    "Role",
    "Routed to",
    "Backup",
    "Why",
    "First response due",
    "Resolution due",
    "Last customer message",
    "Latest from customer",
    "Messages",
    "Language",
    "Region",
    "Customer time zone",
    "Thread IDs",
    "Sent log",
    "Poller note",
    # The lifecycle (automation.lifecycle): what the poller made of the team's edits.
    "Case state",
    "Next update due",
    "Escalation",
    "Message sent",
    "Seen",
)
CASE_STATE = "Case state"
NEXT_UPDATE_DUE = "Next update due"
ESCALATION = "Escalation"
MESSAGE_SENT = "Message sent"
SEEN = "Seen"
LATEST_TEXT = "Latest from customer"  # their newest own words (quotes cut), for the team
LATEST_TEXT_LIMIT = 3000

# Owned by the team.  The poller writes these only in the row it creates.
STATUS = "Status"
ASSIGNEE = "Assignee"
PRIORITY = "Priority"
MESSAGE_TO_CUSTOMER = "Message to customer"
RESOLUTION = "Resolution summary"
NOTES = "Internal notes"
TEAM_COLUMNS: tuple[str, ...] = (
    STATUS,
    ASSIGNEE,
    PRIORITY,
    MESSAGE_TO_CUSTOMER,
    RESOLUTION,
    NOTES,
)

# The order `init` lays them out in: what identifies a row, then the team's own
# columns, then what the poller tells them, then the machine's bookkeeping (grouped
# and hidden at the right; see sheet/cases_look.py).
DEFAULT_ORDER: tuple[str, ...] = (
    CASE_ID,
    "Subject",
    "Customer",
    STATUS,
    PRIORITY,
    ASSIGNEE,
    MESSAGE_TO_CUSTOMER,
    RESOLUTION,
    NOTES,
    "Case state",
    "First response due",
    "Next update due",
    "Resolution due",
    "Escalation",
    "Message sent",
    "Triggers",
    "Priority (auto)",
    "Role",
    "Routed to",
    "Backup",
    "Why",
    "Latest from customer",
    "Customer email",
    "Opened",
    "Last customer message",
    "Messages",
    "Language",
    "Region",
    "Poller note",
    "Customer time zone",
    "Thread IDs",
    "Sent log",
    "Seen",
)

STATUSES: tuple[str, ...] = (
    "New",
    "Assigned",
    "In progress",
    "Waiting on customer",
    "Resolved",
    "Closed",
)

# Google Sheets refuses cells over 50,000 characters; we cut before that and say so.
CELL_LIMIT = 50_000
TRUNCATION_MARK = " […truncated by sheetdesk]"


def cap_cell(text: str, limit: int = CELL_LIMIT) -> str:
    """``text`` cut to fit one cell, with a visible mark when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def is_poller_column(name: str) -> bool:
    return name in POLLER_COLUMNS


assert not set(POLLER_COLUMNS) & set(TEAM_COLUMNS)
assert set(DEFAULT_ORDER) == set(POLLER_COLUMNS) | set(TEAM_COLUMNS)
