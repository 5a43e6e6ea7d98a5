"""Issue 11, finding 12: a non-ASCII IMAP or SMTP password is a clear error, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation import cli


@pytest.mark.parametrize("which", ["inbox", "outbox"])
def test_non_ascii_password_is_a_config_error(
    tmp_path: Path, which: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SD_PW", "pässwörd-€")
    imap = 'kind = "imap"\n[inbox.imap]\nhost = "127.0.0.1"\nport = 1\nusername = "u"\n'
    smtp = 'kind = "smtp"\n[outbox.smtp]\nhost = "127.0.0.1"\nport = 1\nusername = "u"\n'
    inbox = imap + 'password_env = "SD_PW"\n' if which == "inbox" else 'kind = "maildir"\n'
    outbox = smtp + 'password_env = "SD_PW"\n' if which == "outbox" else 'kind = "files"\n'
    path = tmp_path / "sheetdesk.toml"
    path.write_text(
        f'[inbox]\n{inbox}[outbox]\n{outbox}[store]\nkind = "workbook"\n'
        '[business]\nname = "Acme"\nsupport_address = "help@acme.example"\n'
    )
    code = cli.main(["poll", "--once", "--config", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "non-ASCII characters" in err and "Traceback" not in err
    assert "pässwörd" not in err  # never the secret itself
