"""Serve an empty Sheets API stand-in on 127.0.0.1 for manual poking.

    .venv/bin/python scripts/serve_standin.py [--port 8765] [--tabs Cases,Health]

Prints the base URL and the spreadsheet id, then serves until Ctrl-C.  Try:

    curl "$URL/v4/spreadsheets/$ID"
    curl "$URL/v4/spreadsheets/$ID/values/Cases!A1:C3"
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.support.standin import SheetsStandIn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--title", default="Support")
    parser.add_argument("--tabs", default="Cases", help="comma-separated tab titles")
    parser.add_argument(
        "--lenient", action="store_true", help="allow USER_ENTERED strings starting with = + - @"
    )
    args = parser.parse_args(argv)
    api = SheetsStandIn(strict=not args.lenient)
    tabs = tuple(t.strip() for t in args.tabs.split(",") if t.strip()) or ("Sheet1",)
    sid = api.create_spreadsheet(title=args.title, sheets=tabs)
    with api.serve(args.port) as base:
        print(f"URL {base}")
        print(f"ID  {sid}")
        print(f"GET {base}/v4/spreadsheets/{sid}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print(f"\nserved {len(api.log)} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
