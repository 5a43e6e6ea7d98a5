"""Review figures against a hand-computed fixture; the chart; ``report``; ``check``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from automation import checks, cli, config
from automation.adapters.workbook_store import WorkbookStore
from automation.model import frozen_map
from automation.ports import ChangeSet, NewCase
from automation.review.metrics import figures
from automation.sheet import layout as columns

NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)  # Wednesday of the week of 7 Dec


def case(
    cid: str,
    opened: str,
    prio: str,
    trig: str,
    who: str,
    status: str,
    sent: list[tuple[str, str]],
    seen: str,
) -> dict[str, str]:
    log = "\n".join(f"{ev} <{cid}.{ev}.{n}@x> sent {at}" for n, (ev, at) in enumerate(sent))
    return {
        columns.CASE_ID: cid,
        "Opened": opened,
        columns.PRIORITY: prio,
        "Triggers": trig,
        "Role": "general",
        columns.ASSIGNEE: who,
        columns.STATUS: status,
        columns.SENT_LOG: log,
        columns.SEEN: seen,
    }


# Hand-computed:
# first responses (hours from Opened): C1 2, C2 1, C3 6, C4 none  -> median 2, p90 6
# resolutions: C1 10, C3 30 -> median 20, p90 30
# commitments: C1 met+met, C2 met first, C3 first missed + resolution met, C4 first missed
#   -> met 4, missed 2 -> 67 %
# reopen: C3 reopened once, resolved cases C1, C3 -> 50 %
# escalations: C3 1 + C4 2 = 3; open: C2 (Ana), C4 (Ben)
ROWS = [
    case(
        "C-1",
        "2026-12-07 09:00+00:00",
        "High",
        "urgency",
        "Ana",
        "Resolved",
        [
            ("ack", "2026-12-07T09:00:00Z"),
            ("update", "2026-12-07T11:00:00Z"),
            ("resolution", "2026-12-07T19:00:00Z"),
        ],
        "v=1; resolved_at=20261207T1900Z; resolutions=1",
    ),
    case(
        "C-2",
        "2026-12-08 09:00+00:00",
        "Low",
        "",
        "Ana",
        "In progress",
        [("handoff", "2026-12-08T10:00:00Z")],
        "v=1",
    ),
    case(
        "C-3",
        "2026-11-30 09:00+00:00",
        "Critical",
        "urgency, value",
        "Ben",
        "Closed",
        [("update", "2026-11-30T15:00:00Z"), ("resolution", "2026-12-01T15:00:00Z")],
        "v=1; closed_at=20261202T0900Z; reopens=1; resolutions=2; escalations=1; "
        "flags=breach-first",
    ),
    case(
        "C-4",
        "2026-12-09 08:00+00:00",
        "High",
        "emotion",
        "Ben",
        "Assigned",
        [],
        "v=1; escalations=2; flags=breach-first",
    ),
]


def test_figures_match_the_hand_computed_fixture() -> None:
    f = figures(ROWS, NOW)
    assert f.total == 4
    assert f.by_priority == {"High": 2, "Low": 1, "Critical": 1}
    assert f.by_trigger == {"urgency": 2, "value": 1, "emotion": 1}
    assert (f.first_median, f.first_p90) == (2.0, 6.0)
    assert (f.resolution_median, f.resolution_p90) == (20.0, 30.0)
    assert (f.met, f.missed) == (4, 2) and round(f.share_met or 0, 3) == 0.667
    assert f.reopen_rate == 0.5 and f.escalations == 3
    assert f.open_load == {"Ana": 1, "Ben": 1}
    assert [o[0] for o in f.oldest_open] == ["C-2", "C-4"]
    assert f.breached == ("C-3", "C-4")
    this, last = f.weeks[-1], f.weeks[-2]
    assert (this.volume, this.met, this.missed) == (3, 3, 1)
    assert (last.volume, last.met, last.missed) == (1, 1, 1)


def _workbook(tmp_path: Path) -> Path:
    cfg_path = tmp_path / "sheetdesk.toml"
    cfg_path.write_text('[store]\nkind = "workbook"\n[store.workbook]\npath = "q.xlsx"\n')
    cfg = config.load(cfg_path)
    store = WorkbookStore(cfg.path("q.xlsx"))
    store.initialize([])
    store.apply(ChangeSet(creates=tuple(NewCase(r[columns.CASE_ID], frozen_map(r)) for r in ROWS)))
    return cfg_path


def test_report_command_prints_figures_and_writes_the_chart(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cfg_path = _workbook(tmp_path)
    chart = tmp_path / "chart.png"
    assert cli.main(["report", "--config", str(cfg_path), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "67% (4 met, 2 missed)" in out and "50% (1 of 2 resolved)" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_template_typo_fails_check(tmp_path: Path) -> None:
    owner = tmp_path / "mytemplates"
    owner.mkdir()
    (owner / "resolution.high.j2").write_text(
        "{% block subject %}{{ case.tag }} done{% endblock %}"
        "{% block text %}{{ resolution.sumary }}{% endblock %}{% block html %}x{% endblock %}"
    )
    cfg_path = tmp_path / "sheetdesk.toml"
    cfg_path.write_text('[templates]\npath = "mytemplates"\n')
    lines, ok = checks.run_checks(config.load(cfg_path))
    assert not ok
    assert any(line.startswith("PROBLEM  templates") and "sumary" in line for line in lines)
