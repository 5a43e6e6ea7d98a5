"""sheetdesk: a support inbox turned into a case queue in a shared spreadsheet."""

__version__ = "0.1.0"
