"""The house rules, checked on the source (AST), so a change that breaks one fails here.

* The pure rooms (decide/, tables/, lifecycle/, mail/, sheet/) import nothing
  from the rooms that do I/O or orchestrate (adapters/, cycle/, outgoing/,
  review/, demo/, cli, wiring, runner, checks, lock, state, secrets, config),
  no network, file or process library, and never read the clock or open files.
* No import cycle among ``automation`` modules (module-level imports).
* No function in ``automation/`` is longer than 60 lines.
* ``automation/`` has at most 12 top-level modules.
* Every error is one class of the tree in ``automation/errors.py``, and each is used.
* No module spells a Cases column or a tab title: ``automation/sheet/layout.py``
  holds them (owner tabs' columns: ``automation/tables/schema.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "automation"
PURE_ROOMS = ("decide", "tables", "lifecycle", "mail", "sheet")
# What a pure room may import from the package: its peers and the shared values.
PURE_MAY_IMPORT = {f"automation.{r}" for r in PURE_ROOMS} | {
    "automation.model",
    "automation.errors",
    "automation.ports",  # Protocols and frozen values only
}
# Libraries that reach the network, the disk, other processes or the clock.
IO_MODULES = {
    "aiosmtpd",
    "asyncio",
    "fcntl",
    "glob",
    "google",
    "googleapiclient",
    "gspread",
    "http",
    "httpx",
    "imaplib",
    "imapclient",
    "io",
    "matplotlib",
    "mmap",
    "msal",
    "multiprocessing",
    "openpyxl",
    "os",
    "pathlib",
    "poplib",
    "requests",
    "schedule",
    "select",
    "shutil",
    "signal",
    "smtplib",
    "socket",
    "sqlite3",
    "ssl",
    "subprocess",
    "tempfile",
    "threading",
    "time",
    "urllib",
    "urllib3",
}
CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today")}
CLOCK_CALLS |= {("date", "today"), ("time", "time"), ("time", "monotonic")}
IO_BUILTINS = {"open", "print", "input"}
MAX_FUNCTION_LINES = 60
MAX_TOP_LEVEL_MODULES = 12
# Long functions in modules another issue of this wave is rewriting; each entry
# must still exist and still be long (a stale entry fails), so the list only shrinks.
KNOWN_LONG = {
    "decide/triggers.py:find_triggers": "issue 12 (one-pass phrase matching) rewrites it",
    "decide/core.py:_decide": "issue 12 (concept detectors) rewrites it",
    "tables/starter.py:_topics": "issue 12 (starter rows) rewrites it",
    "mail/reader.py:parse_message": "issue 11 (sender authentication) rewrites it",
}


def _modules(under: Path = ROOT) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(under.rglob("*.py")):
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _dotted(rel: str) -> str:
    parts = rel.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["automation", *parts])


def _imports(tree: ast.Module, module: str, top_level_only: bool = False) -> Iterator[str]:
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = module.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(name: str, prefixes: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def pure_room_violations(rel: str, tree: ast.Module) -> list[str]:
    """What in this pure-room module breaks the rules, as ``file: what`` lines."""
    found = []
    for name in set(_imports(tree, _dotted(rel))):
        root = name.split(".")[0]
        if root == "automation" and not _within(name, PURE_MAY_IMPORT):
            found.append(f"{rel}: imports {name}")
        elif root in IO_MODULES:
            found.append(f"{rel}: imports {name} (I/O)")
    found += [f"{rel}:{line}: {what}" for line, what in _io_calls(tree)]
    return found


def _io_calls(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Calls of ``open``/``print``/``input`` and clock reads, aliases seen through
    (``from datetime import datetime as dt; dt.now()``, ``datetime.datetime.now()``)."""
    alias = {
        a.asname or a.name: a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom | ast.Import)
        for a in node.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and alias.get(f.id, f.id) in IO_BUILTINS:
            yield node.lineno, f"calls {f.id}()"
        if not isinstance(f, ast.Attribute):
            continue
        owner = f.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if (alias.get(name, name), f.attr) in CLOCK_CALLS:
            yield node.lineno, f"reads the clock ({name}.{f.attr})"


@pytest.mark.parametrize("room", PURE_ROOMS)
def test_pure_rooms_do_no_io(room: str) -> None:
    problems = [p for rel, tree in _modules(ROOT / room) for p in pure_room_violations(rel, tree)]
    assert not problems, "\n".join(problems)


# The rooms between the core and the edge: none may reach outwards.
OUTER = {f"automation.{m}" for m in ("adapters", "cli", "wiring", "runner", "demo", "checks")}
NOT_OUTWARDS = {
    "outgoing": OUTER | {"automation.cycle", "automation.review"},
    "review": OUTER | {"automation.cycle"},
    "cycle": OUTER,
}


@pytest.mark.parametrize("room", sorted(NOT_OUTWARDS))
def test_middle_rooms_do_not_reach_outwards(room: str) -> None:
    """Adapters come into the cycle as ports (``Runtime``), chosen in ``wiring``."""
    found = [
        f"{rel}: imports {name}"
        for rel, tree in _modules(ROOT / room)
        for name in _imports(tree, _dotted(rel))
        if _within(name, NOT_OUTWARDS[room])
    ]
    assert not found, "\n".join(found)


def test_the_rule_catches_what_it_should() -> None:
    """The checker itself can fail: a module breaking each rule is caught."""
    bad = ast.parse(
        "import socket\n"
        "from automation.adapters import tls\n"
        "from automation.cycle.intake import Intake\n"
        "from ..outgoing import compose\n"
        "from datetime import datetime\n"
        "def f():\n"
        "    open('x', 'w')\n"
        "    return datetime.now()\n"
        "from datetime import date as d\n"
        "import datetime as dtm\n"
        "x, y = d.today(), dtm.datetime.utcnow()\n"
    )
    found = "\n".join(pure_room_violations("decide/bad.py", bad))
    for needle in ("socket", "automation.adapters", "automation.cycle", "outgoing", "open()"):
        assert needle in found, found
    assert "clock (datetime.now)" in found
    assert "clock (d.today)" in found and "clock (datetime.utcnow)" in found
    fine = ast.parse("from automation.sheet import layout\nfrom automation.model import Message\n")
    assert pure_room_violations("decide/fine.py", fine) == []


def _cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle in ``graph`` (module -> modules it imports), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_cycles() -> None:
    modules = {_dotted(rel): tree for rel, tree in _modules()}
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        targets = set(_imports(tree, name, top_level_only=True))
        # ``from automation.x import y``: y is a module, or a name in module x.
        targets = {t if t in modules else t.rpartition(".")[0] for t in targets}
        graph[name] = {t for t in targets if t in modules and t != name}
    cycle = _cycle_in(graph)
    assert not cycle, " -> ".join(cycle)
    assert _cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _functions() -> Iterator[tuple[str, int]]:
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                yield f"{rel}:{node.name}", node.end_lineno - node.lineno + 1


def test_no_function_is_over_60_lines() -> None:
    lengths = dict(_functions())
    long = {k: n for k, n in lengths.items() if n > MAX_FUNCTION_LINES and k not in KNOWN_LONG}
    assert not long, long
    stale = [k for k in KNOWN_LONG if lengths.get(k, 0) <= MAX_FUNCTION_LINES]
    assert not stale, f"no longer long (or gone): remove from KNOWN_LONG: {stale}"


def test_at_most_12_top_level_modules() -> None:
    top = sorted(p.stem for p in ROOT.glob("*.py") if p.stem != "__init__")
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_one_error_tree_and_every_error_is_used() -> None:
    from automation import errors

    tree = ast.parse((ROOT / "errors.py").read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    for name in names:
        assert issubclass(getattr(errors, name), errors.SheetdeskError), name
    used = set()
    for rel, module in _modules():
        if rel != "errors.py":
            used |= {n.id for n in ast.walk(module) if isinstance(n, ast.Name)}
            used |= {n.attr for n in ast.walk(module) if isinstance(n, ast.Attribute)}
    bases = {
        b.id
        for n in tree.body
        if isinstance(n, ast.ClassDef)
        for b in n.bases
        if isinstance(b, ast.Name)
    }
    unused = [n for n in names if n not in used and n not in bases]
    assert not unused, f"never raised nor caught: {unused}"
    elsewhere = [
        f"{rel}: {n.name}"
        for rel, module in _modules()
        if rel != "errors.py"
        for n in ast.walk(module)
        if isinstance(n, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id.endswith("Error") for b in n.bases)
    ]
    assert not elsewhere, f"errors outside automation/errors.py: {elsewhere}"


# Literals equal to a column or tab name that mean something else.
NOT_LAYOUT = {
    ("demo/inbox.py", "Backup"): "a column of the demo's Team rows (an owner tab)",
    ("review/report.py", "Cases"): "a row label of the Metrics tab",
    ("outgoing/contexts.py", "Cases"): "the sample review's row label",
}
EMAIL_OBJECTS = {"msg", "message", "ack", "email"}


def _layout_names() -> set[str]:
    from automation.sheet import layout

    tabs = {layout.CASES_TAB, layout.NONCASE_TAB, layout.QUARANTINE_TAB}
    tabs |= {layout.HEALTH_TAB, layout.METRICS_TAB, *layout.OWNER_TABS}
    return tabs | set(layout.POLLER_COLUMNS) | set(layout.TEAM_COLUMNS)


def layout_literals(rel: str, tree: ast.Module, names: set[str]) -> list[str]:
    """Where ``tree`` spells a name that ``sheet/layout.py`` owns."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and node.value in names):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr) or (rel, node.value) in NOT_LAYOUT:
            continue  # a docstring, or a known other meaning
        target = parent.value if isinstance(parent, ast.Subscript) else None
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
            target = parent.func.value
        if isinstance(target, ast.Name) and target.id in EMAIL_OBJECTS:
            continue  # an email header ("Subject"), not a column
        found.append(f"{rel}:{node.lineno}: {node.value!r}")
    return found


def test_only_the_layout_spells_tab_and_column_names() -> None:
    names = _layout_names()
    found = [
        hit
        for rel, tree in _modules()
        if rel != "sheet/layout.py" and not rel.startswith("tables/")
        for hit in layout_literals(rel, tree, names)
    ]
    assert not found, "use automation.sheet.layout:\n" + "\n".join(found)
    bad = ast.parse('row.get("Opened")\nmsg["Subject"]\ntabs["Health"]\n')
    assert layout_literals("x.py", bad, names) == ["x.py:1: 'Opened'", "x.py:3: 'Health'"]
