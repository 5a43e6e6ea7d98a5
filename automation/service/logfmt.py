"""Log line formats: ``text`` for a person, ``json`` (one object a line) for a collector.

A JSON line carries the cycle id while a poll cycle runs, and the case id when
the line is about one case.  The cycle id lives in a context variable set by
``cycle(now)``; a case id comes from ``extra=case_extra(...)`` on the call.
Every message goes through ``scrub`` (the CLI's filter does that too), so a
configured secret never reaches either format.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from automation.secrets import scrub

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_cycle_id: ContextVar[str] = ContextVar("sheetdesk_cycle_id", default="")


def current_cycle() -> str:
    return _cycle_id.get()


@contextmanager
def cycle(now: datetime) -> Iterator[str]:
    """Name one poll cycle for the log lines written inside it."""
    cycle_id = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    token = _cycle_id.set(cycle_id)
    try:
        yield cycle_id
    finally:
        _cycle_id.reset(token)


def case_extra(text: str, cases: Mapping[str, object]) -> dict[str, str]:
    """``extra=`` for a line that starts with one of ``cases``' ids (``C-1000: ...``)."""
    head = text.split(":", 1)[0].strip()
    return {"case_id": head} if head in cases else {}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if cycle_id := _cycle_id.get():
            line["cycle"] = cycle_id
        case_id = getattr(record, "case_id", "")
        if case_id:
            line["case"] = str(case_id)
        if record.exc_info:
            line["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT)
