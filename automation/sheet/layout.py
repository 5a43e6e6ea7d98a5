"""The sheet's layout: every tab name and every Cases column name, in one place.

Nothing else in ``automation`` spells a Cases column or a tab title; it uses
these constants (``tests/test_architecture.py`` checks).  The owner-edited
tabs' names and columns have their home in ``automation.tables.schema`` (the
owners' schema, next to its parsers) and are re-exported here, so this module
lists every tab.

Columns of the Cases tab are split by owner.  The poller writes its own
columns whenever it learns something; it writes a team column only once, when
it creates the row (to give it a starting value), and never again.  People may
reorder columns, rename nothing we need, and add columns of their own: the
store maps headers to positions on every read.
"""

from __future__ import annotations

# Re-exported: the owner tabs, named where their columns are (tables/schema.py).
from automation.tables.schema import (
    ACCOUNTS as ACCOUNTS,
)
from automation.tables.schema import (
    COVERAGE as COVERAGE,
)
from automation.tables.schema import (
    PRIORITIES as PRIORITIES,
)
from automation.tables.schema import (
    REGIONS as REGIONS,
)
from automation.tables.schema import (
    RESPONSE as RESPONSE,
)
from automation.tables.schema import (
    ROUTING as ROUTING,
)
from automation.tables.schema import (
    SETTINGS as SETTINGS,
)
from automation.tables.schema import (
    TEAM as TEAM,
)
from automation.tables.schema import (
    TOPICS as TOPICS,
)
from automation.tables.schema import (
    TRIGGERS as TRIGGERS,
)

# ------------------------------------------------------------------- tabs
CASES_TAB = "Cases"
NONCASE_TAB = "Non-cases"
QUARANTINE_TAB = "Quarantine"
HEALTH_TAB = "Health"
METRICS_TAB = "Metrics"
OWNER_TABS: tuple[str, ...] = (
    TEAM,
    TOPICS,
    TRIGGERS,
    PRIORITIES,
    RESPONSE,
    ACCOUNTS,
    COVERAGE,
    REGIONS,
    ROUTING,
    SETTINGS,
)
NONCASE_HEADER = ("Received", "Kind", "Reason", "From", "Subject", "Message-ID", "Inbox key")
QUARANTINE_HEADER = ("Received", "Reason", "From", "Subject", "Message-ID", "Inbox key")
LOG_MESSAGE_ID = "Message-ID"  # the log tabs' column that makes re-logging idempotent

# ------------------------------------------------- Cases: poller columns
CASE_ID = "Case ID"
OPENED = "Opened"
CUSTOMER = "Customer"
CUSTOMER_EMAIL = "Customer email"
SUBJECT = "Subject"
TRIGGERS_FOUND = "Triggers"
PRIORITY_AUTO = "Priority (auto)"
ROLE = "Role"
ROUTED_TO = "Routed to"
BACKUP = "Backup"
WHY = "Why"
FIRST_RESPONSE_DUE = "First response due"
RESOLUTION_DUE = "Resolution due"
LAST_CUSTOMER_MESSAGE = "Last customer message"
LATEST_TEXT = "Latest from customer"  # their newest own words (quotes cut), for the team
LATEST_TEXT_LIMIT = 3000
MESSAGES = "Messages"
LANGUAGE = "Language"
REGION = "Region"
CUSTOMER_TZ = "Customer time zone"
THREAD_IDS = "Thread IDs"
SENT_LOG = "Sent log"
POLLER_NOTE = "Poller note"
# The lifecycle (automation.lifecycle): what the poller made of the team's edits.
CASE_STATE = "Case state"
NEXT_UPDATE_DUE = "Next update due"
ESCALATION = "Escalation"
MESSAGE_SENT = "Message sent"
SEEN = "Seen"

# Written by the poller; people may read them but edits are overwritten.
POLLER_COLUMNS: tuple[str, ...] = (
    CASE_ID,
    OPENED,
    CUSTOMER,
    CUSTOMER_EMAIL,
    SUBJECT,
    TRIGGERS_FOUND,
    PRIORITY_AUTO,
    ROLE,
    ROUTED_TO,
    BACKUP,
    WHY,
    FIRST_RESPONSE_DUE,
    RESOLUTION_DUE,
    LAST_CUSTOMER_MESSAGE,
    LATEST_TEXT,
    MESSAGES,
    LANGUAGE,
    REGION,
    CUSTOMER_TZ,
    THREAD_IDS,
    SENT_LOG,
    POLLER_NOTE,
    CASE_STATE,
    NEXT_UPDATE_DUE,
    ESCALATION,
    MESSAGE_SENT,
    SEEN,
)

# --------------------------------------------------- Cases: team columns
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
    SUBJECT,
    CUSTOMER,
    STATUS,
    PRIORITY,
    ASSIGNEE,
    MESSAGE_TO_CUSTOMER,
    RESOLUTION,
    NOTES,
    CASE_STATE,
    FIRST_RESPONSE_DUE,
    NEXT_UPDATE_DUE,
    RESOLUTION_DUE,
    ESCALATION,
    MESSAGE_SENT,
    TRIGGERS_FOUND,
    PRIORITY_AUTO,
    ROLE,
    ROUTED_TO,
    BACKUP,
    WHY,
    LATEST_TEXT,
    CUSTOMER_EMAIL,
    OPENED,
    LAST_CUSTOMER_MESSAGE,
    MESSAGES,
    LANGUAGE,
    REGION,
    POLLER_NOTE,
    CUSTOMER_TZ,
    THREAD_IDS,
    SENT_LOG,
    SEEN,
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
