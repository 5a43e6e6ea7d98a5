"""Score the decision core against the labelled development set.

Usage: .venv/bin/python scripts/devset_score.py [--devset ../shared/devset] [--show-misses]

The devset's ``team.yaml`` is translated into tab grids the way its owner would
fill them in after ``sheetdesk init``: the starter tabs stay, the Team,
Accounts and Regions tabs are replaced by the business's own, its phrase lists
are added to the Triggers tab, its role descriptions become Topics keywords,
its routing steps become the Routing tab.  Then every message goes through
parse -> classify -> (approximate threading) -> decide, in Date order, and the
agreement with the labels is printed.  Capacity is not modelled in the labels,
so every decision sees an empty team load.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation.classify import classify
from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.decide.parse import parse_tables
from automation.decide.starter import starter_tabs
from automation.model import CaseRow, Decision, Message, frozen_map
from automation.parse import parse_message
from automation.ports import Grid

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = ROOT.parent / "shared" / "devset"


def _grid(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Grid:
    return (header, *rows)


_FILLER = frozenset(
    "the our own and for with that from into about anything else whose other look "
    "customer customers case cases".split()
)


def _role_keywords(description: str) -> list[str]:
    """A role or topic description as keywords, split where the owner would split
    it: each listed item, plus its content words (an owner types "warranty",
    not "warranty claims" only)."""
    parts = re.split(r"[,/();]| and | including | or | of ", description)
    words: list[str] = []
    for part in parts:
        part = part.strip(" .-").lower()
        if not part:
            continue
        if len(part.split()) <= 3:
            words.append(part)
        words += [w for w in re.findall(r"[a-z][a-z-]{3,}", part) if w not in _FILLER]
    return list(dict.fromkeys(words))


def _code(value: object) -> str:
    # YAML 1.1 reads the country code "no" (Norway) as False.
    return "no" if value is False else str(value)


def owner_tabs(team: Mapping[str, Any]) -> dict[str, Grid]:
    """What the devset's owner would have typed into the tabs."""
    tabs = {spec.title: _grid(spec.header, list(spec.rows)) for spec in starter_tabs()}
    members = team["team"]
    security = next(m["name"] for m in members if m.get("security_lead"))
    legal = next(m["name"] for m in members if m.get("legal_owner"))
    tabs["Team"] = _grid(
        tabs["Team"][0],
        [
            (
                m["name"],
                m["email"],
                ", ".join(m["roles"]),
                str(m["tier"]),
                m["time_zone"],
                ", ".join(m["working_hours"]["days"]),
                m["working_hours"]["start"],
                m["working_hours"]["end"],
                str(m["max_concurrent_cases"]),
                m.get("backup", ""),
                ", ".join(m["languages"]),
                "Yes",
            )
            for m in members
        ],
    )
    topics = []
    for row in tabs["Topics"][1:]:
        name, role, keywords, expert, when = row
        if when == "security concern":
            expert = security
        elif when == "legal threat":
            expert = legal
        topics.append((name, role, keywords, expert, when))
    for role, description in team["roles"].items():
        topics.append(
            (f"{role} (owner's description)", role, ", ".join(_role_keywords(description)), "", "")
        )
    # A member with a single role: their listed topics are that role's subject matter.
    for m in members:
        if len(m["roles"]) == 1:
            words = _role_keywords(", ".join(m["topics"]))
            topics.append((f"{m['name']}'s topics", m["roles"][0], ", ".join(words), "", ""))
    tabs["Topics"] = _grid(tabs["Topics"][0], topics)
    phrases = list(tabs["Triggers"][1:])
    for category, items in team["trigger_phrases"].items():
        if category in ("complexity", "urgency", "value", "emotion"):
            phrases += [(category, str(p), "", "phrase") for p in items]
    phrases += [("security concern", str(p), "", "phrase") for p in team["security_phrases"]]
    phrases += [("legal threat", str(p), "", "phrase") for p in team["legal_phrases"]]
    tabs["Triggers"] = _grid(tabs["Triggers"][0], phrases)
    tabs["Accounts"] = _grid(
        tabs["Accounts"][0],
        [
            (
                a["domain"],
                a["company"],
                f"{a['sites']} sites",
                str(a["contract_value_eur_per_year"]),
                a["account_manager"],
            )
            for a in team["vip_accounts"]["accounts"]
        ],
    )
    regions = team["regions"]
    bands = {
        "americas": ("-12:00", "-03:00"),
        "europe": ("-02:59", "+04:59"),
        "apac": ("+05:00", "+14:00"),
    }  # fmt: skip  (the yaml's date_offset lines)
    tabs["Regions"] = _grid(
        tabs["Regions"][0],
        [
            (
                name,
                ", ".join(_code(c) for c in codes),
                *bands[name],
                ", ".join(regions["order"][name]),
            )
            for name, codes in regions["cctld"].items()
        ],
    )
    # Steps 1-7 of the yaml: security/legal experts, VIP manager, language,
    # region, Critical tier, Critical after hours (capacity not modelled).
    steps = ["expert", "account manager", "language", "region", "tier", "hours"]
    tabs["Routing"] = _grid(tabs["Routing"][0], [(step, "Yes", "") for step in steps])
    # The starter "Owner" row is gone; tier-3 people hear of Critical cases anyway.
    tabs["Response times"] = _grid(
        tabs["Response times"][0], [(*row[:4], "") for row in tabs["Response times"][1:]]
    )
    settings = {row[0]: row for row in tabs["Settings"][1:]}
    caps = re.search(r"such as ([A-Z, ]+)\)", team["trigger_phrases"]["emotion_rules"]["all_caps"])
    settings["Acronyms (not shouting)"] = (
        "Acronyms (not shouting)",
        caps.group(1) if caps else "",
        "",
    )
    settings["Backup takes off-shift cases from"] = (
        "Backup takes off-shift cases from",
        "Critical",
        "",
    )
    settings["Default region"] = ("Default region", "europe", "")
    settings["Business time zone"] = ("Business time zone", "Europe/Amsterdam", "")
    tabs["Settings"] = _grid(tabs["Settings"][0], list(settings.values()))
    return tabs


def _case_row(case_id: str, decision: Decision, messages: int, opened: datetime) -> CaseRow:
    values = {
        "Opened": opened.isoformat(),
        "Role": decision.role,
        "Routed to": decision.assignee or "",
        "Priority (auto)": decision.priority.label,
        "Priority": decision.priority.label,
        "Messages": str(messages),
        "Status": "Waiting on customer",
        "Triggers": ", ".join(decision.triggers),
        "First response due": decision.first_response_due.isoformat()
        if decision.first_response_due
        else "",
        "Resolution due": decision.resolution_due.isoformat() if decision.resolution_due else "",
    }
    return CaseRow(case_id, frozen_map(values))


def _thread(
    msg: Message, by_id: dict[str, str], tag: re.Pattern[str], by_tag: dict[str, str]
) -> str | None:
    for ref in reversed(msg.thread_ids):
        if ref.lower() in by_id:
            return by_id[ref.lower()]
    found = tag.search(msg.subject)
    return by_tag.get(found.group(1)) if found else None


def _pr(pairs: list[tuple[set[str], set[str]]], name: str) -> str:
    tp = sum(1 for want, got in pairs if name in want and name in got)
    fp = sum(1 for want, got in pairs if name not in want and name in got)
    fn = sum(1 for want, got in pairs if name in want and name not in got)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (
        f"  {name:<11} precision {precision:.2f} ({tp}/{tp + fp})"
        f"  recall {recall:.2f} ({tp}/{tp + fn})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    team = yaml.safe_load((args.devset / "team.yaml").read_text())
    tables, problems = parse_tables(owner_tabs(team))
    if problems:
        raise SystemExit("tab problems:\n" + "\n".join(problems))
    labels = [json.loads(line) for line in (args.devset / "labels.jsonl").read_text().splitlines()]
    addresses = team["addresses"]
    own_addresses = frozenset(a["address"] for a in addresses["own_sending_addresses"])
    own_domains = frozenset(addresses["own_domains"])
    tag = re.compile(team["case_tag"]["regex"])
    by_id: dict[str, str] = {}
    by_tag: dict[str, str] = {}
    cases: dict[str, tuple[CaseRow, int]] = {}
    first_file: dict[str, str] = {}
    rows = []
    for label in labels:
        raw = (args.devset / "messages" / label["file"]).read_bytes()
        msg = parse_message(raw, label["file"])
        verdict = classify(msg, own_addresses=own_addresses, own_domains=own_domains)
        got: dict[str, Any] = {"is_case": verdict.is_case, "reason": verdict.reason}
        if verdict.is_case:
            now = (msg.date or datetime(2025, 1, 1, tzinfo=UTC)).astimezone(UTC)
            case_id = _thread(msg, by_id, tag, by_tag)
            history = cases[case_id][0] if case_id else None
            decision = decide(msg, history, tables, TeamLoad(), now)
            if case_id is None:
                case_id = f"C{len(cases) + 1:04d}"
                first_file[case_id] = label["file"]
                count = 1
            else:
                count = cases[case_id][1] + 1
            cases[case_id] = (_case_row(case_id, decision, count, now), count)
            by_id[msg.message_id.lower()] = case_id
            got.update(decision=decision, thread_of=None if count == 1 else first_file[case_id])
        rows.append((label, got))
    report(rows, args.show_misses)


def report(rows: list[tuple[dict[str, Any], dict[str, Any]]], show: bool) -> None:
    n = len(rows)
    detect = sum(1 for want, got in rows if want["is_case"] == got["is_case"])
    print(f"messages: {n}")
    print(f"non-case detection: {detect}/{n} agree")
    both = [(w, g) for w, g in rows if w["is_case"] and g["is_case"]]
    missed = [w["file"] for w, g in rows if w["is_case"] and not g["is_case"]]
    extra = [w["file"] for w, g in rows if not w["is_case"] and g["is_case"]]
    print(f"  cases called non-case: {len(missed)} {missed}")
    print(f"  non-cases called case: {len(extra)} {extra}")
    thread_ok = sum(1 for w, g in both if w["thread_of"] == g["thread_of"])
    threaded = [(w, g) for w, g in both if w["thread_of"]]
    t_ok = sum(1 for w, g in threaded if w["thread_of"] == g["thread_of"])
    print(
        f"threading: {thread_ok}/{len(both)} agree; replies attached right {t_ok}/{len(threaded)}"
    )
    print("triggers (cases seen as cases by both):")
    pairs = [(set(w["triggers"]), set(g["decision"].triggers)) for w, g in both]
    for name in ("complexity", "urgency", "value", "emotion"):
        print(_pr(pairs, name))
    exact = sum(1 for want, got in pairs if want == got)
    print(f"  exact trigger set: {exact}/{len(pairs)}")
    prio = [(w["priority"], g["decision"].priority.label) for w, g in both]
    acc = sum(1 for a, b in prio if a == b)
    print(f"priority accuracy: {acc}/{len(prio)} = {acc / len(prio):.2f}")
    conf = Counter(prio)
    levels = ("Low", "High", "Critical")
    print("  confusion (rows = label, columns = decided):  " + "  ".join(f"{x:>8}" for x in levels))
    for a in levels:
        print(f"  {a:>44}  " + "  ".join(f"{conf[(a, b)]:>8}" for b in levels))
    print(f"  Critical cases called Low: {conf[('Critical', 'Low')]}")
    role = sum(1 for w, g in both if w["role"] == g["decision"].role)
    print(f"role accuracy: {role}/{len(both)} = {role / len(both):.2f}")
    who = sum(1 for w, g in both if w["expected_assignee_or_any"] in (None, g["decision"].assignee))
    print(f"assignee accuracy: {who}/{len(both)} = {who / len(both):.2f}")
    lang = sum(1 for w, g in both if w["language"] == g["decision"].language)
    print(f"language accuracy: {lang}/{len(both)}")
    if show:
        for w, g in both:
            d = g["decision"]
            miss = []
            if set(w["triggers"]) != set(d.triggers):
                miss.append(f"triggers {w['triggers']} got {list(d.triggers)}")
            if w["priority"] != d.priority.label:
                miss.append(f"priority {w['priority']} got {d.priority.label}")
            if w["role"] != d.role:
                miss.append(f"role {w['role']} got {d.role}")
            if w["expected_assignee_or_any"] != d.assignee:
                miss.append(f"assignee {w['expected_assignee_or_any']} got {d.assignee}")
            if miss:
                print(
                    f"\n{w['file']}: " + "; ".join(miss) + f"\n  label: {w['notes'][:300]}"
                    f"\n  why: {d.why[:600]}"
                )


if __name__ == "__main__":
    main()
