"""``sheetdesk run``: the poll cycle on a schedule, until SIGTERM or Ctrl-C.

``schedule`` is only the trigger: a private ``Scheduler()`` instance (never the
module-level default) calls one guarded job.  The guard catches everything a
cycle could raise, logs it, and lets the next tick try again; the loop sleeps
in short steps so a signal stops it within about a second, between cycles,
never in the middle of one.  Under systemd (``NOTIFY_SOCKET``) it reports
READY=1 before the first cycle, WATCHDOG=1 while it lives and STOPPING=1.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

import schedule

from automation import notify
from automation.cycle.poll import CycleReport, Runtime, poll_cycle
from automation.errors import TokenError

log = logging.getLogger("sheetdesk.run")


class Runner:
    def __init__(
        self,
        runtime: Runtime,
        interval_seconds: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.runtime = runtime
        self.interval = interval_seconds
        self.clock = clock
        self.stopping = False
        self.cycles = 0
        self.last: CycleReport | None = None
        self.scheduler = schedule.Scheduler()
        # Runs before each cycle (the OAuth2 sign-in check); a TokenError from it
        # stops the service with exit 3: a person must act, retrying cannot help.
        self.before_cycle: Callable[[], None] | None = None
        self.exit_code = 0

    def _job(self) -> None:
        try:
            if self.before_cycle is not None:
                self.before_cycle()
            self.last = poll_cycle(self.runtime, self.clock())
            self.cycles += 1
            notify.send(f"STATUS=cycle {self.cycles}: {self.last.summary()}")
        except TokenError as exc:
            log.error("%s", exc)
            self.stopping = True
            self.exit_code = exc.exit_code
        except Exception:  # the guard: one bad cycle must not end the service
            log.exception("poll cycle failed; the next one will retry")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s received: stopping after the current cycle", signum)
        if not self.stopping:
            notify.send("STOPPING=1")
        self.stopping = True

    def run(self, max_cycles: int | None = None) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        watchdog = notify.Watchdog()
        try:
            self.scheduler.every(self.interval).seconds.do(self._job)
            notify.send("READY=1", f"STATUS=polling every {self.interval} s")
            self._job()  # the first cycle starts now, not one interval from now
            while not self.stopping and (max_cycles is None or self.cycles < max_cycles):
                watchdog.pet()
                self.scheduler.run_pending()
                idle = self.scheduler.idle_seconds
                time.sleep(min(1.0, max(0.05, idle if idle is not None else 1.0)))
        finally:
            if not self.stopping:  # a signal has said so already
                notify.send("STOPPING=1")
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.scheduler.clear()
        log.info("stopped after %d cycle(s)", self.cycles)
        return self.exit_code
