"""Finding the owners' tabs by title, robustly, and saying when one is gone.

Owners rename tabs, and spreadsheet programs and people add stray spaces or
change case ("team ", "TEAM").  A title that matches after trimming and case
folding is the tab.  A tab that cannot be found at all (renamed to "Staff",
deleted) is a problem naming it, never a silent fallback: before this, renaming
Team made every case land unassigned and ``check`` said ok.

Pure: titles in, titles and sentences out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from automation.ports import Grid
from automation.tables import schema as s

OWNER_TABS = (
    s.SETTINGS,
    s.TEAM,
    s.TOPICS,
    s.TRIGGERS,
    s.PRIORITIES,
    s.RESPONSE,
    s.ACCOUNTS,
    s.COVERAGE,
    s.REGIONS,
    s.ROUTING,
)


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def find_owner_tabs(
    tabs: Mapping[str, Grid], expected: Iterable[str] = ()
) -> tuple[dict[str, Grid], list[str]]:
    """``tabs`` re-keyed by the canonical owner-tab titles, and the problems.

    Tabs that are not owner tabs pass through unchanged.  A tab is *expected*
    when the last valid tables had it (``expected``), and Team always is once
    any owner tab exists.  Each expected tab that cannot be found is one problem
    sentence.  When no owner tab exists at all (a store laid out before owner
    tabs), nothing is reported: the safe defaults are documented for that.
    """
    by_key: dict[str, str] = {}
    for title in tabs:
        by_key.setdefault(_key(title), title)
    found: dict[str, Grid] = {}
    used: set[str] = set()
    missing: list[str] = []
    needed = {_key(t) for t in expected} | {_key(s.TEAM)}
    for wanted in OWNER_TABS:
        actual = wanted if wanted in tabs else by_key.get(_key(wanted))
        if actual is None:
            if _key(wanted) in needed:
                missing.append(wanted)
            continue
        found[wanted] = tabs[actual]
        used.add(actual)
    rest = {title: grid for title, grid in tabs.items() if title not in used}
    if not found:
        return dict(rest), []
    others = sorted(t for t in rest if t not in ("Cases", "Health", "Metrics"))
    hint = f" (other tabs: {', '.join(others)})" if others else ""
    problems = [
        f"{title}!A1: the {title!r} tab is missing: was it renamed or deleted?{hint} "
        f"Name it {title!r} again; until then sheetdesk keeps the last valid tables"
        for title in missing
    ]
    return {**rest, **found}, problems
