"""Focused tests of the Sheets stand-in's semantics (row identity, DataFilter writes,
append quirks, strict mode, faults), driven through gspread's real HTTP path."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
import requests

from tests.support.standin import SheetsStandIn

BASE = "https://sheets.googleapis.com/v4/spreadsheets"
HEADER = ["Case ID", "Subject", "Status"]


def make(
    sort_moves_metadata: bool = True, strict: bool = True, rows: int = 4
) -> tuple[SheetsStandIn, str, gspread.Client]:
    api = SheetsStandIn(sort_moves_metadata=sort_moves_metadata, strict=strict)
    sid = api.create_spreadsheet(title="Support", sheets=("Cases",))
    api.seed(sid, "Cases", [HEADER] + [[f"C-{i}", f"s{i}", "Open"] for i in range(1, rows + 1)])
    return api, sid, gspread.Client(auth=None, session=api.session())


def call(client: gspread.Client, method: str, url: str, body: Any = None) -> Any:
    return client.http_client.request(method, url, json=body).json()


def tag_rows(client: gspread.Client, sid: str, count: int) -> None:
    """Row metadata case_id=C-i on the row holding C-i (rows 1..count)."""
    requests_ = [
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "case_id",
                    "metadataValue": f"C-{i}",
                    "visibility": "DOCUMENT",
                    "location": {
                        "dimensionRange": {
                            "sheetId": 0,
                            "dimension": "ROWS",
                            "startIndex": i,
                            "endIndex": i + 1,
                        }
                    },
                }
            }
        }
        for i in range(1, count + 1)
    ]
    call(client, "post", f"{BASE}/{sid}:batchUpdate", {"requests": requests_})


def ids_match_metadata(api: SheetsStandIn, sid: str) -> bool:
    grid = api.grid(sid, "Cases")
    return all(grid[row][0] == value for row, _, value in api.row_metadata(sid, "Cases"))


def by_filter_write(client: gspread.Client, sid: str, case_id: str, row: list[Any]) -> Any:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {
                "dataFilter": {
                    "developerMetadataLookup": {"metadataKey": "case_id", "metadataValue": case_id}
                },
                "values": [row],
            }
        ],
    }
    return call(client, "post", f"{BASE}/{sid}/values:batchUpdateByDataFilter", body)


# ----- row identity -----------------------------------------------------------------


def test_metadata_follows_rows_on_insert_api_and_human() -> None:
    api, sid, client = make()
    tag_rows(client, sid, 4)
    call(
        client,
        "post",
        f"{BASE}/{sid}:batchUpdate",
        {
            "requests": [
                {
                    "insertDimension": {
                        "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}
                    }
                }
            ]
        },
    )
    api.human.insert_rows(sid, "Cases", 4)
    assert [r for r, _, _ in api.row_metadata(sid, "Cases")] == [3, 5, 6, 7]
    assert ids_match_metadata(api, sid)


def test_delete_removes_row_and_its_metadata() -> None:
    api, sid, client = make()
    tag_rows(client, sid, 4)
    client.open_by_key(sid).worksheet("Cases").delete_rows(2)  # C-1 (1-based row 2)
    api.human.delete_rows(sid, "Cases", 2)  # now C-3
    assert [v for _, _, v in api.row_metadata(sid, "Cases")] == ["C-2", "C-4"]
    assert ids_match_metadata(api, sid)
    assert by_filter_write(client, sid, "C-1", ["x"]) == {"spreadsheetId": sid}


def test_move_dimension_and_human_move_carry_metadata() -> None:
    api, sid, client = make()
    tag_rows(client, sid, 4)
    call(
        client,
        "post",
        f"{BASE}/{sid}:batchUpdate",
        {
            "requests": [
                {
                    "moveDimension": {
                        "source": {
                            "sheetId": 0,
                            "dimension": "ROWS",
                            "startIndex": 1,
                            "endIndex": 2,
                        },
                        "destinationIndex": 5,
                    }
                }
            ]
        },
    )
    assert [r[0] for r in api.grid(sid, "Cases")] == ["Case ID", "C-2", "C-3", "C-4", "C-1"]
    api.human.move_rows(sid, "Cases", 3, 5, 1)
    assert [r[0] for r in api.grid(sid, "Cases")] == ["Case ID", "C-4", "C-1", "C-2", "C-3"]
    assert ids_match_metadata(api, sid)


@pytest.mark.parametrize("moves", [True, False])
@pytest.mark.parametrize("via_api", [True, False])
def test_sort_metadata_switch(moves: bool, via_api: bool) -> None:
    api, sid, client = make(sort_moves_metadata=moves)
    tag_rows(client, sid, 4)
    if via_api:
        call(
            client,
            "post",
            f"{BASE}/{sid}:batchUpdate",
            {
                "requests": [
                    {
                        "sortRange": {
                            "range": {"sheetId": 0, "startRowIndex": 1},
                            "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}],
                        }
                    }
                ]
            },
        )
    else:
        api.human.sort(sid, "Cases", 0, ascending=False)
    assert [r[0] for r in api.grid(sid, "Cases")][1:] == ["C-4", "C-3", "C-2", "C-1"]
    rows = {value: row for row, _, value in api.row_metadata(sid, "Cases")}
    if moves:
        assert rows == {"C-4": 1, "C-3": 2, "C-2": 3, "C-1": 4}
        assert ids_match_metadata(api, sid)
    else:
        assert rows == {"C-1": 1, "C-2": 2, "C-3": 3, "C-4": 4}
        assert not ids_match_metadata(api, sid)


# ----- DataFilter writes and null handling ---------------------------------------------


def test_by_data_filter_write_lands_on_tagged_row_and_skips_nulls() -> None:
    api, sid, client = make()
    tag_rows(client, sid, 4)
    api.human.insert_rows(sid, "Cases", 1)
    api.human.edit_cell(sid, "Cases", 4, 1, "edited by a person")  # C-3's Subject
    reply = by_filter_write(client, sid, "C-3", [None, None, "Closed"])
    assert reply["totalUpdatedCells"] == 1
    assert reply["responses"][0]["updatedRange"] == "Cases!A5:C5"
    assert reply["responses"][0]["dataFilter"]["developerMetadataLookup"]["metadataValue"] == "C-3"
    assert api.grid(sid, "Cases")[4] == ["C-3", "edited by a person", "Closed"]


def test_by_data_filter_read_search_and_get() -> None:
    _api, sid, client = make()
    tag_rows(client, sid, 2)
    lookup = {"developerMetadataLookup": {"metadataKey": "case_id", "metadataValue": "C-2"}}
    got = call(
        client, "post", f"{BASE}/{sid}/values:batchGetByDataFilter", {"dataFilters": [lookup]}
    )
    assert got["valueRanges"][0]["valueRange"]["values"] == [["C-2", "s2", "Open"]]
    found = call(
        client, "post", f"{BASE}/{sid}/developerMetadata:search", {"dataFilters": [lookup]}
    )
    meta = found["matchedDeveloperMetadata"][0]["developerMetadata"]
    assert meta["location"]["dimensionRange"]["startIndex"] == 2
    one = call(client, "get", f"{BASE}/{sid}/developerMetadata/{meta['metadataId']}")
    assert one == meta
    sheet = call(client, "get", f"{BASE}/{sid}")["sheets"][0]
    assert len(sheet["developerMetadata"]) == 2


def test_put_with_nulls_counts_only_written_cells() -> None:
    api, sid, client = make()
    ws = client.open_by_key(sid).worksheet("Cases")
    reply = ws.update([["new", None], [None, None], [None, "x"]], "A2:B4")
    assert reply["updatedRange"] == "Cases!A2:B4"
    assert (reply["updatedCells"], reply["updatedRows"], reply["updatedColumns"]) == (2, 2, 2)
    grid = api.grid(sid, "Cases")
    assert grid[1][:2] == ["new", "s1"] and grid[3][:2] == ["C-3", "x"]
    ws.update([["", None]], "A2")  # "" clears
    assert api.grid(sid, "Cases")[1] == ["", "s1", "Open"]


# ----- append ---------------------------------------------------------------------------


def test_append_blank_row_quirk_overwrite_and_insert_rows() -> None:
    api, sid, client = make(rows=3)
    api.human.insert_rows(sid, "Cases", 2)  # a blank row inside the table
    ws = client.open_by_key(sid).worksheet("Cases")
    reply = ws.append_rows([["C-9", "new", "Open"]], table_range="A1")
    assert reply["tableRange"] == "Cases!A1:C2"
    assert reply["updates"]["updatedRange"] == "Cases!A3:C3"  # the gap, not the end
    assert api.grid(sid, "Cases")[2][0] == "C-9"
    reply = ws.append_rows([["C-10"]], table_range="A1", insert_data_option="INSERT_ROWS")
    assert reply["updates"]["updatedRange"] == "Cases!A6"
    assert [r[0] for r in api.grid(sid, "Cases")] == ["Case ID", "C-1", "C-9", "C-2", "C-3", "C-10"]


def test_append_column_shift_and_no_table() -> None:
    api = SheetsStandIn()
    sid = api.create_spreadsheet(sheets=("Sheet1",))
    ws = gspread.Client(auth=None, session=api.session()).open_by_key(sid).sheet1
    first = ws.append_rows([["a", "", "c"]])
    assert "tableRange" not in first and first["updates"]["updatedRange"] == "Sheet1!A1:C1"
    second = ws.append_rows([["a", "", "c"]])
    assert second["tableRange"] == "Sheet1!C1"
    assert second["updates"]["updatedRange"] == "Sheet1!C2:E2"


# ----- input options, strict mode, limits ---------------------------------------------------


@pytest.mark.parametrize("text", ['=IMPORTXML("http://evil","//a")', "+cmd", "-1+2", "@x"])
def test_strict_mode_refuses_user_entered_triggers(text: str) -> None:
    api, sid, client = make()
    ws = client.open_by_key(sid).worksheet("Cases")
    with pytest.raises(gspread.exceptions.APIError) as info:
        ws.update([[text]], "B2", raw=False)
    assert info.value.response.status_code == 400
    ws.update([[text]], "B2")  # RAW stores the string as-is
    assert api.grid(sid, "Cases")[1][1] == text


def test_user_entered_parses_when_not_strict() -> None:
    _api, sid, client = make(strict=False)
    ws = client.open_by_key(sid).worksheet("Cases")
    ws.update([["=1+1", "3.5", "TRUE"]], "A2", raw=False)
    assert ws.get("A2:C2", value_render_option="FORMULA") == [["=1+1", 3.5, True]]
    assert ws.get("A2:C2") == [["2", "3.5", "TRUE"]]
    ws.update([["=1+1"]], "A3")
    assert ws.get("A3", value_render_option="FORMULA") == [["=1+1"]]


def test_cell_limit_and_bad_ranges() -> None:
    _api, sid, client = make()
    ws = client.open_by_key(sid).worksheet("Cases")
    with pytest.raises(gspread.exceptions.APIError, match="50000 characters"):
        ws.update([["x" * 50_001]], "A2")
    reply = client.http_client.session.get(f"{BASE}/{sid}/values/Nope!A1")
    assert reply.status_code == 400
    assert reply.json()["error"]["message"] == "Unable to parse range: Nope!A1"


def test_quoted_titles_and_open_ranges() -> None:
    api = SheetsStandIn()
    sid = api.create_spreadsheet(sheets=("It's", "D3"))
    api.seed(sid, "It's", [["a", "b"], ["c"]])
    client = gspread.Client(auth=None, session=api.session())
    got = call(client, "get", f"{BASE}/{sid}/values/'It''s'!A1:B")
    assert got == {
        "range": "'It''s'!A1:B1000",
        "majorDimension": "ROWS",
        "values": [["a", "b"], ["c"]],
    }
    assert call(client, "get", f"{BASE}/{sid}/values/'D3'")["range"] == "'D3'!A1:Z1000"
    assert call(client, "get", f"{BASE}/{sid}/values/A1:A2")["values"] == [["a"], ["c"]]


# ----- batchUpdate ---------------------------------------------------------------------------


def test_unknown_request_kind_is_400_and_batch_is_atomic() -> None:
    api, sid, client = make()
    before = api.grid(sid, "Cases")
    reply = client.http_client.session.post(
        f"{BASE}/{sid}:batchUpdate",
        json={
            "requests": [
                {
                    "insertDimension": {
                        "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}
                    }
                },
                {"frobnicate": {}},
            ]
        },
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["message"].startswith("Invalid requests[1].frobnicate:")
    assert api.grid(sid, "Cases") == before


def test_atomic_create_row_with_update_cells_and_metadata() -> None:
    api, sid, client = make()
    reply = call(
        client,
        "post",
        f"{BASE}/{sid}:batchUpdate",
        {
            "requests": [
                {
                    "insertDimension": {
                        "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}
                    }
                },
                {
                    "updateCells": {
                        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "=C-9"}}]}],
                        "fields": "userEnteredValue",
                    }
                },
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "case_id",
                            "metadataValue": "=C-9",
                            "location": {
                                "dimensionRange": {
                                    "sheetId": 0,
                                    "dimension": "ROWS",
                                    "startIndex": 1,
                                    "endIndex": 2,
                                }
                            },
                        }
                    }
                },
            ]
        },
    )
    assert reply["replies"][0] == {} and "createDeveloperMetadata" in reply["replies"][2]
    assert api.grid(sid, "Cases")[1] == ["=C-9"]
    assert api.row_metadata(sid, "Cases") == [(1, "case_id", "=C-9")]


# ----- faults, hooks, transports -------------------------------------------------------------


def statuses(seed: int) -> list[int]:
    api, sid, _ = make()
    api.inject(503, probability=0.5, seed=seed)
    session = api.session()
    return [session.get(f"{BASE}/{sid}/values/Cases").status_code for _ in range(30)]


def test_probability_injection_is_reproducible() -> None:
    assert statuses(7) == statuses(7)
    assert set(statuses(7)) == {200, 503}


def test_inject_429_times_and_kinds() -> None:
    api, sid, _client = make()
    api.inject(429, times=2, kinds=["values.batchUpdateByDataFilter", "write"])
    session = api.session()
    assert session.get(f"{BASE}/{sid}/values/Cases").status_code == 200
    first = session.put(
        f"{BASE}/{sid}/values/Cases!A2?valueInputOption=RAW", json={"values": [["x"]]}
    )
    error = first.json()["error"]
    assert first.status_code == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    assert session.post(f"{BASE}/{sid}/values/Cases:clear").status_code == 429
    assert session.post(f"{BASE}/{sid}/values/Cases:clear").status_code == 200
    assert [e.status for e in api.log[-3:]] == [429, 429, 200]
    assert api.log[-1].kind == "values.clear" and api.log[-1].is_write


def test_before_request_hook_and_foreign_hosts() -> None:
    api, sid, client = make()
    seen: list[tuple[int, str]] = []
    api.before_request = lambda k, method, url: seen.append((k, method))
    client.open_by_key(sid).worksheet("Cases").get_all_values()
    assert [k for k, _ in seen] == list(range(len(seen))) and len(seen) >= 2
    stray = api.session().post("https://oauth2.googleapis.com/token", data={"a": "b"})
    assert stray.status_code == 404 and "error" in stray.json()
    missing = api.session().get(f"{BASE}/nope")
    assert missing.json()["error"]["message"] == "Requested entity was not found."


def test_serve_on_loopback() -> None:
    api, sid, _ = make()
    with api.serve() as base:
        got = requests.get(f"{base}/v4/spreadsheets/{sid}/values/Cases!A1:B2", timeout=5)
    assert got.json()["values"] == [["Case ID", "Subject"], ["C-1", "s1"]]


def test_grid_data_render() -> None:
    _api, sid, client = make()
    got = call(client, "get", f"{BASE}/{sid}?includeGridData=true&ranges=Cases!A1:B2")
    cell = got["sheets"][0]["data"][0]["rowData"][1]["values"][0]
    assert cell == {
        "userEnteredValue": {"stringValue": "C-1"},
        "effectiveValue": {"stringValue": "C-1"},
        "formattedValue": "C-1",
    }


def test_mount_on_authorized_session_and_columns_major() -> None:
    from google.auth.credentials import AnonymousCredentials
    from google.auth.transport.requests import AuthorizedSession

    api = SheetsStandIn()
    sid = api.create_spreadsheet(sheets=("Cases",))
    session = api.mount(AuthorizedSession(AnonymousCredentials()))
    ws = gspread.Client(auth=None, session=session).open_by_key(sid).worksheet("Cases")
    ws.update([["a", "b"], ["c", "d"]], "A1", major_dimension="COLUMNS")
    assert api.grid(sid, "Cases") == [["a", "c"], ["b", "d"]]
    assert ws.get("A1:B2", major_dimension="COLUMNS") == [["a", "b"], ["c", "d"]]


def test_values_batch_update_is_all_or_nothing() -> None:
    api, sid, client = make()
    before = api.grid(sid, "Cases")
    reply = client.http_client.session.post(
        f"{BASE}/{sid}/values:batchUpdate",
        json={
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": "Cases!B2", "values": [["fine"]]},
                {"range": "Cases!B3", "values": [["=evil()"]]},
            ],
        },
    )
    assert reply.status_code == 400
    assert api.grid(sid, "Cases") == before
