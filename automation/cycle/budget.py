"""A per-message time budget: one message can never hold up the mail behind it.

Matching is linear (``decide/matching.py``), but a parser or a rule can still
meet an input nobody foresaw.  Each message's intake runs under an interval
timer; when it overruns, ``MessageOverrun`` is raised inside it, intake's own
guard quarantines that message with the reason, and the cycle goes on.

Limits, said plainly: the timer is a ``SIGALRM``, so it works in the main
thread only (elsewhere, e.g. a test driving the cycle from a thread, there is
no budget), and Python delivers it between bytecodes, so a single long call
into C code ends before the overrun is noticed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class MessageOverrun(Exception):
    """Raised inside a message's intake when it used up its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the body with ``MessageOverrun`` raised after ``seconds`` (0: no budget)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def overrun(signum: int, frame: FrameType | None) -> None:
        raise MessageOverrun(f"took longer than the {seconds:g} s budget for one message")

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
