"""The fault harness at full size: every scenario of issue 6, figures side by side.

    .venv/bin/python scripts/fault_harness.py --full      # 1,000 + the whole corpus, 20 kills
    .venv/bin/python scripts/fault_harness.py             # the CI sizes
    .venv/bin/python scripts/fault_harness.py --only kills,lock

This process is the long-lived one: it starts Dovecot (one fresh mailbox per
scenario), aiosmtpd and the Sheets stand-in, and runs the real ``sheetdesk``
command against them as child processes (``poll --once``, ``run``), so the
servers outlive every sheetdesk process, kill -9 included.  The scenarios are
the functions the pytest tests (``tests/faults/test_*.py``) run at reduced size.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults import test_kills as kills
from tests.faults import test_lock as lock
from tests.faults import test_outage as outage
from tests.faults import test_poison as poison
from tests.faults import test_robot as robot
from tests.faults import test_security as security
from tests.faults import test_smtp as smtp
from tests.faults import test_state as state
from tests.faults import test_trust as trust
from tests.faults import test_two_runners as two_runners
from tests.support import mailservers
from tests.support.faults import Figure, World, backlog, corpus, world

Sizes = dict[str, Any]
CI: Sizes = {
    "backlog": 100,
    "corpus": 20,
    "kills": 5,
    "lock": 60,
    "poison": (20, 20),
    "smtp": 30,
    "outage": (80, 15),
    "state": 30,
    "robot": 5,
    "hostile": 20,
    "two-runners": 60,
    "trust": 6,
}
FULL: Sizes = {
    "backlog": 1000,
    "corpus": None,
    "kills": 20,
    "lock": 1000,
    "poison": (500, 500),
    "smtp": 300,
    "outage": (1000, None),
    "state": 300,
    "robot": 12,
    "hostile": 200,
    "two-runners": 300,
    "trust": 50,
}


def _kills(w: World, s: Sizes) -> Figure:
    w.load(backlog(s["backlog"]) + corpus(s["corpus"]))
    return kills.scenario(w, kills=s["kills"], seed=6)[0]


SCENARIOS: dict[str, tuple[bool, Callable[[World, Sizes], Figure]]] = {
    "kills": (True, _kills),
    "lock": (False, lambda w, s: lock.scenario(w, s["lock"])[0]),
    "poison": (False, lambda w, s: poison.scenario(w, *s["poison"])[0]),
    "smtp": (False, lambda w, s: smtp.scenario(w, s["smtp"], down_cycles=3)[0]),
    "outage": (False, lambda w, s: outage.scenario(w, *s["outage"], max_cycles=20)[0]),
    "state": (False, lambda w, s: state.scenario(w, s["state"])),
    "robot": (False, lambda w, s: robot.scenario(w, s["robot"], limit=3)),
    "hostile": (False, lambda w, s: security.scenario(w, s["hostile"])[0]),
    "two-runners": (False, lambda w, s: two_runners.scenario(w, s["two-runners"])[0]),
    "trust": (False, lambda w, s: trust.scenario(w, s["trust"])[0]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000 messages + corpus, 20 kills")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else CI
    chosen = [n for n in SCENARIOS if not args.only or n in args.only.split(",")]
    pki_dir = mailservers.make_private_dir("sheetdesk-harness-pki-")
    dovecot = mailservers.Dovecot(mailservers.TestPKI.create(pki_dir)).start()
    figures: list[tuple[Figure, int, list[str]]] = []
    try:
        for name in chosen:
            proxied, run = SCENARIOS[name]
            cut = outage.CUTS if name == "outage" else ()
            root = mailservers.make_private_dir(f"sheetdesk-harness-{name}-")
            print(f"--- {name} ...", flush=True)
            try:
                with world(root, dovecot.new_user(), proxy=proxied, cut_after=cut) as w:
                    figure = run(w, sizes)
                    peak = max((r.max_rss_kb for r in w.runs), default=0)
                    figures.append((figure, peak, w.leaks()))
            except Exception as exc:  # report and go on: one broken scenario is a figure too
                figures.append(
                    (Figure(name, "", f"HARNESS ERROR {type(exc).__name__}: {exc}"), 0, [])
                )
            shutil.rmtree(root, ignore_errors=True)
    finally:
        dovecot.stop()
        dovecot.cleanup()
        shutil.rmtree(pki_dir, ignore_errors=True)
    print(f"\n{'full' if args.full else 'CI'} size")
    for figure, peak, leaks in figures:
        print(f"\n## {figure.scenario}")
        print("  django-helpdesk 2.6.1: " + (figure.theirs or "-"))
        print(
            textwrap.fill(
                "sheetdesk: " + figure.ours, 100, initial_indent="  ", subsequent_indent="    "
            )
        )
        print(f"  peak RSS of a sheetdesk process: {peak // 1024} MB; secrets leaked: {len(leaks)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
