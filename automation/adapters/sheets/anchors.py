"""Cross-checking row anchors (developer metadata) against Case ID cells (pure).

An anchor ``sheetdesk.case = C-1042`` is trusted for a write only when, in the
same read, it sits on a row whose Case ID cell says ``C-1042`` and no other
anchor claims that case.  Anything else (a sort that left metadata behind, a
copy/paste, a re-tag that raced a person's edit) makes the case *suspect*:

* updates to it are deferred this cycle, never written blind;
* every anchor that disagrees with its row is deleted, and when exactly one
  row shows the ID a fresh anchor is planned there (positions from this read;
  if a person moves rows before that lands, the next read sees the mismatch and
  plans again, and nothing is written through the anchor until it is verified);
* a case with no row showing its ID is absent: reported, never written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from automation.adapters.sheets.wire import Anchor
from automation.sheet import case_table as casetab


@dataclass(frozen=True)
class AnchorPlan:
    verified: Mapping[str, int]  # case ID -> metadataId safe to write through
    suspect: frozenset[str]  # updates deferred this cycle
    deletes: tuple[int, ...]  # metadataIds to remove
    creates: tuple[tuple[int, str], ...]  # (grid row, case ID) anchors to add
    problems: tuple[str, ...]


def plan_anchors(table: casetab.CaseTable, anchors: Sequence[Anchor]) -> AnchorPlan:
    tab = table.header.tab
    by_case: dict[str, list[Anchor]] = {}
    deletes: list[int] = []
    for anchor in anchors:
        if anchor.case_id.strip():
            by_case.setdefault(anchor.case_id, []).append(anchor)
        else:
            deletes.append(anchor.metadata_id)
    verified: dict[str, int] = {}
    suspect: set[str] = set()
    creates: list[tuple[int, str]] = []
    problems: list[str] = []
    for case_id in sorted(set(by_case) | set(table.rows_of)):
        rows = table.rows_of.get(case_id, ())
        mine = by_case.get(case_id, [])
        good = [a for a in mine if table.id_at.get(a.row) == case_id]
        bad = [a for a in mine if a not in good]
        deletes.extend(a.metadata_id for a in bad)
        good_rows = sorted({a.row for a in good})
        if len(good_rows) == 1:
            keep = min(good, key=lambda a: a.metadata_id)
            verified[case_id] = keep.metadata_id
            deletes.extend(a.metadata_id for a in good if a is not keep)
            if bad:
                problems.append(f"{case_id}: removed a stray row tag (a copied or pasted row?)")
            continue
        suspect.add(case_id)
        where = ", ".join(str(r + 1) for r in rows)
        if len(good_rows) > 1 or len(rows) > 1:
            problems.append(
                f"{case_id} appears on rows {where} of {tab}; its updates wait until a person "
                "removes the extra row"
            )
        elif len(rows) == 1:
            creates.append((rows[0], case_id))
            if mine:
                problems.append(
                    f"{case_id}: its row tag was not on row {rows[0] + 1} where its Case ID "
                    "is (a sort or paste moved it); re-tagged, its update waits one cycle"
                )
            else:
                problems.append(
                    f"{case_id}: row {rows[0] + 1} had no sheetdesk tag; tagged, its update "
                    "waits one cycle"
                )
        else:
            problems.append(
                f"{case_id}: no row of {tab} shows this Case ID any more (deleted or "
                "overwritten?); nothing is written for it"
            )
    return AnchorPlan(
        verified=verified,
        suspect=frozenset(suspect),
        deletes=tuple(dict.fromkeys(deletes)),
        creates=tuple(creates),
        problems=tuple(problems),
    )
