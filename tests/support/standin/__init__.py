"""An in-process, stateful stand-in for the Google Sheets API v4.

gspread (or any ``requests`` client) reaches it through a transport adapter::

    api = SheetsStandIn()
    sid = api.create_spreadsheet(title="Support", sheets=("Cases",))
    client = gspread.Client(auth=None, session=api.session())

See ``tests/support/standin/README.md`` for what is emulated and what is not.
"""

from tests.support.standin.errors import ApiError
from tests.support.standin.faults import FaultRule
from tests.support.standin.standin import LoggedRequest, SheetsStandIn

__all__ = ["ApiError", "FaultRule", "LoggedRequest", "SheetsStandIn"]
