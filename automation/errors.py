"""The one error tree of sheetdesk.

Adapters translate library errors (imaplib, smtplib, gspread, requests, openpyxl)
into these classes at their boundary, so the poll cycle and the CLI only ever see
``SheetdeskError`` subclasses.  Each class carries the CLI exit code it maps to.

Messages must never contain secrets: adapters build them from host names, folder
names and status codes, never from credentials or raw request bodies.

Mistakes in the owners' tabs are not errors: the table parsers return them as
``Tab!Cell: ...`` problems and the last valid tables stay in use.
"""

from __future__ import annotations


class SheetdeskError(Exception):
    """Base of every error sheetdesk raises on purpose."""

    exit_code = 1


class ConfigError(SheetdeskError):
    """The configuration file or a secret it names is missing or malformed."""

    exit_code = 2


class TablesError(SheetdeskError):
    """An owner-edited tab could not be parsed (``check``); ``problems`` name ``Tab!Cell``."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems) if problems else "invalid tables")
        self.problems = problems


class TemplateError(SheetdeskError):
    """A template failed to load or to render against a sample case."""

    exit_code = 2


class ComposeError(SheetdeskError):
    """An email could not be built (a recipient address is unusable); that one
    email is settled as ``failed`` in its Sent log and the cycle goes on."""

    exit_code = 4


class PollerUnhealthy(SheetdeskError):
    """The Health tab says the poller's last cycle had problems or is overdue."""

    exit_code = 4


class LockHeldError(SheetdeskError):
    """Another sheetdesk process holds the single-runner lock."""

    exit_code = 75


class TransientError(SheetdeskError):
    """A peer is unreachable or rate-limiting; the next cycle should retry."""

    exit_code = 75


class InboxError(TransientError):
    """The mailbox could not be read or updated (connection, login, protocol)."""


class SecurityError(SheetdeskError):
    """A connection would be insecure (failed STARTTLS, bad certificate, plaintext)."""

    exit_code = 3


class AuthError(SheetdeskError):
    """A server rejected our credentials."""

    exit_code = 3


class OutboxError(TransientError):
    """Outgoing mail could not be handed over; held for the next cycle."""


class StoreError(TransientError):
    """The case store (Google Sheet or workbook) could not be read or written."""


class StoreBusyError(StoreError):
    """The local workbook is open in a spreadsheet program; writing is skipped."""


class DeadlineExceeded(StoreError):
    """Retries against a rate-limited API ran past the cycle's deadline."""


class StoreSchemaError(SheetdeskError):
    """The sheet's layout is unusable (a required header is missing or duplicated)."""

    exit_code = 2


class WorkbookUnusableError(StoreSchemaError):
    """The local workbook cannot be read, or saving it would destroy something
    the owner made (a text box, a form control); a person must act."""


class ParseError(SheetdeskError):
    """A message cannot be handled at all (too big, empty, not mail); the cycle
    quarantines it with this error's message as the reason."""

    exit_code = 1


class TokenError(AuthError):
    """An OAuth2 access token could not be had (revoked consent, an expired
    secret, a missing delegation); the message names what to run or change."""


class TokenServiceError(TransientError):
    """The token endpoint could not be reached or answered 5xx; retry later."""
