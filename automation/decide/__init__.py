"""The pure decision core: owner tabs -> ``Tables``; a message -> ``Decision``.

No I/O and no clock reads anywhere in this package.  Entry points:
``parse_tables`` (tabs -> tables + ``Tab!Cell`` problems), ``starter_tabs``
(what ``sheetdesk init`` creates), ``decide`` / ``decide_reply`` /
``assign_queued`` and ``team_load_from_cases``.
"""

from automation.decide.core import assign_queued, decide, decide_reply
from automation.decide.load import TeamLoad, team_load_from_cases
from automation.decide.parse import parse_tables
from automation.decide.starter import starter_tabs
from automation.decide.tables import DEFAULT_TABLES, Tables

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
