"""Where the shared data lives: ``../shared`` beside the checkout, read in place.

Found relative to this repository (the folder holding pyproject.toml, walking up
from here, so a test file may move within ``tests/``), never by an absolute
path.  A bare clone has no ``../shared``: tests that need it skip with
``ABSENT``'s reason, and the fault scenarios use generated backlogs instead.
"""

from __future__ import annotations

from pathlib import Path


def _repo() -> Path:
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError(f"no pyproject.toml above {here}")


REPO = _repo()
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DEVSET = SHARED / "devset"
RECORDINGS = SHARED / "sheets-recordings"


def absent(path: Path) -> str:
    """The skip reason for a missing piece of ``../shared``."""
    return (
        f"{path.relative_to(SHARED.parent)} is not beside this checkout "
        f"(a bare clone has no ../shared; looked in {path})"
    )
