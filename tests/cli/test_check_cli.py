"""``sheetdesk check`` and ``sheetdesk poll --once`` from the outside, on the embedded default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation import cli
from automation import config as config_mod
from automation.checks import poller_health
from automation.errors import SheetdeskError
from tests.cycle.test_cycle import deliver, mail

CONFIG = """
[inbox]
kind = "maildir"
[outbox]
kind = "files"
[store]
kind = "workbook"
[business]
name = "Acme"
support_address = "help@acme.example"
{templates}
"""


def _setup(tmp_path: Path, templates: str = "") -> Path:
    path = tmp_path / "sheetdesk.toml"
    path.write_text(CONFIG.format(templates=templates))
    assert cli.main(["init", "--config", str(path)]) == 0
    return path


def test_check_is_healthy_after_a_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _setup(tmp_path)
    assert cli.main(["check", "--config", str(path)]) == 0  # no cycle yet: information
    out = capsys.readouterr().out
    assert "info     poller health: no cycle has run yet" in out and "PROBLEM" not in out
    deliver(tmp_path, mail("Broken lamp", "m1@customer.example"), "1.m1")
    assert cli.main(["poll", "--once", "--config", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok       poller health: last cycle" in out and "PROBLEM" not in out


def test_stale_or_failed_cycle_is_unhealthy() -> None:
    cfg = config_mod.from_dict({"poll": {"interval_seconds": 60}})
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    fresh = (
        ("What", "Value"),
        ("Last cycle", (now - timedelta(seconds=30)).isoformat()),
        ("Last cycle result", "ok"),
    )
    assert poller_health(fresh, cfg, now).startswith("last cycle 30 s ago")
    stale = (("What", "Value"), ("Last cycle", (now - timedelta(minutes=10)).isoformat()))
    with pytest.raises(SheetdeskError, match="10 min ago"):
        poller_health(stale, cfg, now)
    failed = (
        *fresh[:2],
        ("Last cycle result", "problems: see below"),
        ("Last error", "store: 503"),
    )
    with pytest.raises(SheetdeskError, match="store: 503"):
        poller_health(failed, cfg, now)


def test_template_typo_fails_check_not_the_customer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = tmp_path / "mytemplates"
    owner.mkdir()
    (owner / "acknowledgement.j2").write_text(
        "{% block subject %}{{ case.tga }}{% endblock %}{% block text %}x{% endblock %}"
        "{% block html %}x{% endblock %}"
    )
    path = _setup(tmp_path, templates='[templates]\npath = "mytemplates"')
    assert cli.main(["check", "--config", str(path)]) == 2
    out = capsys.readouterr().out
    assert "PROBLEM  templates:" in out and "tga" in out


def test_plaintext_to_a_remote_host_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sheetdesk.toml"
    path.write_text(
        CONFIG.format(templates="").replace(
            '[inbox]\nkind = "maildir"',
            '[inbox]\nkind = "imap"\n[inbox.imap]\nhost = "imap.example.com"\nport = 143\n'
            'security = "plain"\nallow_plaintext_loopback = true\nusername = "u"',
        )
    )
    assert cli.main(["check", "--config", str(path)]) == 3  # a security refusal
    out = capsys.readouterr().out
    assert "PROBLEM  inbox (imap):" in out and "loopback" in out.lower()


def test_unknown_key_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sheetdesk.toml"
    path.write_text("[poll]\nintervall = 5\n")
    assert cli.main(["poll", "--once", "--config", str(path)]) == 2
    assert "poll.intervall: unknown key" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('time_zone = "Europe/Amsterdm"', "business.time_zone: 'Europe/Amsterdm' is not a time"),
        ('case_tag = "[Case]"', "business.case_tag: '[Case]' must contain {number}"),
        ('case_tag = "[Case {nr}]"', "business.case_tag: '[Case {nr}]' must contain {number}"),
        ('support_address = "help desk"', "business.support_address: 'help desk' is not an"),
    ],
)
def test_check_finds_what_poll_would_trip_on_in_the_same_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, words: str
) -> None:
    path = tmp_path / "sheetdesk.toml"
    text = CONFIG.format(templates="").replace('name = "Acme"', f'name = "Acme"\n{line}')
    if line.startswith("support_address"):
        text = text.replace('support_address = "help@acme.example"\n', "", 1)
    path.write_text(text)
    for command in (["check"], ["poll", "--once"]):  # the same words, before any mail
        assert cli.main([*command, "--config", str(path)]) == 2, command
        err = capsys.readouterr().err
        assert words in err, (command, err)
        assert "Traceback" not in err
