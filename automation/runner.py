"""``sheetdesk run``: the poll cycle on a schedule, until SIGTERM or Ctrl-C.

``schedule`` is only the trigger: a private ``Scheduler()`` instance (never the
module-level default) calls one guarded job.  The guard catches everything a
cycle could raise, logs it, and lets the next tick try again; the loop sleeps
in short steps so a signal stops it within about a second, between cycles,
never in the middle of one.  Under systemd (``NOTIFY_SOCKET``) it reports
READY=1 before the first cycle, WATCHDOG=1 while it lives and STOPPING=1.

With a ``watcher`` (IMAP IDLE, or the Maildir's), each short step is spent
waiting for new mail instead of sleeping: an arrival starts a cycle at once,
after a short quiet period (``settle_seconds``) so a burst becomes one cycle,
and never sooner than ``min_gap_seconds`` after the previous cycle started
(each cycle costs up to 2 Sheets writes against a quota of 60 per minute).
The interval schedule runs regardless, so the lifecycle's clocks (warnings,
breaches, closing) still fire when no mail comes, and it is the whole story
when the server has no IDLE.

A failed cycle counts as a cycle (``--cycles 3`` ends after three attempts,
whatever they did), and the next attempt backs off: the retry delay doubles
with each consecutive failure, from the interval (at least ``MIN_RETRY_SECONDS``)
up to ``MAX_RETRY_SECONDS``, and resets after a good cycle; neither the
schedule nor new mail starts a cycle during the backoff.  So a cycle that fails
at once (a poison store, a server down) never turns into a tight loop.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

import schedule

from automation.cycle.poll import CycleReport, Runtime, poll_cycle
from automation.errors import SheetdeskError, TokenError
from automation.ports import MailWatcher
from automation.service import notify

log = logging.getLogger("sheetdesk.run")

MIN_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 900.0


def retry_delay(interval: float, failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failed cycles (``failures`` >= 1)."""
    base = max(float(interval), MIN_RETRY_SECONDS)
    cap = max(base, MAX_RETRY_SECONDS)
    return min(cap, base * 2.0 ** min(failures - 1, 30))


class Runner:
    def __init__(
        self,
        runtime: Runtime,
        interval_seconds: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        watcher: MailWatcher | None = None,
        settle_seconds: float = 0.3,
        min_gap_seconds: float = 2.0,
    ) -> None:
        self.runtime = runtime
        self.watcher = watcher
        self.settle = settle_seconds
        self.min_gap = min_gap_seconds
        self._last_start = float("-inf")
        self.woken = 0  # cycles started by new mail rather than the interval
        self.interval = interval_seconds
        self.clock = clock
        self.stopping = False
        self.cycles = 0  # attempts, failed ones included
        self.failures = 0  # consecutive failed cycles
        self.last_exit = 0  # the exit code the last attempt maps to
        self.resume_at = 0.0  # time.monotonic() before which no cycle starts (backoff)
        self.last: CycleReport | None = None
        self.scheduler = schedule.Scheduler()
        # Runs before each cycle (the OAuth2 sign-in check); a TokenError from it
        # stops the service with exit 3: a person must act, retrying cannot help.
        self.before_cycle: Callable[[], None] | None = None
        self.exit_code = 0

    def _job(self) -> None:
        self._last_start = time.monotonic()
        try:
            if self.before_cycle is not None:
                self.before_cycle()
            self.last = poll_cycle(self.runtime, self.clock())
            self.cycles += 1
            notify.send(f"STATUS=cycle {self.cycles}: {self.last.summary()}")
            if self.last.completed:
                self.failures = 0
                self.last_exit = 0
            else:
                self._failed(self.last.exit_code)
        except TokenError as exc:
            log.error("%s", exc)
            self.stopping = True
            self.exit_code = exc.exit_code
        except Exception as exc:  # the guard: one bad cycle must not end the service
            self.cycles += 1
            log.exception("poll cycle failed")
            self._failed(exc.exit_code if isinstance(exc, SheetdeskError) else 1)

    def _failed(self, exit_code: int) -> None:
        self.failures += 1
        self.last_exit = exit_code
        delay = retry_delay(self.interval, self.failures)
        log.warning("%d failed cycle(s) in a row; the next try is in %.0f s", self.failures, delay)
        self.resume_at = time.monotonic() + delay

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s received: stopping after the current cycle", signum)
        if not self.stopping:
            notify.send("STOPPING=1")
        self.stopping = True

    def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or, with a watcher, wait for mail that long; on
        mail, let the burst settle and run one cycle (see the module docstring)."""
        if self.watcher is None:
            time.sleep(seconds)
            return
        if not self.watcher.wait(seconds) or time.monotonic() < self.resume_at:
            return
        start = time.monotonic()
        earliest = max(start + self.settle, self._last_start + self.min_gap)
        while not self.stopping:
            quiet = max(self.settle, earliest - time.monotonic())
            if time.monotonic() - start > 5 * self.settle + self.min_gap:
                break  # a steady stream: don't wait for it to stop
            if not self.watcher.wait(min(quiet, 1.0)) and time.monotonic() >= earliest:
                break
        if not self.stopping:
            self.woken += 1
            self._job()

    def run(self, max_cycles: int | None = None) -> int:
        """Cycle until stopped or ``max_cycles`` attempts; the exit code is 0 unless
        the sign-in failed or the last attempt failed (then that failure's code)."""
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        watchdog = notify.Watchdog()
        try:
            self.scheduler.every(self.interval).seconds.do(self._job)
            notify.send("READY=1", f"STATUS=polling every {self.interval} s")
            self._job()  # the first cycle starts now, not one interval from now
            while not self.stopping and (max_cycles is None or self.cycles < max_cycles):
                watchdog.pet()
                if time.monotonic() >= self.resume_at:
                    self.scheduler.run_pending()
                idle = self.scheduler.idle_seconds
                self._pause(min(1.0, max(0.05, idle if idle is not None else 1.0)))
        finally:
            if not self.stopping:  # a signal has said so already
                notify.send("STOPPING=1")
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.scheduler.clear()
        log.info("stopped after %d cycle(s)", self.cycles)
        return self.exit_code or (self.last_exit if self.failures else 0)
