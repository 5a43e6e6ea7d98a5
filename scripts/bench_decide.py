"""Speed benchmark for the decision core (not a test): 500 phrase rules, 30 people.

Usage: .venv/bin/python scripts/bench_decide.py [--messages 2000] [--huge-kb 500]
Prints messages per second for ``decide`` on a mix of short and long messages,
then the time ``decide`` takes on one hostile body: a single topic keyword
repeated to ``--huge-kb`` kilobytes (issue 11 finding 8: 858 s before topic
matching was made linear).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation.decide.core import decide
from automation.decide.load import TeamLoad
from automation.model import Address, Message
from automation.ports import Grid
from automation.tables.parse_tabs import parse_tables
from automation.tables.starter import starter_tabs

ROLES = ["general", "billing", "refunds", "technical", "sales", "retention", "legal"]
ZONES = ["Europe/London", "America/Denver", "Australia/Melbourne", "Europe/Berlin"]
CATEGORIES = ["complexity", "urgency", "value", "emotion", "no workaround"]


def bench_tabs() -> dict[str, Grid]:
    tabs: dict[str, Grid] = {s.title: (s.header, *s.rows) for s in starter_tabs()}
    team = [tabs["Team"][0]]
    for i in range(30):
        team.append(
            (
                f"Person {i}",
                f"p{i}@shop.test",
                ", ".join({ROLES[i % 7], ROLES[(i * 3) % 7]}),
                str(1 + i % 3),
                ZONES[i % 4],
                "Mon-Fri",
                "08:00",
                "17:00",
                "5",
                f"Person {(i + 1) % 30}",
                "en, de" if i % 2 else "en, es",
                "Yes",
            )
        )
    tabs["Team"] = tuple(team)
    triggers = list(tabs["Triggers"])
    for i in range(500 - (len(triggers) - 1)):
        triggers.append((CATEGORIES[i % 5], f"owner phrase {i}", "", "phrase"))
    tabs["Triggers"] = tuple(triggers)
    tabs["Response times"] = tuple(
        r if i == 0 else (*r[:4], "") for i, r in enumerate(tabs["Response times"])
    )
    return tabs


def message(i: int) -> Message:
    body = (
        "Hello, my invoice for March looks wrong and the website shows an error "
        "when I log in. This is urgent, we are disappointed. " * (1 + i % 8)
    )
    when = datetime(2025, 3, 3, tzinfo=UTC) + timedelta(minutes=37 * i)
    return Message(
        key=str(i),
        message_id=f"{i}@bench",
        sender=Address("", f"c{i}@cust{i % 9}.de"),
        reply_to=(),
        to=(),
        cc=(),
        subject=f"Order {i} problem",
        date=when,
        in_reply_to=(),
        references=(),
        headers=(),
        body_text=body,
        new_text=body,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--huge-kb", type=int, default=500)
    args = ap.parse_args()
    tables, problems = parse_tables(bench_tabs())
    if problems:
        raise SystemExit("\n".join(problems))
    print(f"{len(tables.phrases)} phrase rules, {len(tables.members)} team members")
    messages = [message(i) for i in range(args.messages)]
    load = TeamLoad()
    start = time.perf_counter()
    for m in messages:
        decision = decide(m, None, tables, load, m.date or datetime.now(UTC))
        if decision.assignee:
            load = load.with_assignment(decision.assignee, decision.role)
    elapsed = time.perf_counter() - start
    print(f"{args.messages} messages in {elapsed:.2f}s: {args.messages / elapsed:.0f} messages/s")
    if args.huge_kb:
        body = "invoice " * (args.huge_kb * 1024 // 8)
        huge = replace(message(0), body_text=body, new_text=body)
        start = time.perf_counter()
        decision = decide(huge, None, tables, TeamLoad(), huge.date or datetime.now(UTC))
        took = time.perf_counter() - start
        print(
            f"one {len(body) // 1024} KB body of one keyword repeated: {took:.2f}s "
            f"(role {decision.role})"
        )


if __name__ == "__main__":
    main()
