"""The pure decision core: owner tabs -> ``Tables``; a message -> ``Decision``.

No I/O and no clock reads anywhere in this package.  Entry points:
``parse_tables`` (tabs -> tables + ``Tab!Cell`` problems), ``starter_tabs``
(what ``sheetdesk init`` creates), ``decide`` / ``decide_reply`` /
``assign_queued`` and ``team_load_from_cases``.
"""

from automation.decide.core import assign_queued, decide, decide_reply
from automation.decide.load import TeamLoad, team_load_from_cases
from automation.tables.owner_tables import DEFAULT_TABLES, Tables
from automation.tables.parse_tabs import parse_tables
from automation.tables.starter import starter_tabs

__all__ = [
    "DEFAULT_TABLES",
    "Tables",
    "TeamLoad",
    "assign_queued",
    "decide",
    "decide_reply",
    "parse_tables",
    "starter_tabs",
    "team_load_from_cases",
]
