"""What is on disk around the owner's workbook: lock files, and parts openpyxl would drop.

Used by ``adapters/workbook_store.py`` before it writes, and by ``sheetdesk check``.

Why a guard at all: openpyxl rewrites the whole file on save and silently leaves
out what it does not model (text boxes and other drawn shapes, form controls,
slicers, timelines, embedded OLE objects, ActiveX, macros).  One poll would
destroy an owner's text box.  So before any save the package's parts are listed
and each drawing is scanned; if something would be lost, the save is refused with
a sentence naming it, and the file is left exactly as it was.  Charts and
pictures are kept by openpyxl (pictures need Pillow, a dependency via matplotlib),
so they are not refused.

Lock files: LibreOffice writes ``.~lock.<name>#`` holding
``author,user,host,date,url;`` and removes it on close; a crash leaves it behind
and LibreOffice itself asks the next opener about it.  A lock is *stale* when it
was written on this host and no LibreOffice process here has the file open.  A lock from
another host, or a live one, is respected; its age is reported so a person can
decide.  Excel's ``~$<name>`` holds the user name only; it is always respected.
"""

from __future__ import annotations

import os
import re
import socket
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

_SHAPE = re.compile(rb"<(?:xdr:)?(?:sp|grpSp|cxnSp)[\s>]|<mc:AlternateContent[\s>]")
_VML_OBJECT = re.compile(rb'ObjectType="(?!Note")([A-Za-z]+)"')
_DROPPED_FOLDERS = {
    "xl/ctrlProps/": "form controls",
    "xl/slicers/": "slicers",
    "xl/slicerCaches/": "slicers",
    "xl/timelines/": "timelines",
    "xl/activeX/": "ActiveX controls",
    "xl/embeddings/": "embedded objects",
}
_DRAWING_BYTES = 8 * 1024 * 1024  # a drawing part larger than this is not scanned, just refused


def lock_files(path: Path) -> list[Path]:
    """Lock files a spreadsheet program leaves next to ``path`` while it is open.

    LibreOffice: ``.~lock.<name>#``.  Excel: ``~$<name>``, and for longer names
    ``~$`` replaces the first two characters.
    """
    name = path.name
    candidates = [f".~lock.{name}#", f"~${name}", f"~${name[2:]}"]
    return [path.parent / c for c in dict.fromkeys(candidates)]


@dataclass(frozen=True)
class LockInfo:
    path: Path
    holder: str  # "user@host" as the program wrote it, or "" (Excel, unreadable)
    host: str
    age_seconds: float
    stale: bool

    def sentence(self) -> str:
        who = f" by {self.holder}" if self.holder else ""
        age = f"{self.age_seconds / 3600:.1f} h" if self.age_seconds >= 3600 else "minutes"
        if self.stale:
            return (
                f"{self.path.name}{who} is a stale lock ({age} old; no LibreOffice on this "
                "host has the file open): ignored; delete it to tidy up"
            )
        return f"{self.path.name}: the workbook is open{who} for {age}"


def _office_has_open(target: Path) -> bool:
    """Whether a LibreOffice process on this host has ``target`` open (by its
    command line or an open file descriptor), from /proc.  A LibreOffice running
    for something else (a headless conversion) does not count."""
    proc = Path("/proc")
    wanted = str(target.resolve())
    for entry in proc.iterdir() if proc.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text(encoding="ascii", errors="replace").strip()
            if not name.startswith(("soffice", "oosplash", "libreoffice")):
                continue
            cwd = os.readlink(entry / "cwd")
            args = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
            if any(a and os.path.realpath(os.path.join(cwd, a)) == wanted for a in args):
                return True
            if any(os.path.realpath(fd) == wanted for fd in (entry / "fd").iterdir()):
                return True
        except PermissionError:  # another user's process: assume it may hold the file
            return True
        except OSError:  # the process ended while we looked
            continue
    return False


def read_lock(lock: Path, now: float | None = None) -> LockInfo:
    """What ``lock`` says about who holds the workbook and whether it is stale."""
    try:
        text = lock.read_bytes()[:4096].decode("utf-8", "replace")
        age = (time.time() if now is None else now) - lock.stat().st_mtime
    except OSError:
        return LockInfo(lock, "", "", 0.0, False)
    holder = host = ""
    fields = text.split(",")
    if lock.name.startswith(".~lock.") and len(fields) >= 4:
        host = fields[2].strip()
        holder = f"{fields[1].strip()}@{host}" if fields[1].strip() else host
    here = host != "" and host.lower() in {socket.gethostname().lower(), "localhost"}
    stale = here and not _office_has_open(lock.parent / lock.name[len(".~lock.") : -1])
    return LockInfo(lock, holder, host, max(0.0, age), stale)


def live_locks(path: Path) -> list[LockInfo]:
    """The lock files next to ``path`` that must be respected (stale ones left out)."""
    found = [read_lock(lock) for lock in lock_files(path) if lock.exists()]
    return [info for info in found if not info.stale]


def all_locks(path: Path) -> list[LockInfo]:
    return [read_lock(lock) for lock in lock_files(path) if lock.exists()]


def unkept_objects(path: Path) -> list[str]:
    """What a save by openpyxl would drop from the file at ``path``, as phrases.

    Empty when the file is safe to rewrite.  An unreadable package yields nothing
    here; opening it reports that.
    """
    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            for folder, what in _DROPPED_FOLDERS.items():
                if any(i.filename.startswith(folder) for i in infos):
                    found.append(what)
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                found.append("macros")
            for info in infos:
                found.extend(_drawing_losses(package, info))
    except (OSError, zipfile.BadZipFile):
        return []
    return list(dict.fromkeys(found))


def _drawing_losses(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    name = info.filename
    if not name.startswith("xl/drawings/") or name.endswith(".rels"):
        return []
    if info.file_size > _DRAWING_BYTES:
        return [f"a drawing too large to check ({name})"]
    data = package.read(info)
    if name.endswith(".xml") and _SHAPE.search(data):
        count = len(_SHAPE.findall(data))
        return [f"{count} text box(es) or shape(s) ({name})"]
    if name.endswith(".vml"):
        kinds = sorted({m.decode("ascii", "replace") for m in _VML_OBJECT.findall(data)})
        return [f"legacy controls: {', '.join(kinds)} ({name})"] if kinds else []
    return []
