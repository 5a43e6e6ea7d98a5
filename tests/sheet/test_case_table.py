"""casetab: header mapping, cells for create/update, parsing rows back."""

from __future__ import annotations

import pytest

from automation.errors import StoreSchemaError
from automation.sheet import case_table as casetab
from automation.sheet import layout as columns

HEADER = list(columns.DEFAULT_ORDER)


def test_header_found_by_name_in_any_order_with_extra_columns() -> None:
    row = ["My own col", *reversed(HEADER), "  "]
    header = casetab.read_header(row)
    assert header.position(columns.CASE_ID) == len(HEADER)
    assert header.position(columns.STATUS) == len(HEADER) - HEADER.index(columns.STATUS)
    assert header.width == len(HEADER) + 1  # trailing blank dropped


def test_header_tolerates_case_and_blanks() -> None:
    row = [f"  {name.upper()} " for name in HEADER]
    assert casetab.read_header(row).position("Subject") == HEADER.index("Subject")


def test_missing_and_duplicate_headers_name_the_cells() -> None:
    row = [h for h in HEADER if h != "Sent log"] + ["Status"]
    with pytest.raises(StoreSchemaError) as err:
        casetab.read_header(row)
    text = str(err.value)
    assert f"Cases!{casetab.column_letter(len(row) - 1)}1: duplicate header 'Status'" in text
    first = casetab.column_letter(HEADER.index("Status"))
    assert f"(also at Cases!{first}1)" in text
    assert "required header 'Sent log' is missing" in text


def test_an_optional_column_may_be_missing() -> None:
    header = casetab.read_header([h for h in HEADER if h != "Subject"])
    assert header.missing == ("Subject",)
    assert "run `sheetdesk init`" in (header.missing_problem() or "")


def test_column_letters() -> None:
    assert [casetab.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_create_fills_every_column_and_caps() -> None:
    header = casetab.read_header([*HEADER, "Team extra"])
    long = "x" * 60_000
    cells = casetab.create_cells(header, "C-1", {"Subject": long, columns.STATUS: "New"})
    assert len(cells) == len(HEADER) + 1
    assert cells[0] == "C-1" and cells[HEADER.index(columns.STATUS)] == "New"
    subject = cells[HEADER.index("Subject")]
    assert len(subject) == columns.CELL_LIMIT and subject.endswith(columns.TRUNCATION_MARK)
    assert cells[-1] == ""


def test_update_leaves_every_team_and_unknown_cell_alone() -> None:
    header = casetab.read_header(["Team extra", *HEADER])
    cells = casetab.update_cells(header, "C-1", {"Why": "because", "Messages": "3"})
    for name in (*columns.TEAM_COLUMNS, columns.CASE_ID):
        pos = header.position(name)
        assert pos >= len(cells) or cells[pos] is None
    assert cells[0] is None  # the team's own column
    assert cells[header.position("Why")] == "because"


@pytest.mark.parametrize("column", [*columns.TEAM_COLUMNS, "Team extra"])
def test_update_naming_a_foreign_column_is_refused(column: str) -> None:
    header = casetab.read_header(HEADER)
    with pytest.raises(ValueError, match="does not own"):
        casetab.update_cells(header, "C-1", {column: "x"})


def test_create_refuses_unknown_columns_and_disagreeing_id() -> None:
    header = casetab.read_header(HEADER)
    with pytest.raises(ValueError):
        casetab.create_cells(header, "C-1", {"Nope": "x"})
    with pytest.raises(ValueError):
        casetab.create_cells(header, "C-1", {columns.CASE_ID: "C-2"})


def test_parse_skips_blank_rows_and_reports_duplicates_and_missing_ids() -> None:
    header = casetab.read_header(HEADER)
    row1 = casetab.create_cells(header, "C-1", {"Subject": "one"})
    row2 = casetab.create_cells(header, "C-2", {"Subject": "two"})
    dup = casetab.create_cells(header, "C-1", {"Subject": "copy"})
    no_id = casetab.create_cells(header, "C-9", {"Subject": "orphan"})
    no_id[0] = ""
    table = casetab.parse_cases(header, [HEADER, row1, [], ["", " "], row2, dup, no_id])
    assert [c.case_id for c in table.cases] == ["C-1", "C-2"]
    assert table.cases[0].get("Subject") == "one" and table.cases[0].row_number == 2
    assert table.rows_of["C-1"] == (1, 5)
    assert any("Cases!A6: duplicate case ID C-1" in p for p in table.problems)
    assert any("Cases!A7: row has no Case ID" in p for p in table.problems)
