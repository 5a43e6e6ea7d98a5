"""Config: read once, strict about keys and types, secrets never in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation import config
from automation.errors import ConfigError
from automation.secrets import Secret, resolve, scrub

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_example_config_loads_and_is_frozen() -> None:
    cfg = config.load(EXAMPLE)
    assert cfg.inbox.kind == "imap" and cfg.inbox.imap.port == 993
    assert cfg.store.kind == "sheets"
    with pytest.raises(AttributeError):
        cfg.inbox.kind = "maildir"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[inbox]\nkindd = 'imap'\n", "inbox.kindd: unknown key"),
        ("[outbox.smtp]\nport = 'abc'\n", "outbox.smtp.port: expected an integer"),
        ("[inbox]\nkind = 'pop3'\n", "inbox.kind: expected one of"),
        ("[business]\nown_domains = 'x.com'\n", "business.own_domains: expected a list"),
        ("[poll]\ninterval_seconds = true\n", "poll.interval_seconds: expected an integer"),
        ("surprise = 1\n", "surprise: unknown key"),
        ("[inbox\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        config.load(path)


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[store.workbook]\npath = 'q.xlsx'\n")
    cfg = config.load(path)
    assert cfg.path(cfg.store.workbook.path) == tmp_path / "q.xlsx"


def test_secret_from_env_and_file_never_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SD_TEST_PW", "hunter2-app-password")
    secret = resolve("password", "SD_TEST_PW", "", tmp_path)
    assert secret.reveal() == "hunter2-app-password"
    assert "hunter2" not in repr(secret) and "hunter2" not in f"{secret}"
    assert scrub("login failed for hunter2-app-password") == "login failed for ***"
    (tmp_path / "pw").write_text("file-secret-value\n")
    assert resolve("password", "", "pw", tmp_path).reveal() == "file-secret-value"
    with pytest.raises(ConfigError, match="not set"):
        resolve("password", "SD_TEST_MISSING", "", tmp_path)
    with pytest.raises(ConfigError, match="not both"):
        resolve("password", "SD_TEST_PW", "pw", tmp_path)
    assert not Secret("")
