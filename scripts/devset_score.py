"""Score sheetdesk against the labelled development set, through the real poll cycle.

Usage: .venv/bin/python scripts/devset_score.py [--devset ../shared/devset]
       [--show-misses] [--direct] [--keep-caps]

The devset's ``team.yaml`` is translated into tab grids the way its owner would
fill them in after ``sheetdesk init``: the starter tabs stay, the Team,
Accounts and Regions tabs are replaced by the business's own, its phrase lists
are added to the Triggers tab, its role descriptions become Topics keywords,
its routing steps become the Routing tab.

Pipeline (the default): a ``MemoryStore`` holding those tabs and an empty
Cases tab, a temporary Maildir, a ``FileOutbox``, a ``DecisionSource`` and the
built-in templates make a ``Runtime``; the messages are delivered one at a
time in ``Date`` order and after each one ``poll_cycle(runtime, now)`` runs
with ``now`` = that message's Date.  One cycle per message keeps routing's
"who is on shift now" equal to the send time the labels use, and lets every
reply see its case exactly as the previous cycle left it.  After each cycle
the Cases and Non-cases tabs are read back: the case whose "Thread IDs" hold
the message's Message-ID gives its Triggers, Priority (auto), Role and Routed
to; a Message-ID in the Non-cases tab is a non-case.  A reply is scored by the
decision the cycle made for that reply (recorded by ``RecordingSource``): the
case row itself keeps the case's highest priority and every trigger seen, by
design, so it would score a closing "thanks, all fixed" as the case's Critical.
After each cycle the team "answers" every new case (its Status becomes Waiting
on customer), so a later reply is not read as written after a missed promise.

The tool numbers its own cases, so the devset's ``[BB-nnnnn]`` tags (issued
by another tool instance, with gaps for phone cases) would point at the wrong
rows; the replay uses the default ``[Case #n]`` tag, so replies are threaded
by their References / In-Reply-To only.

``--direct`` also prints the old figures: parse -> classify -> approximate
threading -> ``decide`` on every message, replies re-decided.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation import config
from automation.adapters.file_outbox import FileOutbox
from automation.adapters.maildir_inbox import MaildirInbox
from automation.adapters.memory_state import MemoryStateDir
from automation.adapters.memory_store import MemoryStore
from automation.cycle.decisions import DecisionSource
from automation.cycle.intake import NONCASE_TAB
from automation.cycle.poll import Runtime, poll_cycle
from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.mail.classify import classify
from automation.mail.reader import parse_message
from automation.model import CaseRow, Decision, Message, frozen_map
from automation.outgoing.contexts import sample_context
from automation.outgoing.ledger import Ledger
from automation.outgoing.templates import TemplateSet
from automation.ports import Grid
from automation.sheet import case_table as casetab
from automation.sheet import layout as columns
from automation.tables.parse_tabs import parse_tables
from automation.tables.starter import starter_tabs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = ROOT.parent / "shared" / "devset"
_UNDATED = datetime(2025, 1, 1, tzinfo=UTC)


def _grid(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Grid:
    return (header, *rows)


_FILLER = frozenset(
    "the our own and for with that from into about anything else whose other look "
    "customer customers case cases over under after before when than then also only more "
    "most some each every such very".split()
)


def _role_keywords(description: str, split: bool = True) -> list[str]:
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
        if split:
            words += [w for w in re.findall(r"[a-z][a-z-]{3,}", part) if w not in _FILLER]
    return list(dict.fromkeys(words))


def _code(value: object) -> str:
    # YAML 1.1 reads the country code "no" (Norway) as False.
    return "no" if value is False else str(value)


def _plan(account: Mapping[str, Any]) -> str:
    """The Accounts tab's Plan cell from whatever size the yaml gives (sites for
    the first set, entities and payroll size for the second)."""
    parts = [f"{account[k]} {k.replace('_', ' ')}" for k in ("sites", "entities") if k in account]
    if "employees_on_payroll" in account:
        parts.append(f"{account['employees_on_payroll']} employees on payroll")
    return ", ".join(parts)


def _home_zone(team: Mapping[str, Any]) -> str:
    """The business's time zone: the owner's (the legal owner, tier 3)."""
    owner = next((m for m in team["team"] if m.get("legal_owner")), team["team"][0])
    return str(owner["time_zone"])


_GUIDE_GENERIC = re.compile(
    r"outages?|security concerns?|major client complaints?|contract disputes?|a |an |the |"
    r"that |cannot |can't |be |paid|blocked|down",
    re.IGNORECASE,
)


def _core_activities(team: Mapping[str, Any]) -> list[str]:
    """What the owner would type as "what our customers can't work without": the
    systems the business runs for them, and what its Critical line names beyond
    the guide's generic examples ("a payroll that cannot be paid" -> payroll)."""
    words = [str(k).replace("_", " ") for k in team["business"].get("systems", {})]
    critical = team.get("escalation_guide", {}).get("priorities", {}).get("Critical", "")
    inside = re.search(r"\((.*)\)", critical)
    for item in (inside.group(1) if inside else "").split(","):
        rest = " ".join(_GUIDE_GENERIC.sub(" ", item).split())
        if rest:
            words.append(rest)
    return list(dict.fromkeys(words))


def owner_tabs(team: Mapping[str, Any], keep_caps: bool = False) -> dict[str, Grid]:
    """What the devset's owner would have typed into the tabs.

    The labels do not model capacity; nobody closes a case during a replay, so
    unless ``keep_caps`` the Max open cases cells are set to the largest value."""
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
                str(m["max_concurrent_cases"]) if keep_caps else "1000",
                m.get("backup", ""),
                ", ".join(m["languages"]),
                "Yes",
            )
            for m in members
        ],
    )
    topics = []
    held = {r for m in members for r in m["roles"]}
    described = {
        role: {w.rstrip("s") for w in [role, *_role_keywords(description)]}
        for role, description in team["roles"].items()
    }

    def elsewhere(word: str, role: str) -> bool:
        key = word.strip().lower().rstrip("s")
        mine = described.get(role, set())
        return key not in mine and any(key in words for words in described.values())

    for row in tabs["Topics"][1:]:
        name, role, keywords, expert, when = row
        if role not in held:
            continue  # the owner deletes a starter topic for a role nobody has
        # ... and moves a starter keyword their own roles file elsewhere ("tax").
        kept = [k.strip() for k in keywords.split(",") if not elsewhere(k, role)]
        if when == "security concern":
            expert = security
        elif when == "legal threat":
            expert = legal
        topics.append((name, role, ", ".join(kept), expert, when))
    for role, description in team["roles"].items():
        # The catch-all role is described in generic words ("contact details,
        # anything else"): its items are keywords, not each of their words.
        words = _role_keywords(description, split=role != "general")
        topics.append((f"{role} (owner's description)", role, ", ".join(words), "", ""))
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
                _plan(a),
                str(a.get("contract_value_eur_per_year") or a.get("fees_eur_per_year", "")),
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
    }  # the yaml's date_offset lines
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
    core = "What our customers can't work without"
    settings[core] = (core, ", ".join(_core_activities(team)), "")
    settings["Business time zone"] = ("Business time zone", _home_zone(team), "")
    tabs["Settings"] = _grid(tabs["Settings"][0], list(settings.values()))
    return tabs


@dataclass(frozen=True)
class Got:
    """What the tool made of one case message, however it was obtained."""

    triggers: tuple[str, ...]
    priority: str
    role: str
    assignee: str | None
    language: str | None
    why: str
    thread_of: str | None


# --------------------------------------------------------------- the pipeline


class _Recording:
    """The cycle's decider, remembering the decision it made for each message, so a
    reply is scored by the pipeline's own judgment of that reply (the case row keeps
    the case's highest priority and every trigger seen, by design)."""

    def __init__(self, inner: Any, seen: dict[str, Decision]) -> None:
        self.inner, self.seen = inner, seen
        self.tables = inner.tables

    def decide(self, message: Message, history: CaseRow | None, now: datetime) -> Decision:
        decision: Decision = self.inner.decide(message, history, now)
        self.seen[message.message_id.lower()] = decision
        return decision

    def assigned(self, person: str) -> None:
        self.inner.assigned(person)

    def assign_waiting(self, case: CaseRow, now: datetime) -> Decision:
        decision: Decision = self.inner.assign_waiting(case, now)
        return decision


class RecordingSource(DecisionSource):
    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, Decision] = {}

    def for_cycle(self, snapshot: Any, now: datetime) -> tuple[Any, list[str]]:
        decider, problems = super().for_cycle(snapshot, now)
        return _Recording(decider, self.seen), problems


def _runtime(base: Path, team: Mapping[str, Any], tabs: Mapping[str, Grid]) -> Runtime:
    addresses = team["addresses"]
    own = [a["address"] for a in addresses["own_sending_addresses"]]
    cfg = config.from_dict(
        {
            "inbox": {"kind": "maildir", "maildir": {"path": "mail"}},
            "outbox": {"kind": "files", "files": {"path": "outbox"}},
            "business": {
                "name": team["business"]["name"],
                "support_address": addresses["support_inbox"],
                "own_addresses": own,
                "own_domains": list(addresses["own_domains"]),
                "message_id_domain": addresses.get("tool_message_id_domain", ""),
                "time_zone": _home_zone(team),
            },
            "poll": {"state_dir": "state"},
        },
        base_dir=str(base),
    )
    state = MemoryStateDir()
    grids = {casetab.CASES_TAB: [list(columns.DEFAULT_ORDER)]}
    grids.update({title: [list(row) for row in grid] for title, grid in tabs.items()})
    return Runtime(
        config=cfg,
        inbox=MaildirInbox(cfg.inbox.maildir, base),
        outbox=FileOutbox(cfg.outbox.files, base),
        store=MemoryStore(grids),
        templates=TemplateSet(None, sample_context(cfg)),
        decisions=RecordingSource(),
        ledger=Ledger(state),
        state=state,
    )


def _rows(grid: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    if not grid:
        return []
    header = list(grid[0])
    return [
        dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False))
        for row in grid[1:]
    ]


def _ids(cell: str) -> list[str]:
    return [part.strip().strip("<>").lower() for part in cell.split() if part.strip()]


def _team_answers(store: MemoryStore) -> None:
    """The team answers every new case within its promise (the labels assume a
    working team): an unanswered Status becomes "Waiting on customer", as a person
    would set it after writing back.  Without this every later reply carries
    "commitment breached", which no real team's queue would show."""
    grid = store.tabs[casetab.CASES_TAB]
    status = grid[0].index(columns.STATUS)
    for row in grid[1:]:
        if status < len(row) and row[status].strip().casefold() in ("", "new", "assigned"):
            row[status] = "Waiting on customer"


def run_pipeline(
    devset: Path,
    team: Mapping[str, Any],
    tabs: Mapping[str, Grid],
    labels: list[dict[str, Any]],
    answered: bool = True,
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], Counter[str]]:
    """Deliver each message, run one cycle at its Date, read the sheet back."""
    rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
    totals: Counter[str] = Counter()
    first_of_case: dict[str, str] = {}  # case ID -> file of its first message
    with tempfile.TemporaryDirectory(prefix="devset-") as tmp:
        base = Path(tmp)
        rt = _runtime(base, team, tabs)
        source = rt.decisions
        assert isinstance(source, RecordingSource)
        store = rt.store
        assert isinstance(store, MemoryStore)
        for sub in ("tmp", "new", "cur"):
            (base / "mail" / sub).mkdir(parents=True, exist_ok=True)
        for label in labels:
            raw = (devset / "messages" / label["file"]).read_bytes()
            mid = parse_message(raw, label["file"]).message_id.lower()
            date = parse_message(raw, label["file"]).date or _UNDATED
            (base / "mail" / "new" / label["file"]).write_bytes(raw)
            report = poll_cycle(rt, date.astimezone(UTC))
            totals.update(report.counts)
            if answered:
                _team_answers(store)
            if not report.completed:
                raise SystemExit(f"{label['file']}: cycle cut short: {report.problems}")
            got: dict[str, Any] = {"is_case": False, "reason": ""}
            for entry in _rows(store.tabs.get(NONCASE_TAB, [])):
                if entry.get("Message-ID", "").strip("<>").lower() == mid:
                    got["reason"] = f"{entry.get('Kind')}: {entry.get('Reason')}"
            for case in _rows(store.tabs[casetab.CASES_TAB]):
                ids = _ids(case.get(columns.THREAD_IDS, ""))
                if mid not in ids:
                    continue
                case_id = case[columns.CASE_ID]
                first_of_case.setdefault(case_id, label["file"])
                first = first_of_case[case_id]
                mine = source.seen.get(mid)
                if first != label["file"] and mine is not None:
                    # A reply: the pipeline's decision for this very message.
                    got.update(
                        is_case=True,
                        decision=Got(
                            triggers=mine.triggers,
                            priority=mine.priority.label,
                            role=mine.role,
                            assignee=mine.assignee or case.get("Routed to") or None,
                            language=mine.language,
                            why=mine.why,
                            thread_of=first,
                        ),
                    )
                    break
                got.update(
                    is_case=True,
                    decision=Got(
                        triggers=tuple(
                            t.strip() for t in case.get("Triggers", "").split(",") if t.strip()
                        ),
                        priority=case.get("Priority (auto)", ""),
                        role=case.get("Role", ""),
                        assignee=case.get("Routed to") or None,
                        language=case.get("Language") or None,
                        why=case.get("Why", ""),
                        thread_of=None if first == label["file"] else first,
                    ),
                )
                break
            rows.append((label, got))
    return rows, totals


# ---------------------------------------------------------- the old, direct way


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


def _thread(msg: Message, by_id: dict[str, str]) -> str | None:
    for ref in reversed(msg.thread_ids):
        if ref.lower() in by_id:
            return by_id[ref.lower()]
    return None


def run_direct(
    devset: Path, team: Mapping[str, Any], tabs: Mapping[str, Grid], labels: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """parse -> classify -> threading by References -> decide, replies re-decided,
    with an empty team load (the script's method before the pipeline replay)."""
    tables, problems = parse_tables(tabs)
    if problems:
        raise SystemExit("tab problems:\n" + "\n".join(problems))
    addresses = team["addresses"]
    own_addresses = frozenset(a["address"] for a in addresses["own_sending_addresses"])
    own_domains = frozenset(addresses["own_domains"])
    by_id: dict[str, str] = {}
    cases: dict[str, tuple[CaseRow, int]] = {}
    first_file: dict[str, str] = {}
    rows = []
    for label in labels:
        raw = (devset / "messages" / label["file"]).read_bytes()
        msg = parse_message(raw, label["file"])
        verdict = classify(msg, own_addresses=own_addresses, own_domains=own_domains)
        got: dict[str, Any] = {"is_case": verdict.is_case, "reason": verdict.reason}
        if verdict.is_case:
            now = (msg.date or _UNDATED).astimezone(UTC)
            case_id = _thread(msg, by_id)
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
            got["decision"] = Got(
                triggers=decision.triggers,
                priority=decision.priority.label,
                role=decision.role,
                assignee=decision.assignee,
                language=decision.language,
                why=decision.why,
                thread_of=None if count == 1 else first_file[case_id],
            )
        rows.append((label, got))
    return rows


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
    ap.add_argument(
        "--direct", action="store_true", help="also print the old figures (decide called directly)"
    )
    ap.add_argument(
        "--keep-caps",
        action="store_true",
        help="keep team.yaml's max_concurrent_cases (the labels ignore capacity)",
    )
    ap.add_argument(
        "--unanswered",
        action="store_true",
        help="nobody answers during the replay (the old method: replies carry commitment breached)",
    )
    args = ap.parse_args()
    team = yaml.safe_load((args.devset / "team.yaml").read_text())
    tabs = owner_tabs(team, keep_caps=args.keep_caps)
    _, problems = parse_tables(tabs)
    if problems:
        raise SystemExit("tab problems:\n" + "\n".join(problems))
    labels = [json.loads(line) for line in (args.devset / "labels.jsonl").read_text().splitlines()]
    rows, counts = run_pipeline(args.devset, team, tabs, labels, answered=not args.unanswered)
    print("== pipeline: poll_cycle per message (a reply scored by its own decision) ==")
    print("cycle counts: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()) if v))
    report(rows, args.show_misses)
    replies = [(w, g) for w, g in rows if w["thread_of"] and g["is_case"]]
    if replies:
        prio_ok = sum(1 for w, g in replies if w["priority"] == g["decision"].priority)
        role_ok = sum(1 for w, g in replies if w["role"] == g["decision"].role)
        print(
            f"  (replies, scored by the cycle's decision for each: {len(replies)}; "
            f"priority right {prio_ok}, role right {role_ok})"
        )
    if args.direct:
        print("\n== direct: decide() per message, replies re-decided (the old method) ==")
        report(run_direct(args.devset, team, tabs, labels), show=False)


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
    thread_ok = sum(1 for w, g in both if w["thread_of"] == g["decision"].thread_of)
    threaded = [(w, g) for w, g in both if w["thread_of"]]
    t_ok = sum(1 for w, g in threaded if w["thread_of"] == g["decision"].thread_of)
    print(
        f"threading: {thread_ok}/{len(both)} agree; replies attached right {t_ok}/{len(threaded)}"
    )
    print("triggers (cases seen as cases by both):")
    pairs = [(set(w["triggers"]), set(g["decision"].triggers)) for w, g in both]
    for name in ("complexity", "urgency", "value", "emotion"):
        print(_pr(pairs, name))
    exact = sum(1 for want, got in pairs if want == got)
    print(f"  exact trigger set: {exact}/{len(pairs)}")
    prio = [(w["priority"], g["decision"].priority) for w, g in both]
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
            if w["priority"] != d.priority:
                miss.append(f"priority {w['priority']} got {d.priority}")
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
