"""``sheetdesk check``: the configuration, the templates, every server, the tabs.

Each check prints one line, ``ok``, ``info`` or ``PROBLEM``, and never a secret.
The exit status is the code ``poll`` gives for the same condition (2 config,
tables or templates invalid; 3 security or login refused; 75 a server
unreachable), the most serious one when several fail; 4 when the poller's own
last cycle had problems or is overdue.  ``info`` (no cycle has run yet, right
after ``init``) is not a problem: exit 0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from automation import wiring
from automation.config import Config
from automation.errors import PollerUnhealthy, SheetdeskError, TablesError
from automation.secrets import scrub
from automation.sheet import layout as columns


def _probe(obj: object) -> str:
    probe: Callable[[], str] | None = getattr(obj, "probe", None)
    return probe() if probe is not None else "reachable"


# When checks fail with different codes, the first of these wins (as in ``poll``,
# a bad config or template stops everything before any server is tried).
SEVERITY: tuple[int, ...] = (2, 3, 1, 75, 4)


class Info(Exception):
    """A check's finding that is worth a line but is not a problem."""


def run_checks(cfg: Config) -> tuple[list[str], bool]:
    lines, code = run(cfg)
    return lines, code == 0


def run(cfg: Config) -> tuple[list[str], int]:
    """Every check's line, and the exit code (0 when nothing is a problem)."""
    lines: list[str] = ["ok       config: parsed, no unknown keys"]
    codes: list[int] = []

    def attempt(label: str, action: Callable[[], str]) -> object:
        try:
            detail = action()
            lines.append(f"ok       {label}: {detail}")
            return detail
        except Info as note:
            lines.append(f"info     {label}: {note}")
        except SheetdeskError as exc:
            codes.append(exc.exit_code)
            lines.append(f"PROBLEM  {label}: {scrub(str(exc))}")
        except Exception as exc:
            codes.append(1)
            lines.append(f"PROBLEM  {label}: {type(exc).__name__}: {scrub(str(exc))}")
        return None

    def templates() -> str:
        wiring.build_templates(cfg)
        return "all render against a sample case"

    attempt("templates", templates)
    tokens = None
    if wiring.oauth2_users(cfg):
        tokens = _token_check(cfg, attempt)
    inbox_holder: list[object] = []

    def inbox() -> str:
        box = wiring.build_inbox(cfg, tokens)
        inbox_holder.append(box)
        return _probe(box)

    attempt(f"inbox ({cfg.inbox.kind})", inbox)
    attempt(
        f"outbox ({cfg.outbox.kind})",
        lambda: _probe(wiring.build_outbox(cfg, tokens=tokens)),
    )

    health_rows: list[tuple[tuple[str, ...], ...]] = []
    attempt(f"store ({cfg.store.kind})", lambda: _store_check(cfg, lines, health_rows, attempt))
    if health_rows:
        attempt("poller health", lambda: poller_health(health_rows[0], cfg, _now()))
    for box in inbox_holder:
        close = getattr(box, "close", None)
        if close is not None:
            close()
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return lines, min(codes, key=lambda c: rank.get(c, len(SEVERITY)), default=0)


def _store_check(
    cfg: Config,
    lines: list[str],
    health_rows: list[tuple[tuple[str, ...], ...]],
    attempt: Callable[[str, Callable[[], str]], object],
) -> str:
    """The ``store`` line: one read, the owners' tabs parsed (each problem a
    line of its own); keeps the Health tab for the poller-health check."""
    from automation.cycle.decisions import DecisionSource

    built = wiring.build_store(cfg)
    if hasattr(built, "probe"):  # the workbook: locks, objects a save would drop
        attempt(f"store file ({cfg.store.kind})", lambda: _probe(built))
    snapshot = built.load()
    _, problems = DecisionSource().for_cycle(snapshot, _now())
    for problem in problems:
        lines.append(f"PROBLEM  tables: {problem}")
    if problems:
        raise TablesError([f"{len(problems)} problem(s) in the owners' tabs"])
    health_rows.append(snapshot.tabs.get(columns.HEALTH_TAB, ()))
    return f"{len(snapshot.cases)} case rows, tabs: {', '.join(sorted(snapshot.tabs))}"


def _token_check(cfg: Config, attempt: Callable[[str, Callable[[], str]], object]) -> Any:
    """The ``oauth2`` line: a token for each mailbox, or the refusal with its fix.
    Returns the token source for the server checks (None when it failed)."""
    holder: list[Any] = []

    def tokens() -> str:
        source = wiring.build_tokens(cfg)
        assert source is not None
        found = []
        for user in wiring.oauth2_users(cfg):
            left = source.token(user).expires_at - _now()
            found.append(f"{user} (valid {max(int(left.total_seconds()) // 60, 0)} min)")
        holder.append(source)
        return f"token for {', '.join(found)} from {source.describe()}"

    attempt(f"oauth2 ({cfg.oauth2.source})", tokens)
    return holder[0] if holder else None


def poller_health(grid: tuple[tuple[str, ...], ...], cfg: Config, now: datetime) -> str:
    """Judge the Health tab the poller writes every cycle: unhealthy when no cycle
    ran for three intervals, or the last one cut short or quarantined mail; ``Info``
    (not a problem) when no cycle has run yet."""
    values = {row[0].strip().lower(): row[1].strip() for row in grid if len(row) >= 2}
    last = values.get("last cycle", "")
    if not last:
        raise Info(
            "no cycle has run yet (the Health tab is empty; `sheetdesk poll --once` "
            "or `sheetdesk run` starts one)"
        )
    try:
        when = datetime.fromisoformat(last)
    except ValueError as exc:
        raise PollerUnhealthy(f"Health!B: last cycle {last!r} is not a time") from exc
    age = (now - when).total_seconds()
    limit = 3 * cfg.poll.interval_seconds
    if age > limit:
        raise PollerUnhealthy(
            f"the last cycle ran {int(age // 60)} min ago (limit "
            f"{limit // 60} min): is `sheetdesk run` running?"
        )
    result = values.get("last cycle result", "ok")
    if result.lower() != "ok":
        error = values.get("last error", "")
        raise PollerUnhealthy(f"last cycle: {result}" + (f" ({error})" if error else ""))
    if age < -300:
        return (
            f"last cycle is {-age / 86400:.1f} days in the future (a simulated clock, "
            "as in the demo, or clock skew), ok"
        )
    return f"last cycle {int(age)} s ago, ok"


def _now() -> datetime:
    return datetime.now(UTC)
