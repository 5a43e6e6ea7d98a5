"""The pure decision core: a message (plus its case, if any) -> a ``Decision``.

No I/O and no clock reads anywhere in this package.  Entry points live in
their modules, imported from there (this file imports nothing, so the owner
tables in ``automation.tables`` may use ``decide.matching`` without a cycle):
``decide.core`` (``decide``, ``decide_reply``, ``assign_queued``) and
``decide.load`` (``team_load_from_cases``).  The tabs are parsed by
``automation.tables.parse_tabs.parse_tables``.
"""
