"""The embedded ``CaseStore``: a local .xlsx workbook (openpyxl).

Same tabs, columns and rules as the Google Sheet (see ``memory_store.apply_local``).

Why re-reading at apply time is safe here, when it is not for the Sheet: a Google
Sheet has live co-editors, so a row number read a moment ago can be stale by
the time a write lands.  A workbook has exactly one writer at a time: a person
edits it only in a spreadsheet program, which holds a lock file while the file
is open.  ``apply`` refuses to start while a lock exists (``StoreBusyError``),
reads the file fresh, finds each row by its Case ID cell, and before replacing
the file checks again that no lock appeared and that the file on disk is still
the one it read (size, mtime, inode).  If either changed, the work is dropped
and ``StoreBusyError`` raised: nothing was written, so the next cycle redoes it.
What remains is the moment between that last check and ``os.replace``
(microseconds), during which a program would have to open *and* save the file.

Saves are atomic: the workbook is written to a temporary file in the same
folder, flushed with fsync and moved over the old one with ``os.replace``, so a
crash leaves either the old file or the new one, never a torn one.

Strings are always stored as text cells, so a subject such as ``=HYPERLINK(...)``
stays literal text (openpyxl would otherwise store it as a formula).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from automation.adapters.memory_store import (
    add_missing_columns,
    apply_local,
    check_changes,
    snapshot_local,
)
from automation.adapters.workbook_files import all_locks, live_locks, unkept_objects
from automation.adapters.workbook_files import lock_files as lock_files  # re-exported
from automation.adapters.workbook_style import restyle, style_cases, style_owner_tab
from automation.errors import StoreBusyError, StoreError, WorkbookUnusableError
from automation.ports import ApplyResult, ChangeSet, Grid, Snapshot, TabSpec
from automation.sheet import case_table as casetab
from automation.sheet.storable import storable
from automation.sheet.tab_specs import cases_spec, team_name_col


def _text(value: Any) -> str:
    """A cell as text, the way the poll cycle expects every cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _put(ws: Any, row: int, col: int, text: str) -> None:
    """Write ``text`` as a literal string cell (0-based row/col), made storable."""
    cell = ws.cell(row=row + 1, column=col + 1)
    cell.value = storable(text) if text != "" else None
    if text:
        cell.data_type = "s"  # never a formula, whatever the first character


class _WorkbookTabs:
    """``LocalTabs`` over an open openpyxl workbook."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb

    def titles(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read(self, tab: str) -> list[list[str]]:
        if tab not in self.wb.sheetnames:
            return []
        rows = [[_text(v) for v in row] for row in self.wb[tab].iter_rows(values_only=True)]
        for row in rows:
            while row and row[-1] == "":
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def add_tab(self, tab: str, header: Sequence[str]) -> None:
        ws = self.wb.create_sheet(tab)
        for col, text in enumerate(header):
            _put(ws, 0, col, text)
        ws.freeze_panes = "A2"

    def insert_rows(self, tab: str, at: int, rows: Sequence[Sequence[str]]) -> None:
        """New rows go under the last used row, whatever ``at`` says.

        openpyxl's ``insert_rows`` moves cells but not the formulas that point at
        them, nor conditional formats or highlights, so inserting under the header
        left a team's own ``=A5`` and its row colour on a different case.  Appending
        shifts nothing; rows are found by Case ID anyway.
        """
        self.append_rows(tab, rows)

    def set_cells(self, tab: str, row: int, cells: Sequence[str | None]) -> None:
        ws = self.wb[tab]
        for col, text in enumerate(cells):
            if text is not None:
                _put(ws, row, col, text)

    def append_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        start = len(self.read(tab))
        ws = self.wb[tab]
        for offset, row in enumerate(rows):
            for col, text in enumerate(row):
                _put(ws, start + offset, col, text)

    def replace(self, tab: str, grid: Grid) -> None:
        if tab not in self.wb.sheetnames:
            self.wb.create_sheet(tab)
        ws = self.wb[tab]
        if ws.max_row:
            ws.delete_rows(1, ws.max_row)
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                _put(ws, r, c, text)


def _dropdown(ws: Any, col: int, choices: Sequence[str]) -> None:
    # An inline list is limited to 255 characters and cannot hold commas.
    listed = ",".join(choices)
    if not choices or len(listed) > 255 or any("," in c or '"' in c for c in choices):
        return
    letter = casetab.column_letter(col)
    rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
    rule.add(f"{letter}2:{letter}1048576")
    ws.add_data_validation(rule)


def _load(path: Path) -> Any:
    """The workbook at ``path``; a damaged file is a clear error naming it, not a traceback."""
    try:
        return openpyxl.load_workbook(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the workbook ({exc.strerror})") from exc
    except (zipfile.BadZipFile, InvalidFileException, ValueError, KeyError, SyntaxError) as exc:
        raise WorkbookUnusableError(
            f"{path}: this file is not a readable .xlsx workbook ({type(exc).__name__}); "
            "sheetdesk did not change it. Open it in a spreadsheet program and save it as "
            ".xlsx again, or restore a backup"
        ) from exc


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class WorkbookStore:
    """A ``CaseStore`` over the workbook at ``path``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def _busy(self) -> None:
        for lock in live_locks(self.path):
            raise StoreBusyError(
                f"{self.path.name} is open in a spreadsheet program ({lock.sentence()}); "
                "close it to let sheetdesk write - nothing is lost, the work waits"
            )

    def _refuse_losses(self) -> None:
        """Never save over a file holding objects openpyxl would drop."""
        lost = unkept_objects(self.path) if self.path.exists() else []
        if lost:
            raise WorkbookUnusableError(
                f"{self.path}: sheetdesk will not save this workbook, because saving would "
                f"remove {'; '.join(lost)}. Nothing was changed. Move those objects to "
                "another file (or delete them), then sheetdesk writes again"
            )

    @contextlib.contextmanager
    def _open(self) -> Iterator[Any]:
        if not self.path.exists():
            raise StoreError(f"{self.path}: workbook not found (run `sheetdesk init`)")
        wb = _load(self.path)
        try:
            yield wb
        finally:
            wb.close()

    def probe(self) -> str:
        """For ``sheetdesk check``: can the next cycle write?  Raises when it cannot."""
        if not self.path.exists():
            raise StoreError(f"{self.path}: workbook not found (run `sheetdesk init`)")
        self._busy()
        self._refuse_losses()
        notes = [info.sentence() for info in all_locks(self.path)]
        return "; ".join(notes) if notes else f"{self.path.name} can be written"

    def load(self) -> Snapshot:
        """Read every tab; a workbook open elsewhere is still readable."""
        with self._open() as wb:
            return snapshot_local(_WorkbookTabs(wb))

    def apply(self, changes: ChangeSet) -> ApplyResult:
        """Write ``changes``; ``StoreBusyError`` (nothing written) while the file is open."""
        check_changes(changes)
        if changes.empty:
            return ApplyResult()
        self._busy()
        self._refuse_losses()
        before = _stamp(self.path) if self.path.exists() else None
        with self._open() as wb:
            result = apply_local(_WorkbookTabs(wb), changes)
            restyle(wb, changes)
            self._save(wb, before)
        return result

    def initialize(self, specs: Sequence[TabSpec]) -> list[str]:
        """Create the file and any missing tab; existing tabs are left alone."""
        self._busy()
        self._refuse_losses()
        fresh = not self.path.exists()
        before = None if fresh else _stamp(self.path)
        wb = openpyxl.Workbook() if fresh else _load(self.path)
        default = wb.active if fresh else None
        tabs = _WorkbookTabs(wb)
        created: list[str] = []
        cases = cases_spec()
        if casetab.CASES_TAB in tabs.titles():
            created += add_missing_columns(tabs)
        for spec in (cases, *specs):
            if spec.title in tabs.titles() or spec.title in created:
                continue
            tabs.add_tab(spec.title, spec.header)
            ws = wb[spec.title]
            tabs.append_rows(spec.title, spec.rows)
            for col, name in enumerate(spec.header):
                if name in spec.notes:
                    ws.cell(row=1, column=col + 1).comment = Comment(spec.notes[name], "sheetdesk")
                if name in spec.choices:
                    _dropdown(ws, col, spec.choices[name])
            if spec.title == casetab.CASES_TAB:
                style_cases(ws, spec.header, team_name_col(specs))
            else:
                style_owner_tab(ws)
            created.append(spec.title)
        if default is not None and created:
            wb.remove(default)
        if created:
            self._save(wb, before)
        wb.close()
        return created

    def _save(self, wb: Any, before: tuple[int, int, int] | None) -> None:
        """Atomically replace the file, unless someone opened or changed it meanwhile."""
        folder = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                wb.save(handle)
                handle.flush()
                os.fsync(handle.fileno())
            if before is not None:
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
            self._busy()
            now = _stamp(self.path) if self.path.exists() else None
            if now != before:
                raise StoreBusyError(
                    f"{self.path.name} changed on disk while sheetdesk was writing; "
                    "nothing was written, the work waits for the next cycle"
                )
            os.replace(tmp, self.path)
        except PermissionError as exc:
            raise StoreBusyError(f"{self.path.name} is locked by another program") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot save ({exc.strerror})") from exc
        finally:
            tmp.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
