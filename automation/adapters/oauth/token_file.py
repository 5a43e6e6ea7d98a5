"""Files that hold refresh tokens and token caches: 0600, written atomically.

A token file is created with mode 0600 from the first byte (never chmod'ed
afterwards), written to a temporary name, fsynced and renamed over the old
one, so a crash leaves either the old file or the new one.  Reading refuses a
file that others can read: the fix is named (``chmod 600``).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from automation.errors import TokenError


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable by the owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an old temp file may have had another mode
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_private(path: Path, fix: str) -> str:
    """The text of a token file; ``TokenError`` naming ``fix`` when it is missing,
    and naming ``chmod 600`` when group or others may read it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TokenError(f"no token file at {path}: {fix}") from None
    except OSError as exc:
        raise TokenError(f"cannot read the token file {path} ({exc.strerror})") from exc
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise TokenError(
            f"the token file {path} can be read by other users; run `chmod 600 {path}`"
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"cannot read the token file {path} ({exc})") from exc


def read_json(path: Path, fix: str) -> dict[str, Any]:
    text = read_private(path, fix)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise TokenError(f"the token file {path} is not what sheetdesk wrote: {fix}")
    return data
