"""Issue 11, finding 2: failed cycles count toward ``--cycles`` and the retry backs off.

Before the fix ``Runner.run(3)`` with a cycle that always fails never returned
(failed cycles were not counted), and the retries came as fast as the
scheduler ticked (12 failed cycles in 15 s).
"""

from __future__ import annotations

import dataclasses
import signal
import time
from pathlib import Path

import pytest

from automation import runner as runner_mod
from automation.adapters.memory_store import MemoryStore
from automation.errors import StoreError
from automation.ports import Snapshot
from automation.runner import Runner, retry_delay
from tests.cycle.test_cycle import make_runtime


class BrokenStore(MemoryStore):
    """A store that fails every read, recording when it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[float] = []

    def load(self) -> Snapshot:
        self.attempts.append(time.monotonic())
        raise StoreError("the store is down")


def test_retry_delay_doubles_from_the_interval_and_is_capped() -> None:
    delays = [retry_delay(60, n) for n in range(1, 12)]
    assert delays[:4] == [60.0, 120.0, 240.0, 480.0]
    assert max(delays) == runner_mod.MAX_RETRY_SECONDS == delays[-1]
    assert retry_delay(1, 1) == runner_mod.MIN_RETRY_SECONDS  # never a tight loop
    assert retry_delay(3600, 5) == 3600.0  # an interval above the cap is the cap
    assert retry_delay(60, 10_000) == runner_mod.MAX_RETRY_SECONDS  # no overflow


def test_failed_cycles_count_and_back_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_mod, "MIN_RETRY_SECONDS", 0.1)
    monkeypatch.setattr(runner_mod, "MAX_RETRY_SECONDS", 1.5)
    store = BrokenStore()
    runner = Runner(make_runtime(tmp_path, store), interval_seconds=1)

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("--cycles 4 never ended: failed cycles are not counted")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        code = runner.run(max_cycles=4)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert code == StoreError.exit_code  # the last attempt failed: its exit code
    assert runner.cycles == 4 and runner.failures == 4 and len(store.attempts) == 4
    gaps = [b - a for a, b in zip(store.attempts, store.attempts[1:], strict=False)]
    # Each wait is at least the backoff for that many failures: 1, 1.5 (the cap), 1.5.
    assert all(g >= want - 0.05 for g, want in zip(gaps, (1.0, 1.5, 1.5), strict=True)), gaps


def test_a_good_cycle_resets_the_backoff(tmp_path: Path) -> None:
    runner = Runner(make_runtime(tmp_path), interval_seconds=60)
    runner.failures = 5
    runner._job()  # an empty inbox and a working store: a good cycle
    assert runner.failures == 0 and runner.last_exit == 0 and runner.cycles == 1


def test_a_message_over_its_time_budget_is_quarantined_and_the_rest_flows(
    tmp_path: Path,
) -> None:
    """Issue 11, finding 8 (the per-message budget; linear matching is decide/'s)."""
    from automation.cycle.poll import poll_cycle
    from tests.cycle.test_cycle import NOW, deliver, mail

    rt = make_runtime(tmp_path)
    rt.config = dataclasses.replace(
        rt.config, poll=dataclasses.replace(rt.config.poll, message_seconds=0.3)
    )
    slow_subject = "this one never ends"
    original = rt.decisions.for_cycle

    def for_cycle(snapshot: Snapshot, now: object) -> object:
        decider, problems = original(snapshot, now)  # type: ignore[arg-type]
        decide = decider.decide

        def stuck(message: object, case: object, when: object) -> object:
            if getattr(message, "subject", "") == slow_subject:
                while True:  # a rule meeting an input nobody foresaw
                    time.sleep(0.01)
            return decide(message, case, when)  # type: ignore[arg-type]

        decider.decide = stuck  # type: ignore[method-assign]
        return decider, problems

    rt.decisions.for_cycle = for_cycle  # type: ignore[method-assign]
    deliver(tmp_path, mail(slow_subject, "slow@customer.example"), "1.slow")
    deliver(tmp_path, mail("Broken lamp", "fine@customer.example"), "2.fine")
    report = poll_cycle(rt, NOW)
    assert report.counts["quarantined"] == 1 and report.counts["case created"] == 1
    quarantine = rt.store.tabs["Quarantine"]  # type: ignore[attr-defined]
    assert "took longer than the 0.3 s budget" in quarantine[1][1]
