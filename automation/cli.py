"""The ``sheetdesk`` command.

Exit codes: 0 done; 1 unexpected error; 2 configuration, tables or templates
invalid; 3 a security or login refusal; 4 the cycle finished but quarantined
messages or had emails refused; 75 a peer was unavailable or another process
holds the lock (try again later).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from automation import __version__
from automation import config as config_mod
from automation.errors import ConfigError, SheetdeskError
from automation.secrets import scrub
from automation.service import logfmt

log = logging.getLogger("sheetdesk")


class _ScrubFilter(logging.Filter):
    """Last line of defence: no configured secret reaches a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the record (so a
    caller that swaps stderr, like a test runner, never gets a closed stream)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _setup_logging(verbose: bool, quiet: bool = False, log_format: str = "text") -> None:
    handler = _StderrHandler()
    handler.setFormatter(logfmt.formatter(log_format))
    handler.addFilter(_ScrubFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    if not verbose:  # matplotlib's INFO lines about axis units say nothing to an owner
        logging.getLogger("matplotlib").setLevel(logging.WARNING)


def _config_path(arg: str | None) -> Path:
    found = arg or os.environ.get("SHEETDESK_CONFIG") or "sheetdesk.toml"
    path = Path(found)
    if not path.exists():
        raise ConfigError(
            f"no configuration at {path} (pass --config, set SHEETDESK_CONFIG, or try "
            "`sheetdesk demo`, which needs none)"
        )
    return path


def _cmd_poll(args: argparse.Namespace) -> int:
    from automation import wiring
    from automation.cycle.poll import poll_cycle
    from automation.lock import RunnerLock

    cfg = config_mod.load(_config_path(args.config))
    with RunnerLock(cfg.path(cfg.poll.state_dir)):
        tokens = wiring.build_tokens(cfg)
        runtime = wiring.build_runtime(cfg, tokens)
        try:
            now = datetime.now(UTC)
            wiring.sign_in(cfg, tokens, runtime.store, now)
            report = poll_cycle(runtime, now)
        finally:
            if runtime.lease is not None:
                runtime.lease.release()
            runtime.inbox.close()
    print(f"sheetdesk: {report.summary()}")
    for problem in report.problems:
        print(f"  problem: {problem}")
    return report.exit_code


def _cmd_run(args: argparse.Namespace) -> int:
    from automation import wiring
    from automation.lock import RunnerLock
    from automation.runner import Runner

    cfg = config_mod.load(_config_path(args.config))
    with RunnerLock(cfg.path(cfg.poll.state_dir)):
        tokens = wiring.build_tokens(cfg)
        runtime = wiring.build_runtime(cfg, tokens)

        def sign_in() -> None:
            wiring.sign_in(cfg, tokens, runtime.store, datetime.now(UTC))

        watcher = wiring.build_watcher(cfg, tokens)
        try:
            runner = Runner(runtime, args.interval or cfg.poll.interval_seconds, watcher=watcher)
            runner.before_cycle = sign_in
            return runner.run(args.cycles)
        finally:
            watcher.close()
            if runtime.lease is not None:
                runtime.lease.release()
            runtime.inbox.close()


def _cmd_check(args: argparse.Namespace) -> int:
    from automation import checks

    cfg = config_mod.load(_config_path(args.config))
    lines, code = checks.run(cfg)
    for line in lines:
        print(line)
    return code


def _cmd_auth(args: argparse.Namespace) -> int:
    from automation.adapters.oauth import signin_flows

    cfg = config_mod.load(_config_path(args.config))
    done = signin_flows.run(cfg, args.provider, open_browser=not args.no_browser, show=print)
    print(done)
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from automation import wiring

    cfg = config_mod.load(_config_path(args.config))
    created = wiring.init_tabs(cfg)
    print("created tabs: " + (", ".join(created) if created else "none (all present)"))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from automation import wiring
    from automation.review import report
    from automation.review.metrics import figures

    cfg = config_mod.load(_config_path(args.config))
    snapshot = wiring.build_store(cfg).load()
    found = figures([dict(c.values) for c in snapshot.cases], datetime.now(UTC))
    for what, value in report.lines(found):
        print(f"{what:<40} {value}")
    print("cases that missed a commitment: " + (", ".join(found.breached) or "none"))
    if args.chart:
        Path(args.chart).write_bytes(report.chart_png(found))
        print(f"chart written to {args.chart}")
    return 0


def _cmd_replay(args: argparse.Namespace) -> int:
    from automation import wiring
    from automation.adapters.workbook_store import WorkbookStore
    from automation.cycle import replay
    from automation.tables.owner_tables import Tables
    from automation.tables.parse_tabs import parse_tables

    cfg = config_mod.load(_config_path(args.config))
    snapshot = wiring.build_store(cfg).load()  # read only: replay writes and sends nothing
    current, problems = parse_tables(snapshot.tabs)
    if problems:
        raise ConfigError("the current tabs have problems:\n" + "\n".join(problems))
    before: Tables | list[dict[str, str]] = [dict(c.values) for c in snapshot.cases]
    after = current
    if args.tables:
        edited, problems = parse_tables(WorkbookStore(Path(args.tables)).load().tabs)
        if problems:
            raise ConfigError(f"{args.tables}:\n" + "\n".join(problems))
        before, after = current, edited
    domains = frozenset(d.lower() for d in cfg.business.own_domains)
    count, changes = replay.replay(
        replay.read_mail(Path(args.source)),
        before,
        after,
        cfg.own_addresses,
        domains,
    )
    for line in replay.report(count, changes):
        print(line)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from automation.demo import scenario as demo

    return demo.run_demo(Path(args.dir))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sheetdesk", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"sheetdesk {__version__}")
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument("-v", "--verbose", action="store_true", help="debug log lines too")
    loud.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    parser.add_argument(
        "--log-format",
        choices=logfmt.FORMATS,
        default="text",
        help="log lines on stderr: text, or json (one object a line, with "
        "the cycle id and the case id where there is one)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_cycle_commands(sub)
    _add_setup_commands(sub)
    return parser


def _add_cycle_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``poll`` and ``run``: the commands that run cycles."""
    poll = sub.add_parser("poll", help="run poll cycles")
    poll.add_argument("--once", action="store_true", required=True, help="run exactly one cycle")
    poll.add_argument("--config")
    poll.set_defaults(func=_cmd_poll)

    run = sub.add_parser("run", help="poll on a schedule until stopped")
    run.add_argument("--config")
    run.add_argument("--interval", type=int, help="seconds between cycles (default: config)")
    run.add_argument("--cycles", type=int, help="stop after this many cycles")
    run.set_defaults(func=_cmd_run)


def _add_setup_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``check``, ``auth``, ``init``, ``report``, ``replay`` and ``demo``."""

    check = sub.add_parser("check", help="validate the config and reach every server")
    check.add_argument("--config")
    check.set_defaults(func=_cmd_check)

    auth = sub.add_parser(
        "auth", help="sign the mailbox in once with OAuth2 (stores a refresh token, 0600)"
    )
    auth.add_argument("provider", choices=("google", "microsoft"))
    auth.add_argument("--config")
    auth.add_argument("--no-browser", action="store_true", help="only print the URL to open")
    auth.set_defaults(func=_cmd_auth)

    init = sub.add_parser("init", help="create the Cases and routing tabs")
    init.add_argument("--config")
    init.set_defaults(func=_cmd_init)

    rep = sub.add_parser("report", help="print the review figures; optionally write the chart")
    rep.add_argument("--config")
    rep.add_argument("--chart", help="write the weekly chart (PNG) to this file")
    rep.set_defaults(func=_cmd_report)

    what_if = sub.add_parser(
        "replay",
        help="what-if: run past mail through the tabs and print the decisions that would change",
    )
    what_if.add_argument("source", help="a folder of .eml files, a Maildir or an mbox file")
    what_if.add_argument("--config")
    what_if.add_argument(
        "--tables",
        help="an edited copy of the tabs (.xlsx) to compare with the current ones; without it "
        "the current tabs are compared with what the Cases tab recorded",
    )
    what_if.set_defaults(func=_cmd_replay)

    demo = sub.add_parser("demo", help="run the embedded default in a new folder")
    demo.add_argument("--dir", default="sheetdesk-demo")
    demo.set_defaults(func=_cmd_demo)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Everything sheetdesk creates (state files, ledger, outbox, a new workbook)
    # holds customer data: owner-only by default (issue 11).
    umask = os.umask(0o077)
    _setup_logging(args.verbose, args.quiet, args.log_format)
    try:
        code: int = args.func(args)
    except SheetdeskError as exc:
        print(f"sheetdesk: {scrub(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    finally:
        os.umask(umask)  # main() is also called in-process (tests, the demo)
    return code


if __name__ == "__main__":
    sys.exit(main())
